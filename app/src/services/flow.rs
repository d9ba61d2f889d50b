//! Persisting recovery flows: created by step 1, looked up by every later step.

use crate::domain::cedula::Cedula;
use crate::domain::flow::{idle_deadline, RecoveryState};
use entity::recovery_flow;
use rand::RngCore;
use sea_orm::{ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait};
use sha2::{Digest, Sha256};

/// The value kept in the user's cookie: 256 random bits, hex.
pub struct FlowToken(pub String);

fn flow_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a recovery flow for `cedula` waiting for the identity step.
pub async fn start_recovery(
    db: &DatabaseConnection,
    cedula: &Cedula,
    idle_secs: i64,
    now: i64,
) -> Result<(FlowToken, recovery_flow::Model), DbErr> {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = hex::encode(raw);
    let model = recovery_flow::Entity::insert(recovery_flow::ActiveModel {
        id: Set(flow_id(&token)),
        kind: Set("recovery".into()),
        cedula: Set(cedula.as_str().to_owned()),
        state: Set(RecoveryState::IdentityPending.as_str().into()),
        identity_failures: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        expires_at: Set(idle_deadline(now, idle_secs)),
    })
    .exec_with_returning(db)
    .await?;
    Ok((FlowToken(token), model))
}

/// The live flow behind a cookie value, or `None` when it is unknown or expired.
pub async fn find_live(
    db: &DatabaseConnection,
    token: &str,
    now: i64,
) -> Result<Option<recovery_flow::Model>, DbErr> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    Ok(recovery_flow::Entity::find_by_id(flow_id(token))
        .one(db)
        .await?
        .filter(|f| f.expires_at > now))
}
