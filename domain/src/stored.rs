//! Enumerated values as the database keeps them.
//!
//! Every column that holds one of a fixed set of values (a flow's kind and
//! state, a call-back's status and time window, a staff role, …) is read
//! through [`Stored::from_stored`], which refuses a value outside the set
//! instead of guessing one: a row the code does not understand is an error,
//! logged and shown as the generic message, never a silent default. The schema
//! says the same with a `CHECK` constraint on each column (migration 9).

use std::fmt;

use crate::lang::Lang;

/// A stored value that is none of its column's values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    pub column: &'static str,
    pub value: String,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} holds {:?}, none of its values",
            self.column, self.value
        )
    }
}

impl std::error::Error for UnknownValue {}

/// An enumeration kept in one database column as text.
pub trait Stored: Copy + PartialEq + 'static {
    /// `table.column`, for the error.
    const COLUMN: &'static str;
    /// Every value, in order.
    const VALUES: &'static [Self];

    /// The text kept in the column.
    fn stored(self) -> &'static str;

    /// The value `text` stands for; an error for anything else.
    fn from_stored(text: &str) -> Result<Self, UnknownValue> {
        Self::VALUES
            .iter()
            .copied()
            .find(|v| v.stored() == text)
            .ok_or_else(|| UnknownValue {
                column: Self::COLUMN,
                value: text.to_owned(),
            })
    }
}

/// Declares an enumeration with the text each value is stored as.
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident in $column:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $crate::stored::Stored for $name {
            const COLUMN: &'static str = $column;
            const VALUES: &'static [Self] = &[ $( $name::$variant, )+ ];

            fn stored(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }
        }
    };
}
pub(crate) use stored_enum;

stored_enum! {
    /// Whether an affiliate's account may be used.
    pub enum AffiliateStatus in "affiliate.status" {
        Active = "active",
        /// Locked by "no fui yo" or by staff: no self-service until staff
        /// unlock it.
        Locked = "locked",
    }
}

stored_enum! {
    /// What a "no fui yo" notice (and its mail) is about.
    pub enum NoticeKind in "notice.kind" {
        EmailChanged = "email_changed",
        ClaveChanged = "clave_changed",
        ClaveCreated = "clave_created",
    }
}

stored_enum! {
    /// Which mail an outbox row is.
    pub enum MailKind in "mail_outbox.kind" {
        Code = "code",
        EmailChanged = "email_changed",
        ClaveChanged = "clave_changed",
        ClaveCreated = "clave_created",
    }
}

stored_enum! {
    /// How an outbox row was delivered (`None` while it waits).
    pub enum Delivery in "mail_outbox.delivered_via" {
        Smtp = "smtp",
        /// Kept in the outbox for the development mailbox to show.
        DevMailbox = "dev",
    }
}

stored_enum! {
    /// Why a case is in the staff's list: someone said "no fui yo".
    pub enum CaseKind in "staff_case.kind" {
        NotMeEmailChanged = "not_me:email_changed",
        NotMeClaveChanged = "not_me:clave_changed",
        NotMeClaveCreated = "not_me:clave_created",
    }
}

impl CaseKind {
    /// The case a "no fui yo" on a notice of `kind` opens.
    pub fn not_me(kind: NoticeKind) -> CaseKind {
        match kind {
            NoticeKind::EmailChanged => CaseKind::NotMeEmailChanged,
            NoticeKind::ClaveChanged => CaseKind::NotMeClaveChanged,
            NoticeKind::ClaveCreated => CaseKind::NotMeClaveCreated,
        }
    }

    /// What staff read about it.
    pub fn detail(self, lang: Lang) -> &'static str {
        match self {
            CaseKind::NotMeEmailChanged => lang.pick(
                "La persona indica que no cambió el correo; se restauró el anterior y se bloqueó la cuenta.",
                "The person says they did not change the e-mail address; the previous one was restored and the account was locked.",
            ),
            CaseKind::NotMeClaveChanged => lang.pick(
                "La persona indica que no cambió la clave; se bloqueó la cuenta.",
                "The person says they did not change the password; the account was locked.",
            ),
            CaseKind::NotMeClaveCreated => lang.pick(
                "La persona indica que no pidió la clave; se bloqueó la cuenta.",
                "The person says they did not ask for the password; the account was locked.",
            ),
        }
    }
}

stored_enum! {
    /// Where a staff case stands.
    pub enum CaseStatus in "staff_case.status" {
        Open = "open",
        Claimed = "claimed",
        Closed = "closed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_reads_back_as_itself_and_anything_else_is_refused() {
        for kind in NoticeKind::VALUES {
            assert_eq!(NoticeKind::from_stored(kind.stored()), Ok(*kind));
        }
        assert_eq!(
            CaseStatus::from_stored("Open"),
            Err(UnknownValue {
                column: "staff_case.status",
                value: "Open".into()
            })
        );
        assert!(AffiliateStatus::from_stored("").is_err());
        assert_eq!(
            MailKind::from_stored("not_me:clave_changed")
                .unwrap_err()
                .to_string(),
            "mail_outbox.kind holds \"not_me:clave_changed\", none of its values"
        );
    }
}
