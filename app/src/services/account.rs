//! Claves, logins, sessions and "no fui yo" notices (SPEC §4.2–§4.4).

use super::db::{statement, stored};
use super::mail;
use super::{audit, hashing, questions};
use crate::domain::ecuador_time;
use crate::domain::mask::mask_email;
use crate::domain::stored::{AffiliateStatus, CaseKind, CaseStatus, MailKind, NoticeKind, Stored};
use crate::lang::Lang;
use entity::{affiliate, credential, login_lock, notice, session, staff_case};
use rand::RngCore;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    TransactionTrait,
};
use sha2::{Digest, Sha256};

/// Days a "no fui yo" link works (SPEC §2.1.1).
pub const NOTICE_DAYS: i64 = 10;
/// Failed logins before a lock, and the first lock's length (it doubles).
pub const LOGIN_MAX_FAILURES: i32 = 5;
pub const LOGIN_LOCK_SECS: i64 = 15 * 60;
/// The longest a login lock lasts, however often it repeats.
pub const LOGIN_LOCK_CAP_SECS: i64 = 24 * 3_600;
/// A day without a failed login forgets the count and the lock level.
pub const LOGIN_DECAY_SECS: i64 = 24 * 3_600;

pub fn random_token() -> String {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    hex::encode(raw)
}

/// Tokens travel in cookies and links; only their SHA-256 is stored.
pub fn token_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn looks_like_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

async fn new_notice<C: ConnectionTrait>(
    db: &C,
    cedula: &str,
    kind: NoticeKind,
    old_email: Option<&str>,
    now: i64,
) -> Result<String, DbErr> {
    let token = random_token();
    notice::Entity::insert(notice::ActiveModel {
        id: Set(token_id(&token)),
        cedula: Set(cedula.to_owned()),
        kind: Set(kind.stored().to_owned()),
        old_email: Set(old_email.map(str::to_owned)),
        created_at: Set(now),
        expires_at: Set(now + NOTICE_DAYS * 86_400),
        used_at: Set(None),
    })
    .exec(db)
    .await?;
    Ok(token)
}

/// Tells the registry's address that `new_email` replaced it, with a "no fui
/// yo" link that restores it (and locks the account).
async fn tell_old_address<C: ConnectionTrait>(
    db: &C,
    public_url: &str,
    person: &affiliate::Model,
    new_email: &str,
    lang: Lang,
    now: i64,
) -> Result<(), DbErr> {
    let token = new_notice(
        db,
        &person.cedula,
        NoticeKind::EmailChanged,
        Some(&person.email),
        now,
    )
    .await?;
    let body = mail::email_changed_mail(
        lang,
        &mask_email(new_email),
        NOTICE_DAYS,
        &format!("{public_url}/no-fui-yo?t={token}"),
    );
    mail::enqueue(db, MailKind::EmailChanged, &person.email, body, now).await
}

