use sea_orm::entity::prelude::*;

/// The live e-mailed code of a flow. Only a keyed hash of the code is kept; a
/// new code overwrites the row, which voids the previous one.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "verification_code")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub flow_id: String,
    pub code_hash: String,
    pub email: String,
    pub sent_at: i64,
    pub expires_at: i64,
    /// Tries taken (spent before comparing, so the right one counts too).
    pub wrong_tries: i32,
    pub used_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
