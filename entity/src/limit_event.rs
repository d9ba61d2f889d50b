use sea_orm::entity::prelude::*;

/// One limited attempt (a login, a birth date, a code sent…) for `key`: the
/// `seq`-th ever for that key, made at `at` (Unix seconds). A refunded attempt
/// succeeded and no longer counts against the limit.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "limit_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub at: i64,
    pub refunded: i16,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
