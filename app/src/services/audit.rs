//! The audit log: who did what, when, from which (hashed) address, and how it
//! ended. Never a secret, a code or an answer.

use entity::audit_event;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ConnectionTrait, DbErr, EntityTrait,
};

pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: &str,
    action: &str,
    cedula: Option<&str>,
    ip_hash: Option<&str>,
    outcome: &str,
    now: i64,
) -> Result<(), DbErr> {
    audit_event::Entity::insert(audit_event::ActiveModel {
        id: NotSet,
        at: Set(now),
        actor: Set(actor.to_owned()),
        action: Set(action.to_owned()),
        cedula: Set(cedula.map(str::to_owned)),
        ip_hash: Set(ip_hash.map(str::to_owned)),
        outcome: Set(outcome.to_owned()),
    })
    .exec(db)
    .await?;
    Ok(())
}
