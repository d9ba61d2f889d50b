//! Contact-centre staff (SPEC §2.4): roles and what each may do, and the
//! rules for user names. Plain Rust, unit-tested on its own.

use super::stored::{stored_enum, Stored};
use crate::lang::{Lang, Text};

/// A staff user's role. Supervisors may do everything agents do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Agent,
    Supervisor,
}

impl Stored for Role {
    const COLUMN: &'static str = "staff_account.role";
    const VALUES: &'static [Self] = &[Role::Agent, Role::Supervisor];

    fn stored(self) -> &'static str {
        self.as_str()
    }
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Supervisor => "supervisor",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "agent" | "agente" => Some(Role::Agent),
            "supervisor" => Some(Role::Supervisor),
            _ => None,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Agent => lang.pick("Agente", "Agent"),
            Role::Supervisor => lang.pick("Supervisor/a", "Supervisor"),
        }
    }

    /// Whether this role may do what `needed` may.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

/// A user name: 3 to 32 lower-case ASCII letters, digits, dots, hyphens or
/// underscores, starting with a letter (it appears in the audit log).
pub fn parse_username(input: &str) -> Result<String, Text> {
    let name = input.trim().to_ascii_lowercase();
    let ok_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    let starts_with_letter = name.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
    if (3..=32).contains(&name.len()) && ok_chars && starts_with_letter {
        Ok(name)
    } else {
        Err(Text {
            es: "El usuario debe tener de 3 a 32 letras sin tildes, números, puntos o guiones, y empezar con una letra.",
            en: "The user name must have 3 to 32 letters without accents, digits, dots or hyphens, and start with a letter.",
        })
    }
}

stored_enum! {
    /// How far a staff session has come: past the password only (the factor
    /// page is all it opens), or through the second factor too.
    pub enum SessionStage in "staff_session.stage" {
        Password = "password",
        Complete = "complete",
    }
}

/// Characters of a recovery code (RFC 4648 base32: no 0, 1, 8 or 9).
pub const RECOVERY_CODE_CHARS: usize = 10;

/// What a staff user typed on the factor page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactorInput {
    /// Six digits from the authenticator app.
    Totp(String),
    /// A recovery code, upper-case, without spaces or hyphens.
    Recovery(String),
}

/// Reads the factor field: six digits, or a ten-character recovery code;
/// spaces and hyphens anywhere are ignored, letters in either case.
pub fn parse_factor_input(input: &str) -> Result<FactorInput, Text> {
    let typed: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if typed.is_empty() {
        return Err(Text {
            es: "Escriba el código de su aplicación de autenticación o un código de recuperación.",
            en: "Enter the code from your authenticator app or a recovery code.",
        });
    }
    if typed.len() == 6 && typed.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(FactorInput::Totp(typed));
    }
    let upper = typed.to_ascii_uppercase();
    if upper.len() == RECOVERY_CODE_CHARS
        && upper
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
    {
        return Ok(FactorInput::Recovery(upper));
    }
    Err(Text {
        es: "El código tiene 6 cifras (su aplicación de autenticación) o 10 letras y cifras (un código de recuperación).",
        en: "The code has 6 digits (your authenticator app) or 10 letters and digits (a recovery code).",
    })
}

/// A recovery code as it is shown: two groups of five.
pub fn show_recovery_code(code: &str) -> String {
    let (a, b) = code.split_at(code.len().min(5));
    format!("{a}-{b}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn supervisors_may_do_what_agents_do_not_the_reverse() {
        assert!(Role::Supervisor.allows(Role::Agent));
        assert!(Role::Supervisor.allows(Role::Supervisor));
        assert!(Role::Agent.allows(Role::Agent));
        assert!(!Role::Agent.allows(Role::Supervisor));
        for r in [Role::Agent, Role::Supervisor] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
        assert_eq!(Role::Supervisor.label(Lang::Es), "Supervisor/a");
        assert_eq!(Role::Supervisor.label(Lang::En), "Supervisor");
        assert_eq!(Role::Agent.label(Lang::En), "Agent");
    }

    #[test]
    fn stages_and_roles_read_back_as_the_schema_stores_them_and_nothing_else() {
        assert_eq!(
            SessionStage::from_stored("password"),
            Ok(SessionStage::Password)
        );
        assert_eq!(
            SessionStage::from_stored("complete"),
            Ok(SessionStage::Complete)
        );
        assert!(SessionStage::from_stored("").is_err());
        assert!(SessionStage::from_stored("Complete").is_err());
        assert_eq!(Role::from_stored("agent"), Ok(Role::Agent));
        assert_eq!(Role::from_stored("supervisor"), Ok(Role::Supervisor));
        // The CLI's Spanish spelling is typed input, never a stored role.
        assert!(Role::from_stored("agente").is_err());
    }

    #[test]
    fn the_factor_field_takes_six_digits_or_a_recovery_code() {
        assert_eq!(
            parse_factor_input(" 123 456 "),
            Ok(FactorInput::Totp("123456".into()))
        );
        assert_eq!(
            parse_factor_input("abcde-fg234"),
            Ok(FactorInput::Recovery("ABCDEFG234".into()))
        );
        assert_eq!(show_recovery_code("ABCDEFG234"), "ABCDE-FG234");
        for bad in [
            "",
            " - ",
            "12345",
            "1234567",
            "12345a",
            "ABCDEFG23",
            "ABCDEFG2345",
            "ABCDEFG890",
            "ÁBCDEFG234",
        ] {
            assert!(parse_factor_input(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn user_names() {
        assert_eq!(parse_username(" Ana.Perez ").as_deref(), Ok("ana.perez"));
        for bad in ["", "ab", "1ana", "ana pérez", "ana;drop", &"a".repeat(33)] {
            assert!(parse_username(bad).is_err(), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn accepted_names_are_canonical(input in "\\PC{0,40}") {
            if let Ok(name) = parse_username(&input) {
                prop_assert_eq!(parse_username(&name), Ok(name.clone()));
                prop_assert!(name.is_ascii());
            }
        }
    }
}