/// Stores a new clave at the end of a recovery: signs out every session,
/// forgets the question pair and login lock, records a replaced e-mail, and
/// mails the notices with their "no fui yo" links, in the language of the
/// person asking ([`mail::requester_lang`]).
pub async fn set_clave(
    db: &DatabaseConnection,
    public_url: &str,
    flow: &super::flow::Flow,
    person: &affiliate::Model,
    phc: String,
    now: i64,
) -> Result<(), DbErr> {
    let lang = mail::requester_lang();
    let txn = db.begin().await?;
    credential::Entity::insert(credential::ActiveModel {
        cedula: Set(person.cedula.clone()),
        password_hash: Set(phc),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(credential::Column::Cedula)
            .update_columns([
                credential::Column::PasswordHash,
                credential::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(&txn)
    .await?;
    session::Entity::delete_many()
        .filter(session::Column::Cedula.eq(&person.cedula))
        .exec(&txn)
        .await?;
    login_lock::Entity::delete_by_id(person.cedula.clone())
        .exec(&txn)
        .await?;
    questions::forget_pair(&txn, &person.cedula).await?;

    let mut current_email = person.email.clone();
    if let Some(new_email) = &flow.new_email {
        affiliate::Entity::update_many()
            .col_expr(affiliate::Column::Email, Expr::value(new_email))
            .filter(affiliate::Column::Cedula.eq(&person.cedula))
            .exec(&txn)
            .await?;
        tell_old_address(&txn, public_url, person, new_email, lang, now).await?;
        audit::record(
            &txn,
            "affiliate",
            "email_replaced",
            Some(&person.cedula),
            None,
            "ok",
            now,
        )
        .await?;
        current_email = new_email.clone();
    }
    let token = new_notice(&txn, &person.cedula, NoticeKind::ClaveChanged, None, now).await?;
    let body = mail::clave_changed_mail(
        lang,
        &ecuador_time::clock(now),
        &format!("{public_url}/no-fui-yo?t={token}"),
    );
    mail::enqueue(&txn, MailKind::ClaveChanged, &current_email, body, now).await?;
    audit::record(
        &txn,
        "affiliate",
        "clave_reset",
        Some(&person.cedula),
        None,
        "ok",
        now,
    )
    .await?;
    txn.commit().await
}

/// Creates the first clave at the end of a request, in one transaction with
/// everything the request gathered: the verified e-mail and the phone go into
/// the registry, the held answers become the affiliate's. A notice with a
/// "no fui yo" link goes to the new address; when it differs from the one the
/// registry had, the old address is told too, and its link restores it. The
/// mails are in the language of the person asking ([`mail::requester_lang`]).
/// Returns `false`, changing nothing, when the affiliate already has a clave.
pub async fn create_clave(
    db: &DatabaseConnection,
    public_url: &str,
    flow: &super::flow::Flow,
    person: &affiliate::Model,
    phc: String,
    now: i64,
) -> Result<bool, DbErr> {
    let lang = mail::requester_lang();
    let txn = db.begin().await?;
    let inserted = credential::Entity::insert(credential::ActiveModel {
        cedula: Set(person.cedula.clone()),
        password_hash: Set(phc),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(credential::Column::Cedula)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if inserted == 0 {
        txn.rollback().await?;
        return Ok(false);
    }
    questions::adopt_choice(&txn, &flow.id, &person.cedula).await?;
    login_lock::Entity::delete_by_id(person.cedula.clone())
        .exec(&txn)
        .await?;
    let email = flow
        .new_email
        .clone()
        .unwrap_or_else(|| person.email.clone());
    affiliate::Entity::update_many()
        .col_expr(affiliate::Column::Email, Expr::value(&email))
        .col_expr(
            affiliate::Column::Phone,
            Expr::value(flow.new_phone.clone()),
        )
        .filter(affiliate::Column::Cedula.eq(&person.cedula))
        .exec(&txn)
        .await?;
    if !email.eq_ignore_ascii_case(&person.email) {
        tell_old_address(&txn, public_url, person, &email, lang, now).await?;
    }
    let token = new_notice(&txn, &person.cedula, NoticeKind::ClaveCreated, None, now).await?;
    let body = mail::clave_created_mail(
        lang,
        &ecuador_time::clock(now),
        &format!("{public_url}/no-fui-yo?t={token}"),
    );
    mail::enqueue(&txn, MailKind::ClaveCreated, &email, body, now).await?;
    audit::record(
        &txn,
        "affiliate",
        "clave_created",
        Some(&person.cedula),
        None,
        "ok",
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// How a login attempt ended.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Signed in: the new session's cookie token.
    SignedIn { token: String },
    /// Wrong cédula or clave (never which).
    Wrong,
    /// Too many failures: locked until this Unix time.
    Locked { until: i64 },
    /// The account is locked until staff unlock it.
    AccountLocked,
    /// The hashing queue was full: nothing was compared and the try was
    /// given back.
    Busy,
}

/// Checks a login and opens a session. Unknown cédulas are checked against a
/// dummy hash and counted like known ones.
pub async fn login(
    db: &DatabaseConnection,
    cedula: &str,
    clave: &str,
    idle_secs: i64,
    absolute_secs: i64,
    now: i64,
) -> Result<LoginOutcome, DbErr> {
    login_with(
        db,
        cedula,
        clave,
        (idle_secs, absolute_secs),
        now,
        hashing::verify,
    )
    .await
}

/// [`login`] with the clave compared by `verify` (tests count the comparisons).
pub async fn login_with<V, F>(
    db: &DatabaseConnection,
    cedula: &str,
    clave: &str,
    (idle_secs, absolute_secs): (i64, i64),
    now: i64,
    verify: V,
) -> Result<LoginOutcome, DbErr>
where
    V: FnOnce(String, String) -> F,
    F: std::future::Future<Output = Result<bool, hashing::Busy>>,
{
    let level = match spend_login_try(db, cedula, now).await? {
        LoginTry::Within { tries, level } if tries >= LOGIN_MAX_FAILURES => Some(level),
        LoginTry::Within { .. } => None,
        LoginTry::Refused { until } => return Ok(LoginOutcome::Locked { until }),
    };
    let stored = credential::Entity::find_by_id(cedula.to_owned())
        .one(db)
        .await?;
    let phc = match &stored {
        Some(c) => Ok(c.password_hash.clone()),
        None => hashing::dummy().await,
    };
    let compared = match phc {
        Ok(phc) => verify(clave.to_owned(), phc.clone())
            .await
            .map(|ok| (ok, phc)),
        Err(busy) => Err(busy),
    };
    let Ok((matched, phc)) = compared else {
        refund_login_try(db, cedula).await?;
        return Ok(LoginOutcome::Busy);
    };
    let ok = matched && stored.is_some();
    if !ok {
        return Ok(match level {
            // This was the last try: the lock starts now.
            Some(level) => LoginOutcome::Locked {
                until: start_login_lock(db, cedula, level, now).await?,
            },
            None => LoginOutcome::Wrong,
        });
    }
    let person = affiliate::Entity::find_by_id(cedula.to_owned())
        .one(db)
        .await?;
    if person
        .as_ref()
        .map(account_locked)
        .transpose()?
        .unwrap_or(true)
    {
        return Ok(LoginOutcome::AccountLocked);
    }
    if hashing::needs_rehash(&phc) {
        if let Ok(fresh) = hashing::hash(clave.to_owned()).await {
            credential::Entity::update_many()
                .col_expr(credential::Column::PasswordHash, Expr::value(fresh))
                .filter(credential::Column::Cedula.eq(cedula))
                .filter(credential::Column::PasswordHash.eq(phc))
                .exec(db)
                .await?;
        }
    }
    login_lock::Entity::delete_by_id(cedula.to_owned())
        .exec(db)
        .await?;
    let token = random_token();
    session::Entity::insert(session::ActiveModel {
        id: Set(token_id(&token)),
        cedula: Set(cedula.to_owned()),
        created_at: Set(now),
        last_seen_at: Set(now),
        idle_expires_at: Set(now + idle_secs),
        absolute_expires_at: Set(now + absolute_secs),
    })
    .exec(db)
    .await?;
    audit::record(db, "affiliate", "login", Some(cedula), None, "ok", now).await?;
    Ok(LoginOutcome::SignedIn { token })
}

/// A login try, spent before the clave is compared.
enum LoginTry {
    /// The `tries`-th since the last success or lock, at lock `level`.
    Within { tries: i32, level: i32 },
    /// Locked (or its last tries are being compared right now).
    Refused { until: i64 },
}

/// How long the lock at `level` lasts: 15 minutes, doubling per repeat, at
/// most a day.
pub fn login_lock_secs(level: i32) -> i64 {
    (LOGIN_LOCK_SECS << level.clamp(0, 16)).min(LOGIN_LOCK_CAP_SECS)
}

/// Takes one login try for `cedula` (typed, registered or not) with one
/// conditional upsert: while not locked and fewer than five tries are taken.
/// After a day without a try the count and the lock level start over.
async fn spend_login_try(
    db: &DatabaseConnection,
    cedula: &str,
    now: i64,
) -> Result<LoginTry, DbErr> {
    const SPEND: &str = "INSERT INTO login_lock (cedula, failures, level, locked_until, updated_at) \
         VALUES ($1, 1, 0, NULL, $2) \
         ON CONFLICT (cedula) DO UPDATE SET \
           failures = CASE WHEN login_lock.updated_at <= $3 THEN 1 ELSE login_lock.failures + 1 END, \
           level = CASE WHEN login_lock.updated_at <= $3 THEN 0 ELSE login_lock.level END, \
           updated_at = $2 \
         WHERE (login_lock.locked_until IS NULL OR login_lock.locked_until <= $2) \
           AND (login_lock.failures < $4 OR login_lock.updated_at <= $3) \
         RETURNING failures, level";
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            SPEND,
            vec![
                cedula.into(),
                now.into(),
                (now - LOGIN_DECAY_SECS).into(),
                LOGIN_MAX_FAILURES.into(),
            ],
        ))
        .await?;
    if let Some(row) = row {
        return Ok(LoginTry::Within {
            tries: row.try_get("", "failures")?,
            level: row.try_get("", "level")?,
        });
    }
    let lock = login_lock::Entity::find_by_id(cedula.to_owned())
        .one(db)
        .await?;
    let until = lock
        .as_ref()
        .and_then(|l| l.locked_until)
        .filter(|u| *u > now)
        .unwrap_or_else(|| now + login_lock_secs(lock.map_or(0, |l| l.level)));
    Ok(LoginTry::Refused { until })
}

/// Gives back a try [`spend_login_try`] took but nothing compared.
async fn refund_login_try(db: &DatabaseConnection, cedula: &str) -> Result<(), DbErr> {
    use sea_orm::sea_query::ExprTrait;
    login_lock::Entity::update_many()
        .col_expr(
            login_lock::Column::Failures,
            Expr::col(login_lock::Column::Failures).sub(1),
        )
        .filter(login_lock::Column::Cedula.eq(cedula))
        .filter(login_lock::Column::Failures.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Locks login for `cedula` after its last try failed; returns until when.
async fn start_login_lock(
    db: &DatabaseConnection,
    cedula: &str,
    level: i32,
    now: i64,
) -> Result<i64, DbErr> {
    let until = now + login_lock_secs(level);
    login_lock::Entity::update_many()
        .col_expr(login_lock::Column::Failures, Expr::value(0))
        .col_expr(login_lock::Column::Level, Expr::value(level + 1))
        .col_expr(login_lock::Column::LockedUntil, Expr::value(until))
        .filter(login_lock::Column::Cedula.eq(cedula))
        .exec(db)
        .await?;
    Ok(until)
}

/// The live session behind a cookie token, with its affiliate; an idle or
/// absolute timeout ends it.
pub async fn session_for(
    db: &DatabaseConnection,
    token: &str,
    now: i64,
) -> Result<Option<(session::Model, affiliate::Model)>, DbErr> {
    if !looks_like_token(token) {
        return Ok(None);
    }
    let Some(s) = session::Entity::find_by_id(token_id(token)).one(db).await? else {
        return Ok(None);
    };
    if now >= s.idle_expires_at || now >= s.absolute_expires_at {
        session::Entity::delete_by_id(s.id).exec(db).await?;
        return Ok(None);
    }
    let person = affiliate::Entity::find_by_id(s.cedula.clone())
        .one(db)
        .await?;
    Ok(person.map(|p| (s, p)))
}

/// Restarts the idle timeout ("Seguir"), never past the absolute one.
pub async fn touch_session(
    db: &DatabaseConnection,
    s: &session::Model,
    idle_secs: i64,
    now: i64,
) -> Result<i64, DbErr> {
    let idle = (now + idle_secs).min(s.absolute_expires_at);
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(now))
        .col_expr(session::Column::IdleExpiresAt, Expr::value(idle))
        .filter(session::Column::Id.eq(&s.id))
        .exec(db)
        .await?;
    Ok(idle)
}

/// Ends the session behind a cookie token ("Salir").
pub async fn end_session(db: &DatabaseConnection, token: &str) -> Result<(), DbErr> {
    if looks_like_token(token) {
        session::Entity::delete_by_id(token_id(token))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Whether "no fui yo" or staff locked this affiliate's account.
pub fn account_locked(person: &affiliate::Model) -> Result<bool, DbErr> {
    Ok(stored::<AffiliateStatus>(&person.status)? == AffiliateStatus::Locked)
}

/// What a "no fui yo" link points at, while it still works.
pub async fn live_notice(
    db: &DatabaseConnection,
    token: &str,
    now: i64,
) -> Result<Option<notice::Model>, DbErr> {
    if !looks_like_token(token) {
        return Ok(None);
    }
    Ok(notice::Entity::find_by_id(token_id(token))
        .one(db)
        .await?
        .filter(|n| n.used_at.is_none() && n.expires_at > now))
}

/// "No fui yo": restores a replaced e-mail, locks the account, signs out every
/// session and opens a staff case. Returns the case number, or `None` when the
/// link is unknown, used or expired.
pub async fn report_not_me(
    db: &DatabaseConnection,
    token: &str,
    now: i64,
) -> Result<Option<i32>, DbErr> {
    let Some(n) = live_notice(db, token, now).await? else {
        return Ok(None);
    };
    let opened = CaseKind::not_me(stored(&n.kind)?);
    let txn = db.begin().await?;
    let taken = notice::Entity::update_many()
        .col_expr(notice::Column::UsedAt, Expr::value(now))
        .filter(notice::Column::Id.eq(&n.id))
        .filter(notice::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if taken.rows_affected != 1 {
        return Ok(None);
    }
    let mut lock = affiliate::Entity::update_many()
        .col_expr(
            affiliate::Column::Status,
            Expr::value(AffiliateStatus::Locked.stored()),
        )
        .filter(affiliate::Column::Cedula.eq(&n.cedula));
    if let Some(old) = &n.old_email {
        lock = lock.col_expr(affiliate::Column::Email, Expr::value(old));
    }
    lock.exec(&txn).await?;
    session::Entity::delete_many()
        .filter(session::Column::Cedula.eq(&n.cedula))
        .exec(&txn)
        .await?;
    let case = staff_case::Entity::insert(staff_case::ActiveModel {
        id: NotSet,
        cedula: Set(n.cedula.clone()),
        kind: Set(opened.stored().to_owned()),
        // Kept as data, in Spanish as ever; a page can show the stored
        // kind's `detail` in its reader's language instead.
        detail: Set(opened.detail(Lang::Es).to_owned()),
        status: Set(CaseStatus::Open.stored().to_owned()),
        created_at: Set(now),
        claimed_by: NotSet,
        note: NotSet,
        closed_at: NotSet,
    })
    .exec_with_returning(&txn)
    .await?;
    audit::record(
        &txn,
        "affiliate",
        "not_me",
        Some(&n.cedula),
        None,
        "locked",
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Some(case.id))
}
