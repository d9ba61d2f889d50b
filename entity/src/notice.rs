use sea_orm::entity::prelude::*;

/// A "no fui yo" link mailed after a clave or e-mail change. `id` is the
/// SHA-256 (hex) of the link's token.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notice")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub cedula: String,
    /// `clave_changed` or `email_changed`.
    pub kind: String,
    /// The address to restore for `email_changed`.
    pub old_email: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
