use sea_orm::entity::prelude::*;

/// The two security questions a recovery asks this affiliate; kept until a
/// recovery succeeds, so restarting the flow does not re-roll them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "question_pair")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub cedula: String,
    pub first_question_id: i32,
    pub second_question_id: i32,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
