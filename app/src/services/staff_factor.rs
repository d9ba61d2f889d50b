//! The staff second factor (ASVS V2.8, V4.3.1): the console can unlock
//! anyone, so a password alone opens only the factor page.
//!
//! TOTP as RFC 6238 and the authenticator apps have it (HMAC-SHA-1, six
//! digits, 30-second steps, one step either side for a slow clock), through
//! `totp-rs`. The secret (160 random bits) is made the first time an account
//! reaches the factor page and shown as a QR code and as text; the account is
//! enrolled once a code from it is typed. A code is good once: the accepted
//! step is claimed with one conditional update, so two requests with the same
//! code cannot both pass. Ten recovery codes are shown at enrolment and kept
//! as keyed hashes; each is spent with one conditional update.
//!
//! Every try is spent first (see [`limit`]): five wrong codes per user name in
//! 15 minutes, then locked like the password. A supervisor can reset a
//! colleague's factor: the secret and codes go, and the next sign-in enrols
//! again.

use super::account::{looks_like_token, random_token, token_id};
use super::limit::{self, Budget, Spent};
use super::{keyed_hash, Settings};
use crate::domain::staff::{FactorInput, SessionStage, RECOVERY_CODE_CHARS};
use crate::domain::stored::Stored;
use entity::{staff_factor, staff_recovery_code, staff_session};
use rand::RngCore;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, TransactionTrait,
};
use totp_rs::{Algorithm, Builder, Secret, Totp};

/// Wrong codes per user name before the factor is locked for the window.
pub const FACTOR_FAILURES: Budget = Budget {
    limit: 5,
    window_secs: 15 * 60,
};

/// How long a password-only session waits for its second factor.
pub const FACTOR_WAIT_SECS: i64 = 10 * 60;

/// Recovery codes made at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// The name the authenticator app shows for the account.
pub const ISSUER: &str = "Clave IESS personal";

const SECRET_BYTES: usize = 20;

/// The TOTP of a base32 secret (RFC 6238 as the apps implement it).
pub fn totp(secret_base32: &str, username: &str) -> Result<Totp, DbErr> {
    let secret = Secret::try_from_base32(secret_base32)
        .map_err(|e| DbErr::Custom(format!("stored TOTP secret: {e:?}")))?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(username)
        .build()
        .map_err(|e| DbErr::Custom(format!("TOTP: {e:?}")))
}

/// What the enrolment page shows: the secret as the app's link (for the QR
/// code) and as text, and the recovery codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolment {
    pub secret_base32: String,
    pub otpauth_url: String,
    pub recovery_codes: Vec<String>,
}

/// Where a password-only session stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactorPage {
    /// Not enrolled yet: set the app up with this.
    Enrol {
        username: String,
        enrolment: Enrolment,
    },
    /// Enrolled: type a code.
    Verify { username: String },
}

/// The password-only session behind a cookie token, while it waits.
async fn waiting_session(
    db: &DatabaseConnection,
    token: &str,
    now: i64,
) -> Result<Option<staff_session::Model>, DbErr> {
    if !looks_like_token(token) {
        return Ok(None);
    }
    let Some(s) = staff_session::Entity::find_by_id(token_id(token))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let stage: SessionStage = super::db::stored(&s.stage)?;
    Ok(
        (stage == SessionStage::Password && now < s.idle_expires_at && now < s.absolute_expires_at)
            .then_some(s),
    )
}

/// The user name of a password-only session that waits for its factor.
pub async fn waiting_user(
    db: &DatabaseConnection,
    token: &str,
    now: i64,
) -> Result<Option<String>, DbErr> {
    Ok(waiting_session(db, token, now).await?.map(|s| s.username))
}

