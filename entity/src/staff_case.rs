use sea_orm::entity::prelude::*;

/// Something contact-centre staff must look at (e.g. a "no fui yo" report).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_case")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub cedula: String,
    pub kind: String,
    pub detail: String,
    /// `open`, `claimed` or `closed`.
    pub status: String,
    pub created_at: i64,
    pub claimed_by: Option<String>,
    /// The note staff wrote when closing it.
    pub note: Option<String>,
    pub closed_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
