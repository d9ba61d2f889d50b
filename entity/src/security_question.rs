use sea_orm::entity::prelude::*;

/// The catalogue of security questions, editable by operators.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "security_question")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub text_es: String,
    pub text_en: String,
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