/// The factor page of a password-only session; `None` when there is none
/// (signed out, expired, or already through). The first visit of an account
/// that has no secret makes one; two visits at once agree on it.
pub async fn page(
    db: &DatabaseConnection,
    settings: &Settings,
    token: &str,
    now: i64,
) -> Result<Option<FactorPage>, DbErr> {
    let Some(session) = waiting_session(db, token, now).await? else {
        return Ok(None);
    };
    let username = session.username;
    let mut raw = [0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    staff_factor::Entity::insert(staff_factor::ActiveModel {
        username: Set(username.clone()),
        secret: Set(Secret::from(raw.to_vec()).to_base32()),
        enrolled_at: Set(None),
        last_step: Set(None),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(staff_factor::Column::Username)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let factor = staff_factor::Entity::find_by_id(username.clone())
        .one(db)
        .await?
        .ok_or_else(|| DbErr::Custom("staff factor vanished".into()))?;
    if factor.enrolled_at.is_some() {
        return Ok(Some(FactorPage::Verify { username }));
    }
    let otpauth_url = totp(&factor.secret, &username)?
        .to_url()
        .map_err(|e| DbErr::Custom(format!("TOTP URL: {e:?}")))?;
    Ok(Some(FactorPage::Enrol {
        enrolment: Enrolment {
            recovery_codes: recovery_codes(settings, &username, &factor.secret),
            secret_base32: factor.secret,
            otpauth_url,
        },
        username,
    }))
}

/// The account's recovery codes, derived from its secret under the server
/// key: the enrolment page can be reloaded and show the same ones, and a
/// reset (a new secret) makes new ones. Whoever could read them from the
/// secret holds the secret, which passes the factor anyway.
pub fn recovery_codes(settings: &Settings, username: &str, secret_base32: &str) -> Vec<String> {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    (0..RECOVERY_CODES)
        .map(|i| {
            let mac = keyed_hash(
                settings.secret(),
                "staff-recovery-code",
                &format!("{username}\0{secret_base32}\0{i}"),
            );
            let bytes = hex::decode(mac).expect("keyed_hash is hex");
            bytes[..RECOVERY_CODE_CHARS]
                .iter()
                .map(|b| ALPHABET[usize::from(b & 31)] as char)
                .collect()
        })
        .collect()
}

fn recovery_code_hash(settings: &Settings, username: &str, code: &str) -> String {
    keyed_hash(
        settings.secret(),
        "staff-recovery-hash",
        &format!("{username}\0{code}"),
    )
}

/// How a factor try ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactorCheck {
    /// Through: a new token for the full session (the old one is gone).
    Passed {
        token: String,
        /// Recovery codes left, when one was used.
        recovery_codes_left: Option<u64>,
    },
    /// Wrong, used before, or a recovery code before enrolment.
    Wrong,
    /// Too many wrong codes for this user name: until this Unix time.
    Locked { until: i64 },
    /// No password-only session (signed out, expired, or already through).
    NoSession,
}

/// Checks what a password-only session typed on the factor page; on success
/// enrols the account if it was not yet, and opens the full session.
pub async fn check(
    db: &DatabaseConnection,
    settings: &Settings,
    token: &str,
    typed: &FactorInput,
    now: i64,
) -> Result<FactorCheck, DbErr> {
    let Some(session) = waiting_session(db, token, now).await? else {
        return Ok(FactorCheck::NoSession);
    };
    let username = session.username.clone();
    // Spent first: parallel guesses cannot pass the limit (see `limit`).
    let fail_key = format!("staff-factor-fail:{username}");
    let ticket = match limit::spend(db, &fail_key, FACTOR_FAILURES, now).await? {
        Spent::Within(ticket) => ticket,
        Spent::Over { until } => return Ok(FactorCheck::Locked { until }),
    };
    let factor = staff_factor::Entity::find_by_id(username.clone())
        .one(db)
        .await?;
    let passed = match (&factor, typed) {
        (Some(f), FactorInput::Totp(code)) => claim_step(db, f, code, now).await?,
        (Some(f), FactorInput::Recovery(code)) if f.enrolled_at.is_some() => {
            spend_recovery_code(db, settings, &username, code, now).await?
        }
        _ => false,
    };
    if !passed {
        return Ok(
            match limit::locked_until(db, &fail_key, FACTOR_FAILURES, now).await? {
                Some(until) => FactorCheck::Locked { until },
                None => FactorCheck::Wrong,
            },
        );
    }
    limit::refund(db, &ticket).await?;
    let factor = factor.expect("passed with a factor");
    let txn = db.begin().await?;
    if factor.enrolled_at.is_none() {
        let enrolled = staff_factor::Entity::update_many()
            .col_expr(staff_factor::Column::EnrolledAt, Expr::value(now))
            .filter(staff_factor::Column::Username.eq(&username))
            .filter(staff_factor::Column::Secret.eq(&factor.secret))
            .filter(staff_factor::Column::EnrolledAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
        if enrolled {
            staff_recovery_code::Entity::delete_many()
                .filter(staff_recovery_code::Column::Username.eq(&username))
                .exec(&txn)
                .await?;
            staff_recovery_code::Entity::insert_many(
                recovery_codes(settings, &username, &factor.secret)
                    .iter()
                    .map(|code| staff_recovery_code::ActiveModel {
                        username: Set(username.clone()),
                        code_hash: Set(recovery_code_hash(settings, &username, code)),
                        used_at: Set(None),
                    }),
            )
            .exec_without_returning(&txn)
            .await?;
        }
    }
    // The password-only session becomes a new full one (a new id, as at any
    // change of privilege); only one request can take it.
    let taken = staff_session::Entity::delete_many()
        .filter(staff_session::Column::Id.eq(&session.id))
        .filter(staff_session::Column::Stage.eq(SessionStage::Password.stored()))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    if !taken {
        txn.rollback().await?;
        return Ok(FactorCheck::NoSession);
    }
    let token = random_token();
    staff_session::Entity::insert(staff_session::ActiveModel {
        id: Set(token_id(&token)),
        username: Set(username.clone()),
        created_at: Set(now),
        idle_expires_at: Set(now + settings.session_idle_secs),
        absolute_expires_at: Set(now + settings.session_absolute_secs),
        stage: Set(SessionStage::Complete.stored().to_owned()),
    })
    .exec(&txn)
    .await?;
    txn.commit().await?;
    let recovery_codes_left = match typed {
        FactorInput::Recovery(_) => Some(
            staff_recovery_code::Entity::find()
                .filter(staff_recovery_code::Column::Username.eq(&username))
                .filter(staff_recovery_code::Column::UsedAt.is_null())
                .count(db)
                .await?,
        ),
        FactorInput::Totp(_) => None,
    };
    Ok(FactorCheck::Passed {
        token,
        recovery_codes_left,
    })
}

/// Whether `code` is the TOTP of a step no code was accepted for yet, which
/// it then claims (one conditional update: two requests with one code, one
/// passes).
async fn claim_step(
    db: &DatabaseConnection,
    factor: &staff_factor::Model,
    code: &str,
    now: i64,
) -> Result<bool, DbErr> {
    let totp = totp(&factor.secret, &factor.username)?;
    let Some(step) = totp.check(code, u64::try_from(now).unwrap_or(0)) else {
        return Ok(false);
    };
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    Ok(staff_factor::Entity::update_many()
        .col_expr(staff_factor::Column::LastStep, Expr::value(step))
        .filter(staff_factor::Column::Username.eq(&factor.username))
        .filter(staff_factor::Column::Secret.eq(&factor.secret))
        .filter(
            Condition::any()
                .add(staff_factor::Column::LastStep.is_null())
                .add(staff_factor::Column::LastStep.lt(step)),
        )
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Spends an unused recovery code of `username` (one conditional update).
async fn spend_recovery_code(
    db: &DatabaseConnection,
    settings: &Settings,
    username: &str,
    code: &str,
    now: i64,
) -> Result<bool, DbErr> {
    Ok(staff_recovery_code::Entity::update_many()
        .col_expr(staff_recovery_code::Column::UsedAt, Expr::value(now))
        .filter(staff_recovery_code::Column::Username.eq(username))
        .filter(
            staff_recovery_code::Column::CodeHash.eq(recovery_code_hash(settings, username, code)),
        )
        .filter(staff_recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// A supervisor's reset of a colleague's factor: the secret and recovery
/// codes go, the colleague's sessions end, and the next sign-in enrols again.
/// `false` when the account has no factor.
pub async fn reset(db: &DatabaseConnection, username: &str) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    staff_recovery_code::Entity::delete_many()
        .filter(staff_recovery_code::Column::Username.eq(username))
        .exec(&txn)
        .await?;
    let had = staff_factor::Entity::delete_many()
        .filter(staff_factor::Column::Username.eq(username))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    staff_session::Entity::delete_many()
        .filter(staff_session::Column::Username.eq(username))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(had)
}

/// Whether each account has enrolled a factor (for the supervisor's list).
pub async fn enrolled(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    Ok(staff_factor::Entity::find()
        .filter(staff_factor::Column::EnrolledAt.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.username)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows: the secret is the ASCII of
    /// "12345678901234567890"; the RFC prints eight digits, the apps show the
    /// last six.
    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        let t = totp(&secret, "prueba").unwrap();
        for (time, eight) in [
            (59_u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(t.generate(time).to_string(), eight[2..], "at {time}");
            // One step either side is accepted, three steps on it is not.
            assert!(t.check(&eight[2..], time + 30).is_some(), "at {time} + 30");
            assert!(t.check(&eight[2..], time - 30).is_some(), "at {time} - 30");
            assert!(t.check(&eight[2..], time + 90).is_none(), "at {time} + 90");
        }
    }

    #[test]
    fn the_app_link_names_the_issuer_and_the_account() {
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        let url = totp(&secret, "ana.perez").unwrap().to_url().unwrap();
        assert!(
            url.starts_with("otpauth://totp/Clave%20IESS%20personal:ana.perez?"),
            "{url}"
        );
        assert!(
            url.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            "{url}"
        );
        assert!(url.contains("issuer=Clave%20IESS%20personal"), "{url}");
    }
}
