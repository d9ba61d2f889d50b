use sea_orm::entity::prelude::*;

/// A contact-centre account (created from the CLI). Never an affiliate.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_account")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub username: String,
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// `agent` or `supervisor`.
    pub role: String,
    pub active: bool,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
