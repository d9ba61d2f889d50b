use sea_orm::entity::prelude::*;

/// A mail waiting for (or done with) delivery by the outbox worker.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub created_at: i64,
    pub attempts: i32,
    pub next_attempt_at: i64,
    /// A worker holds the row until then; another instance may take it after.
    pub locked_until: Option<i64>,
    pub sent_at: Option<i64>,
    /// `smtp` or `dev` (the development mailbox).
    pub delivered_via: Option<String>,
    pub last_error: Option<String>,
    /// The language the mail is written in, as `Lang::code` stores it (`es`
    /// or `en`); read back through `Lang::from_code`, anything else refused.
    pub lang: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
