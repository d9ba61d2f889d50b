//! The staff console's services (SPEC §2.4): accounts and their sessions
//! (apart from affiliates'), unlocking, "no fui yo" cases and the
//! supervisor's counts.

use super::account::{looks_like_token, random_token, token_id};
use super::limit::{self, Budget, Spent};
use super::{hashing, identity, staff_factor, Settings};
use crate::domain::callback::CallbackStatus;
use crate::domain::staff::{Role, SessionStage};
use crate::domain::stored::{AffiliateStatus, CaseStatus, Stored};
use entity::{
    affiliate, callback_request, credential, login_lock, staff_account, staff_case, staff_session,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

/// Wrong passwords per user name before it is locked for the window.
pub const LOGIN_FAILURES: Budget = Budget {
    limit: 5,
    window_secs: 15 * 60,
};

/// A signed-in staff user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// When the session ends if unused (this use restarted the count).
    pub idle_until: i64,
}

/// Creates a staff account (the CLI's `create-staff`), or replaces the
/// password, name and role of an existing one and reactivates it.
pub async fn upsert_account(
    db: &DatabaseConnection,
    username: &str,
    display_name: &str,
    password: &str,
    role: Role,
    now: i64,
) -> Result<bool, DbErr> {
    let existing = staff_account::Entity::find_by_id(username.to_owned())
        .one(db)
        .await?;
    let created_at = existing.as_ref().map_or(now, |e| e.created_at);
    let model = account_model(username, display_name, password, role, created_at).await?;
    if existing.is_some() {
        staff_account::Entity::update(model).exec(db).await?;
        // A new password ends the old sessions.
        end_sessions_of(db, username).await?;
        Ok(false)
    } else {
        staff_account::Entity::insert(model).exec(db).await?;
        Ok(true)
    }
}

