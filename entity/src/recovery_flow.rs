use sea_orm::entity::prelude::*;

/// A self-service flow (recovery or first request) in progress.
///
/// `id` is the SHA-256 (hex) of the random token kept in the user's cookie, so a
/// database dump does not hand out live flows.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recovery_flow")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub kind: String,
    pub cedula: String,
    pub state: String,
    pub identity_failures: i32,
    pub created_at: i64,
    pub updated_at: i64,
    pub expires_at: i64,
    /// The e-mail the code goes to: a new address on the §2.1.1 path, the
    /// address to register in a first request. Recorded on success.
    pub new_email: Option<String>,
    /// The mobile phone (E.164) a first request registers, if given.
    pub new_phone: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
