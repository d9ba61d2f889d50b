use sea_orm::entity::prelude::*;

/// One audited event: who, what, when, the keyed hash of the IP, the outcome.
/// Never a secret, a code or an answer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: i64,
    /// `affiliate`, `system` or a staff user name.
    pub actor: String,
    pub action: String,
    pub cedula: Option<String>,
    pub ip_hash: Option<String>,
    pub outcome: String,
    /// Why a staff user did it (their reason or note); `None` for affiliates.
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
