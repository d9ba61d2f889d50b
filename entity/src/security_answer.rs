use sea_orm::entity::prelude::*;

/// An affiliate's answer to one security question, normalised then argon2id-hashed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "security_answer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub cedula: String,
    pub question_id: i32,
    pub answer_hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
