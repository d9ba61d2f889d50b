//! E-mailed verification codes (SPEC §4.2): one live code per flow, stored as
//! a keyed hash bound to the flow id, sent through the outbox, accepted once.

use super::mail::{self, Locale};
use super::rate_limit::{spend, Budget};
use super::{keyed_hash, Settings};
use crate::domain::code::{self as rules, CodeOutcome, StoredCode, VerificationCode};
use entity::{recovery_flow, verification_code};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    TransactionTrait,
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

fn ecuador_format(unix: i64, format: &str) -> String {
    use chrono::TimeZone;
    chrono_tz::America::Guayaquil
        .timestamp_opt(unix, 0)
        .single()
        .map(|t| t.format(format).to_string())
        .unwrap_or_default()
}

/// "10:42": a Unix time as a clock time in Ecuador.
pub fn ecuador_clock(unix: i64) -> String {
    ecuador_format(unix, "%H:%M")
}

/// "26/11/2026 a las 14:30": a Unix time as a date and clock time in Ecuador.
pub fn ecuador_date_time(unix: i64) -> String {
    ecuador_format(unix, "%d/%m/%Y a las %H:%M")
}

/// "2026-11-26": a Unix time's date in Ecuador (sorts as text).
pub fn ecuador_date(unix: i64) -> String {
    ecuador_format(unix, "%Y-%m-%d")
}

/// Sends a new code for `found` to `email`, voiding the previous one.
pub async fn send(
    db: &DatabaseConnection,
    settings: &Settings,
    found: &recovery_flow::Model,
    email: &str,
    client_key: &str,
    now: i64,
) -> Result<Result<Sent, SendRefusal>, DbErr> {
    if let Some(last) = verification_code::Entity::find_by_id(found.id.clone())
        .one(db)
        .await?
    {
        if let Err(wait) =
            rules::resend_allowed(last.sent_at, now, settings.code_resend_cooldown_secs)
        {
            return Ok(Err(SendRefusal::CoolingDown(wait)));
        }
    }
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
        if !spend(db, &key, budget, now).await? {
            return Ok(Err(SendRefusal::TooMany));
        }
    }

    let code = VerificationCode::generate();
    let expires_at = rules::expires_at(now);
    let kind = crate::domain::flow::FlowKind::parse(&found.kind)
        .unwrap_or(crate::domain::flow::FlowKind::Recovery);
    let link = format!(
        "{}{}/codigo/enlace?codigo={}",
        settings.public_url,
        kind.home(),
        code.as_str()
    );
    let body = mail::code_mail(Locale::Es, code.as_str(), &ecuador_clock(expires_at), &link);
    let txn = db.begin().await?;
    verification_code::Entity::insert(verification_code::ActiveModel {
        flow_id: Set(found.id.clone()),
        code_hash: Set(code_hash(settings, &found.id, code.as_str())),
        email: Set(email.to_owned()),
        sent_at: Set(now),
        expires_at: Set(expires_at),
        wrong_tries: Set(0),
        used_at: Set(None),
    })
    .on_conflict(
        OnConflict::column(verification_code::Column::FlowId)
            .update_columns([
                verification_code::Column::CodeHash,
                verification_code::Column::Email,
                verification_code::Column::SentAt,
                verification_code::Column::ExpiresAt,
                verification_code::Column::WrongTries,
                verification_code::Column::UsedAt,
            ])
            .to_owned(),
    )
    .exec(&txn)
    .await?;
    mail::enqueue(&txn, "code", email, body, now).await?;
    txn.commit().await?;
    Ok(Ok(Sent {
        sent_at: now,
        expires_at,
    }))
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

/// Checks `code` (already in its 6-digit form) against the flow's live code.
/// Of any number of concurrent right answers, exactly one is `Accepted`.
pub async fn verify(
    db: &DatabaseConnection,
    settings: &Settings,
    flow_id: &str,
    code: &str,
    now: i64,
) -> Result<CodeOutcome, DbErr> {
    let Some(row) = current(db, flow_id).await? else {
        return Ok(CodeOutcome::Dead(rules::CodeDeadReason::Voided));
    };
    let given = code_hash(settings, flow_id, code);
    let matches: bool = given.as_bytes().ct_eq(row.code_hash.as_bytes()).into();
    let stored = StoredCode {
        expires_at: row.expires_at,
        wrong_tries: row.wrong_tries,
        used: row.used_at.is_some(),
        voided: false,
    };
    match rules::check(&stored, matches, now) {
        CodeOutcome::Accepted => {
            let taken = verification_code::Entity::update_many()
                .col_expr(verification_code::Column::UsedAt, Expr::value(now))
                .filter(verification_code::Column::FlowId.eq(flow_id))
                .filter(verification_code::Column::CodeHash.eq(given))
                .filter(verification_code::Column::UsedAt.is_null())
                .filter(verification_code::Column::ExpiresAt.gt(now))
                .filter(verification_code::Column::WrongTries.lt(rules::MAX_WRONG_TRIES))
                .exec(db)
                .await?;
            Ok(if taken.rows_affected == 1 {
                CodeOutcome::Accepted
            } else {
                CodeOutcome::Dead(rules::CodeDeadReason::Used)
            })
        }
        CodeOutcome::Wrong { .. } => {
            verification_code::Entity::update_many()
                .col_expr(
                    verification_code::Column::WrongTries,
                    Expr::col(verification_code::Column::WrongTries).add(1),
                )
                .filter(verification_code::Column::FlowId.eq(flow_id))
                .filter(verification_code::Column::UsedAt.is_null())
                .exec(db)
                .await?;
            let tries = current(db, flow_id)
                .await?
                .map_or(rules::MAX_WRONG_TRIES, |r| r.wrong_tries);
            Ok(CodeOutcome::Wrong {
                tries_left: std::cmp::max(rules::MAX_WRONG_TRIES - tries, 0),
            })
        }
        dead => Ok(dead),
    }
}
