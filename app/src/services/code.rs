//! E-mailed verification codes (SPEC §4.2): one live code per flow, stored as
//! a keyed hash bound to the flow id, sent through the outbox, accepted once.

use super::db::statement;
use super::limit::{allow, Budget};
use super::mail;
use super::{keyed_hash, Settings};
use crate::domain::code::{self as rules, CodeOutcome, StoredCode, VerificationCode};
use crate::domain::ecuador_time;
use crate::domain::stored::MailKind;
use entity::verification_code;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, TransactionTrait,
};
use subtle::ConstantTimeEq;

fn code_hash(settings: &Settings, flow_id: &str, code: &str) -> String {
    // The flow id is part of the hashed value: a code only fits its own flow.
    keyed_hash(settings.secret(), "code", &format!("{flow_id}:{code}"))
}

/// Why no code was sent.
#[derive(Debug, PartialEq, Eq)]
pub enum SendRefusal {
    /// The last code went out too recently: wait this many seconds.
    CoolingDown(i64),
    /// The hourly budget for this cédula, address or client is spent.
    TooMany,
}

/// A code on its way: when it stops working.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub sent_at: i64,
    pub expires_at: i64,
}

/// Sends a new code for `found` to `email`, voiding the previous one. The
/// hourly budgets are spent first, then the cool-down is claimed by the write
/// of the new code itself, so racing requests send one code. The mail is in
/// the language of the person asking ([`mail::requester_lang`]).
pub async fn send(
    db: &DatabaseConnection,
    settings: &Settings,
    found: &super::flow::Flow,
    email: &str,
    client_key: &str,
    now: i64,
) -> Result<Result<Sent, SendRefusal>, DbErr> {
    let lang = mail::requester_lang();
    let per_hour = Budget::per_hour(settings.code_sends_per_hour);
    let secret = settings.secret();
    let budgets = [
        (
            format!(
                "code:cedula:{}",
                keyed_hash(secret, "cedula", &found.cedula)
            ),
            per_hour,
        ),
        (
            format!(
                "code:email:{}",
                keyed_hash(secret, "email", &email.to_lowercase())
            ),
            per_hour,
        ),
        (
            format!("code:ip:{client_key}"),
            Budget::per_hour(settings.ip_code_sends_per_hour),
        ),
    ];
    for (key, budget) in budgets {
        if !allow(db, &key, budget, now).await? {
            return Ok(Err(SendRefusal::TooMany));
        }
    }

    let code = VerificationCode::generate();
    let expires_at = rules::expires_at(now);
    let link = format!(
        "{}{}?codigo={}",
        settings.public_url,
        crate::domain::steps::Step::code_link(found.kind).path(),
        code.as_str()
    );
    let body = mail::code_mail(lang, code.as_str(), &ecuador_time::clock(expires_at), &link);
    let txn = db.begin().await?;
    let claimed = verification_code::Entity::insert(verification_code::ActiveModel {
        flow_id: Set(found.id.clone()),
        code_hash: Set(code_hash(settings, &found.id, code.as_str())),
        email: Set(email.to_owned()),
        sent_at: Set(now),
        expires_at: Set(expires_at),
        wrong_tries: Set(0),
        used_at: Set(None),
    })
    .on_conflict(
        // The cool-down is claimed by this same statement: of racing sends,
        // only one replaces the code.
        OnConflict::column(verification_code::Column::FlowId)
            .update_columns([
                verification_code::Column::CodeHash,
                verification_code::Column::Email,
                verification_code::Column::SentAt,
                verification_code::Column::ExpiresAt,
                verification_code::Column::WrongTries,
                verification_code::Column::UsedAt,
            ])
            .action_and_where(
                Expr::col((verification_code::Entity, verification_code::Column::SentAt))
                    .lte(now - std::cmp::max(settings.code_resend_cooldown_secs, 0)),
            )
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if claimed == 0 {
        txn.rollback().await?;
        let last_sent = current(db, &found.id).await?.map_or(now, |c| c.sent_at);
        let wait = rules::resend_allowed(last_sent, now, settings.code_resend_cooldown_secs)
            .err()
            .unwrap_or(1);
        return Ok(Err(SendRefusal::CoolingDown(wait)));
    }
    mail::enqueue(&txn, MailKind::Code, email, body, now).await?;
    txn.commit().await?;
    Ok(Ok(Sent {
        sent_at: now,
        expires_at,
    }))
}

/// Voids the code of flow `id`: the flow went back to before the code step.
pub async fn void(db: &DatabaseConnection, flow_id: &str) -> Result<(), DbErr> {
    verification_code::Entity::delete_by_id(flow_id.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

/// The live code of a flow, if one was sent.
pub async fn current(
    db: &DatabaseConnection,
    flow_id: &str,
) -> Result<Option<verification_code::Model>, DbErr> {
    verification_code::Entity::find_by_id(flow_id.to_owned())
        .one(db)
        .await
}

/// Checks `code` (already in its 6-digit form) against the flow's live code,
/// *spent first*: one conditional statement takes a try while the code is
/// unused, unexpired and has tries left, and only then are the hashes
/// compared. Of any number of concurrent answers at most `MAX_WRONG_TRIES` are
/// compared, and of concurrent right answers exactly one is `Accepted`.
pub async fn verify(
    db: &DatabaseConnection,
    settings: &Settings,
    flow_id: &str,
    code: &str,
    now: i64,
) -> Result<CodeOutcome, DbErr> {
    let taken = db
        .query_one_raw(statement(
            db.get_database_backend(),
            "UPDATE verification_code SET wrong_tries = wrong_tries + 1 \
             WHERE flow_id = $1 AND used_at IS NULL AND expires_at > $2 AND wrong_tries < $3 \
             RETURNING wrong_tries, code_hash",
            vec![flow_id.into(), now.into(), rules::MAX_WRONG_TRIES.into()],
        ))
        .await?;
    let Some(row) = taken else {
        // No try left to take: say why the code is dead.
        let Some(row) = current(db, flow_id).await? else {
            return Ok(CodeOutcome::Dead(rules::CodeDeadReason::Voided));
        };
        let stored = StoredCode {
            expires_at: row.expires_at,
            wrong_tries: row.wrong_tries,
            used: row.used_at.is_some(),
            voided: false,
        };
        return Ok(match rules::check(&stored, false, now) {
            CodeOutcome::Dead(reason) => CodeOutcome::Dead(reason),
            // Replaced by a new code between the two statements.
            _ => CodeOutcome::Dead(rules::CodeDeadReason::Voided),
        });
    };
    let tries: i32 = row.try_get("", "wrong_tries")?;
    let stored_hash: String = row.try_get("", "code_hash")?;
    let given = code_hash(settings, flow_id, code);
    if !bool::from(given.as_bytes().ct_eq(stored_hash.as_bytes())) {
        return Ok(CodeOutcome::Wrong {
            tries_left: std::cmp::max(rules::MAX_WRONG_TRIES - tries, 0),
        });
    }
    let used = verification_code::Entity::update_many()
        .col_expr(verification_code::Column::UsedAt, Expr::value(now))
        .filter(verification_code::Column::FlowId.eq(flow_id))
        .filter(verification_code::Column::CodeHash.eq(given))
        .filter(verification_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(if used.rows_affected == 1 {
        CodeOutcome::Accepted
    } else {
        CodeOutcome::Dead(rules::CodeDeadReason::Used)
    })
}