/// Adds a staff account from the console: never replaces one (two
/// supervisors adding the same name at once: one wins, the other is told).
/// `false` when the name is taken.
pub async fn create_account(
    db: &DatabaseConnection,
    username: &str,
    display_name: &str,
    password: &str,
    role: Role,
    now: i64,
) -> Result<bool, DbErr> {
    let model = account_model(username, display_name, password, role, now).await?;
    match staff_account::Entity::insert(model).exec(db).await {
        Ok(_) => Ok(true),
        Err(e) if super::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// An active account with `password` hashed (off the runtime).
async fn account_model(
    username: &str,
    display_name: &str,
    password: &str,
    role: Role,
    created_at: i64,
) -> Result<staff_account::ActiveModel, DbErr> {
    let phc = hashing::hash(password.to_owned())
        .await
        .map_err(|e| DbErr::Custom(format!("hash staff password: {e}")))?;
    Ok(staff_account::ActiveModel {
        username: Set(username.to_owned()),
        display_name: Set(display_name.to_owned()),
        password_hash: Set(phc),
        role: Set(role.as_str().to_owned()),
        active: Set(true),
        created_at: Set(created_at),
    })
}

/// How a staff login ended.
#[derive(Debug, PartialEq, Eq)]
pub enum StaffLogin {
    /// The password is right: a session that opens only the second factor's
    /// page (see [`super::staff_factor`]).
    PasswordAccepted { token: String },
    /// Wrong user name or password (never which).
    Wrong,
    /// Too many wrong passwords for this user name: until this Unix time.
    Locked { until: i64 },
    /// The hashing queue was full: nothing was compared and the try was
    /// given back.
    Busy,
}

/// Checks a staff login and opens a staff session. Unknown and inactive user
/// names cost the same argon2 work as known ones.
pub async fn login(
    db: &DatabaseConnection,
    settings: &Settings,
    username: &str,
    password: &str,
    now: i64,
) -> Result<StaffLogin, DbErr> {
    login_with(db, settings, username, password, now, hashing::verify).await
}

/// [`login`] with the password compared by `verify` (tests count the
/// comparisons).
pub async fn login_with<V, F>(
    db: &DatabaseConnection,
    settings: &Settings,
    username: &str,
    password: &str,
    now: i64,
    verify: V,
) -> Result<StaffLogin, DbErr>
where
    V: FnOnce(String, String) -> F,
    F: std::future::Future<Output = Result<bool, hashing::Busy>>,
{
    // Spent first: parallel guesses cannot pass the limit (see `limit`).
    let fail_key = format!("staff-login-fail:{username}");
    let ticket = match limit::spend(db, &fail_key, LOGIN_FAILURES, now).await? {
        Spent::Within(ticket) => ticket,
        Spent::Over { until } => return Ok(StaffLogin::Locked { until }),
    };
    let account = staff_account::Entity::find_by_id(username.to_owned())
        .one(db)
        .await?
        .filter(|a| a.active);
    let phc = match &account {
        Some(a) => Ok(a.password_hash.clone()),
        None => hashing::dummy().await,
    };
    let compared = match phc {
        Ok(phc) => verify(password.to_owned(), phc).await,
        Err(busy) => Err(busy),
    };
    let Ok(matched) = compared else {
        limit::refund(db, &ticket).await?;
        return Ok(StaffLogin::Busy);
    };
    let ok = matched && account.is_some();
    if !ok {
        return Ok(
            match limit::locked_until(db, &fail_key, LOGIN_FAILURES, now).await? {
                Some(until) => StaffLogin::Locked { until },
                None => StaffLogin::Wrong,
            },
        );
    }
    limit::refund(db, &ticket).await?;
    let token = random_token();
    let wait = staff_factor::FACTOR_WAIT_SECS.min(settings.session_idle_secs);
    staff_session::Entity::insert(staff_session::ActiveModel {
        id: Set(token_id(&token)),
        username: Set(username.to_owned()),
        created_at: Set(now),
        idle_expires_at: Set(now + wait),
        absolute_expires_at: Set(now + wait),
        stage: Set(SessionStage::Password.stored().to_owned()),
    })
    .exec(db)
    .await?;
    Ok(StaffLogin::PasswordAccepted { token })
}

/// The staff user behind a cookie token, while the session and the account
/// live and the second factor was passed; each use restarts the idle timeout.
pub async fn session_user(
    db: &DatabaseConnection,
    settings: &Settings,
    token: &str,
    now: i64,
) -> Result<Option<StaffUser>, DbErr> {
    if !looks_like_token(token) {
        return Ok(None);
    }
    let Some(s) = staff_session::Entity::find_by_id(token_id(token))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if now >= s.idle_expires_at || now >= s.absolute_expires_at {
        staff_session::Entity::delete_by_id(s.id).exec(db).await?;
        return Ok(None);
    }
    let stage: SessionStage = super::db::stored(&s.stage)?;
    if stage != SessionStage::Complete {
        return Ok(None);
    }
    let Some(account) = staff_account::Entity::find_by_id(s.username.clone())
        .one(db)
        .await?
        .filter(|a| a.active)
    else {
        return Ok(None);
    };
    let role: Role = super::db::stored(&account.role)?;
    let idle_until = (now + settings.session_idle_secs).min(s.absolute_expires_at);
    staff_session::Entity::update_many()
        .col_expr(
            staff_session::Column::IdleExpiresAt,
            Expr::value(idle_until),
        )
        .filter(staff_session::Column::Id.eq(&s.id))
        .exec(db)
        .await?;
    Ok(Some(StaffUser {
        username: account.username,
        display_name: account.display_name,
        role,
        idle_until,
    }))
}

/// Ends the staff session behind a cookie token.
pub async fn end_session(db: &DatabaseConnection, token: &str) -> Result<(), DbErr> {
    if looks_like_token(token) {
        staff_session::Entity::delete_by_id(token_id(token))
            .exec(db)
            .await?;
    }
    Ok(())
}

async fn end_sessions_of(db: &DatabaseConnection, username: &str) -> Result<(), DbErr> {
    staff_session::Entity::delete_many()
        .filter(staff_session::Column::Username.eq(username))
        .exec(db)
        .await?;
    Ok(())
}

/// Every staff account, by user name.
pub async fn accounts(db: &DatabaseConnection) -> Result<Vec<staff_account::Model>, DbErr> {
    staff_account::Entity::find()
        .order_by_asc(staff_account::Column::Username)
        .all(db)
        .await
}

/// Turns an account on or off; turning it off ends its sessions. `false`
/// when there is no such account.
pub async fn set_active(
    db: &DatabaseConnection,
    username: &str,
    active: bool,
) -> Result<bool, DbErr> {
    let changed = staff_account::Entity::update_many()
        .col_expr(staff_account::Column::Active, Expr::value(active))
        .filter(staff_account::Column::Username.eq(username))
        .exec(db)
        .await?
        .rows_affected
        == 1;
    if changed && !active {
        end_sessions_of(db, username).await?;
    }
    Ok(changed)
}

/// What locks an affiliate has now, as staff see them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Locks {
    /// Locked after "no fui yo" (until staff unlock it).
    pub account: bool,
    /// Login locked until this Unix time.
    pub logins_until: Option<i64>,
    /// Recovery and request locked until this Unix time.
    pub identity_until: Option<i64>,
}

impl Locks {
    pub fn any(&self) -> bool {
        self.account || self.logins_until.is_some() || self.identity_until.is_some()
    }
}

pub async fn locks(
    db: &DatabaseConnection,
    settings: &Settings,
    person: &affiliate::Model,
    now: i64,
) -> Result<Locks, DbErr> {
    let logins_until = login_lock::Entity::find_by_id(person.cedula.clone())
        .one(db)
        .await?
        .and_then(|l| l.locked_until)
        .filter(|u| *u > now);
    Ok(Locks {
        account: super::account::account_locked(person)?,
        logins_until,
        identity_until: identity::cedula_locked_until(db, settings, &person.cedula, now).await?,
    })
}

/// What a stored clave becomes when staff lift an account lock: no argon2
/// hash, so no login matches it until the person recovers a new clave (the
/// lock came from "no fui yo": whoever set the old clave may not be them).
pub const CLAVE_VOIDED: &str = "!void: recover a new clave";

/// Lifts every lock of a cédula: the account lock, the login lock and the
/// identity-check counters. Lifting an account lock also voids the clave.
/// Returns the locks it found (all lifted).
pub async fn unlock(
    db: &DatabaseConnection,
    settings: &Settings,
    cedula: &str,
    now: i64,
) -> Result<Option<Locks>, DbErr> {
    let Some(person) = affiliate::Entity::find_by_id(cedula.to_owned())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let found = locks(db, settings, &person, now).await?;
    let txn = db.begin().await?;
    if found.account {
        affiliate::Entity::update_many()
            .col_expr(
                affiliate::Column::Status,
                Expr::value(AffiliateStatus::Active.stored()),
            )
            .filter(affiliate::Column::Cedula.eq(cedula))
            .exec(&txn)
            .await?;
        credential::Entity::update_many()
            .col_expr(credential::Column::PasswordHash, Expr::value(CLAVE_VOIDED))
            .filter(credential::Column::Cedula.eq(cedula))
            .exec(&txn)
            .await?;
    }
    login_lock::Entity::delete_by_id(cedula.to_owned())
        .exec(&txn)
        .await?;
    limit::clear(&txn, &identity::cedula_key(settings, cedula)).await?;
    txn.commit().await?;
    Ok(Some(found))
}

/// Open and claimed "no fui yo" cases, oldest first.
pub async fn open_cases(db: &DatabaseConnection) -> Result<Vec<staff_case::Model>, DbErr> {
    staff_case::Entity::find()
        .filter(staff_case::Column::Status.ne(CaseStatus::Closed.stored()))
        .order_by_asc(staff_case::Column::CreatedAt)
        .all(db)
        .await
}

/// Claims an open case (`note` None) or closes a claimed one with a note;
/// returns its cédula, or `None` when the case is not in the state the
/// action needs (or is someone else's).
pub async fn work_case(
    db: &DatabaseConnection,
    id: i32,
    by: &str,
    close_note: Option<&str>,
    now: i64,
) -> Result<Option<String>, DbErr> {
    let Some(case) = staff_case::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let update = match close_note {
        None => staff_case::Entity::update_many()
            .col_expr(
                staff_case::Column::Status,
                Expr::value(CaseStatus::Claimed.stored()),
            )
            .col_expr(staff_case::Column::ClaimedBy, Expr::value(by))
            .filter(staff_case::Column::Status.eq(CaseStatus::Open.stored())),
        Some(note) => staff_case::Entity::update_many()
            .col_expr(
                staff_case::Column::Status,
                Expr::value(CaseStatus::Closed.stored()),
            )
            .col_expr(staff_case::Column::Note, Expr::value(note))
            .col_expr(staff_case::Column::ClosedAt, Expr::value(now))
            .filter(staff_case::Column::Status.eq(CaseStatus::Claimed.stored()))
            .filter(staff_case::Column::ClaimedBy.eq(by)),
    };
    let moved = update
        .filter(staff_case::Column::Id.eq(id))
        .exec(db)
        .await?
        .rows_affected
        == 1;
    Ok(moved.then_some(case.cedula))
}

/// The supervisor's figures: requests per status now, and requests made per
/// day (Ecuador dates) over the last `days` days, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub by_status: Vec<(CallbackStatus, u64)>,
    pub by_day: Vec<(String, u64)>,
}

pub async fn counts(db: &DatabaseConnection, now: i64, days: i64) -> Result<Counts, DbErr> {
    use std::collections::BTreeMap;
    let rows = callback_request::Entity::find().all(db).await?;
    let statuses = rows
        .iter()
        .map(|r| super::db::stored(&r.status))
        .collect::<Result<Vec<CallbackStatus>, DbErr>>()?;
    let by_status = CallbackStatus::ALL
        .into_iter()
        .map(|s| (s, statuses.iter().filter(|&&t| t == s).count() as u64))
        .collect();
    let since = now - days * 86_400;
    let mut per_day: BTreeMap<String, u64> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.created_at >= since) {
        *per_day
            .entry(crate::domain::ecuador_time::date(r.created_at))
            .or_default() += 1;
    }
    Ok(Counts {
        by_status,
        by_day: per_day.into_iter().rev().collect(),
    })
}
