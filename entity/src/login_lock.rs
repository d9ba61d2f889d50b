use sea_orm::entity::prelude::*;

/// Failed logins of a cédula (registered or not) and the lock they caused.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_lock")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub cedula: String,
    /// Failures since the last success or lock.
    pub failures: i32,
    /// How many locks in a row: each one lasts twice as long as the last.
    pub level: i32,
    pub locked_until: Option<i64>,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
