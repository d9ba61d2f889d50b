use sea_orm::entity::prelude::*;

/// A staff account's TOTP secret (RFC 6238). Made when the account first
/// reaches the factor page; `enrolled_at` is set once a code from it was
/// typed. `last_step` is the newest 30-second step accepted: a code is good
/// once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_factor")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub username: String,
    /// Base32, as the authenticator app is given it.
    pub secret: String,
    pub enrolled_at: Option<i64>,
    pub last_step: Option<i64>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
