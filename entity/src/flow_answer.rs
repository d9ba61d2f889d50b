use sea_orm::entity::prelude::*;

/// A security answer chosen in a first request, hashed, waiting for the clave:
/// it becomes a `security_answer` only when the request succeeds.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "flow_answer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub flow_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub question_id: i32,
    pub answer_hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
