use sea_orm::entity::prelude::*;

/// One person of the institute's registry.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "affiliate")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub cedula: String,
    pub given_names: String,
    pub surnames: String,
    pub birth_date: Date,
    pub codigo_dactilar: String,
    pub email: String,
    pub phone: Option<String>,
    /// ISO 3166-1 alpha-2 country of residence.
    pub country: String,
    /// `active` or `locked`.
    pub status: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
