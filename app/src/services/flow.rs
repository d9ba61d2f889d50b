//! Persisting flows (recovery and first request): created by step 1, looked up
//! by every later step.

use super::db::{statement, stored};
use crate::domain::cedula::Cedula;
use crate::domain::flow::{idle_deadline, FlowKind, FlowState};
use crate::domain::stored::Stored;
use entity::recovery_flow;
use rand::RngCore;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter,
};
use sha2::{Digest, Sha256};

/// A stored flow, its kind and state typed (see `entity::recovery_flow`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    pub id: String,
    pub kind: FlowKind,
    pub cedula: String,
    pub state: FlowState,
    pub identity_failures: i32,
    pub expires_at: i64,
    pub new_email: Option<String>,
    pub new_phone: Option<String>,
}

impl TryFrom<recovery_flow::Model> for Flow {
    type Error = DbErr;

    /// Refuses a kind or state the code does not know.
    fn try_from(row: recovery_flow::Model) -> Result<Flow, DbErr> {
        Ok(Flow {
            kind: stored(&row.kind)?,
            state: stored(&row.state)?,
            id: row.id,
            cedula: row.cedula,
            identity_failures: row.identity_failures,
            expires_at: row.expires_at,
            new_email: row.new_email,
            new_phone: row.new_phone,
        })
    }
}

/// The value kept in the user's cookie: 256 random bits, hex.
pub struct FlowToken(pub String);

fn flow_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a flow of `kind` for `cedula`, waiting for the identity step.
pub async fn start(
    db: &DatabaseConnection,
    kind: FlowKind,
    cedula: &Cedula,
    idle_secs: i64,
    now: i64,
) -> Result<(FlowToken, Flow), DbErr> {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = hex::encode(raw);
    let model = recovery_flow::Entity::insert(recovery_flow::ActiveModel {
        id: Set(flow_id(&token)),
        kind: Set(kind.stored().into()),
        cedula: Set(cedula.as_str().to_owned()),
        state: Set(FlowState::IdentityPending.stored().into()),
        identity_failures: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        expires_at: Set(idle_deadline(now, idle_secs)),
        new_email: Set(None),
        new_phone: Set(None),
    })
    .exec_with_returning(db)
    .await?;
    Ok((FlowToken(token), model.try_into()?))
}

/// The live flow behind a cookie value, or `None` when it is unknown or expired.
pub async fn find_live(
    db: &DatabaseConnection,
    token: &str,
    now: i64,
) -> Result<Option<Flow>, DbErr> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    recovery_flow::Entity::find_by_id(flow_id(token))
        .one(db)
        .await?
        .filter(|f| f.expires_at > now)
        .map(Flow::try_from)
        .transpose()
}

/// Moves flow `id` from `from` to `to` and restarts its idle timeout, only if
/// it is still at `from`: of two racing requests, one wins and one is told.
pub async fn advance(
    db: &DatabaseConnection,
    id: &str,
    from: FlowState,
    to: FlowState,
    now: i64,
    idle_secs: i64,
) -> Result<bool, DbErr> {
    let res = recovery_flow::Entity::update_many()
        .col_expr(recovery_flow::Column::State, Expr::value(to.stored()))
        .col_expr(recovery_flow::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            recovery_flow::Column::ExpiresAt,
            Expr::value(idle_deadline(now, idle_secs)),
        )
        .filter(recovery_flow::Column::Id.eq(id))
        .filter(recovery_flow::Column::State.eq(from.stored()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Takes one identity-check try of flow `id`, if fewer than `max` are taken,
/// and returns how many are taken now; `None` when none is left. One
/// conditional statement, so racing requests cannot take more than `max`.
pub async fn spend_try(
    db: &DatabaseConnection,
    id: &str,
    max: i32,
    now: i64,
) -> Result<Option<i32>, DbErr> {
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "UPDATE recovery_flow SET identity_failures = identity_failures + 1, updated_at = $2 \
             WHERE id = $1 AND identity_failures < $3 RETURNING identity_failures",
            vec![id.into(), now.into(), max.into()],
        ))
        .await?;
    row.map(|r| r.try_get::<i32>("", "identity_failures"))
        .transpose()
}

/// Gives back a try taken by [`spend_try`] whose check succeeded.
pub async fn refund_try(db: &DatabaseConnection, id: &str) -> Result<(), DbErr> {
    recovery_flow::Entity::update_many()
        .col_expr(
            recovery_flow::Column::IdentityFailures,
            Expr::col(recovery_flow::Column::IdentityFailures).sub(1),
        )
        .filter(recovery_flow::Column::Id.eq(id))
        .filter(recovery_flow::Column::IdentityFailures.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Records the address the flow's code goes to (the new one on the §2.1.1
/// path, the one to register in a first request) and the mobile phone.
pub async fn set_contact(
    db: &DatabaseConnection,
    id: &str,
    email: &str,
    phone: Option<&str>,
) -> Result<(), DbErr> {
    recovery_flow::Entity::update_many()
        .col_expr(recovery_flow::Column::NewEmail, Expr::value(email))
        .col_expr(recovery_flow::Column::NewPhone, Expr::value(phone))
        .filter(recovery_flow::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Restarts the idle timeout of flow `id` while it is live and not over
/// (done or failed), and returns its new deadline; `None` when it is gone.
/// One conditional statement: an expired flow is never revived.
pub async fn extend(
    db: &DatabaseConnection,
    id: &str,
    now: i64,
    idle_secs: i64,
) -> Result<Option<i64>, DbErr> {
    let deadline = idle_deadline(now, idle_secs);
    let res = recovery_flow::Entity::update_many()
        .col_expr(recovery_flow::Column::UpdatedAt, Expr::value(now))
        .col_expr(recovery_flow::Column::ExpiresAt, Expr::value(deadline))
        .filter(recovery_flow::Column::Id.eq(id))
        .filter(recovery_flow::Column::ExpiresAt.gt(now))
        .filter(
            recovery_flow::Column::State
                .is_not_in([FlowState::Done.stored(), FlowState::Failed.stored()]),
        )
        .exec(db)
        .await?;
    Ok((res.rows_affected == 1).then_some(deadline))
}
