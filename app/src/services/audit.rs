//! The audit log: who did what, when, from which (hashed) address, and how it
//! ended. Never a secret, a code or an answer; for staff, also why.

use entity::audit_event;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// One event as written by [`write`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Event<'a> {
    /// `affiliate`, `system` or a staff user name.
    pub actor: &'a str,
    pub action: &'a str,
    pub cedula: Option<&'a str>,
    pub ip_hash: Option<&'a str>,
    pub outcome: &'a str,
    /// A staff user's reason or note.
    pub detail: Option<&'a str>,
}

pub async fn write<C: ConnectionTrait>(db: &C, event: Event<'_>, now: i64) -> Result<(), DbErr> {
    audit_event::Entity::insert(audit_event::ActiveModel {
        id: NotSet,
        at: Set(now),
        actor: Set(event.actor.to_owned()),
        action: Set(event.action.to_owned()),
        cedula: Set(event.cedula.map(str::to_owned)),
        ip_hash: Set(event.ip_hash.map(str::to_owned)),
        outcome: Set(event.outcome.to_owned()),
        detail: Set(event.detail.map(str::to_owned)),
    })
    .exec(db)
    .await?;
    Ok(())
}

pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: &str,
    action: &str,
    cedula: Option<&str>,
    ip_hash: Option<&str>,
    outcome: &str,
    now: i64,
) -> Result<(), DbErr> {
    write(
        db,
        Event {
            actor,
            action,
            cedula,
            ip_hash,
            outcome,
            detail: None,
        },
        now,
    )
    .await
}

/// The newest `limit` events about a cédula: an affiliate's recovery history
/// as staff see it.
pub async fn history<C: ConnectionTrait>(
    db: &C,
    cedula: &str,
    limit: u64,
) -> Result<Vec<audit_event::Model>, DbErr> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Cedula.eq(cedula))
        .order_by_desc(audit_event::Column::At)
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
