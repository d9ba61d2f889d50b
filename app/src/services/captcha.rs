//! Issuing captcha challenges and redeeming solutions exactly once.

use super::telemetry;
use crate::domain::captcha::{self, CaptchaError, Challenge};
use entity::captcha_use;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

/// Why a submitted solution was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Rejection {
    Invalid(CaptchaError),
    /// The signature was already accepted once.
    Replayed,
}

/// A challenge bound to `binding` (the client's keyed IP hash), so a solution
/// only counts from where it was requested. The binding also makes the salt
/// longer than one SHA-256 block, which halves the browser's work per try.
pub fn issue(secret: &[u8], maxnumber: u64, ttl_secs: i64, now: i64, binding: &str) -> Challenge {
    captcha::new_challenge(secret, maxnumber, now + ttl_secs, Some(binding))
}

/// Verifies `payload` and records its signature; a second redemption of the same
/// signature, from any instance, is refused by the primary key.
pub async fn redeem(
    db: &DatabaseConnection,
    secret: &[u8],
    payload: &str,
    now: i64,
    binding: &str,
) -> Result<Result<(), Rejection>, DbErr> {
    let verified = match captcha::verify(secret, payload, now, Some(binding)) {
        Ok(v) => v,
        Err(e) => {
            telemetry::captcha_verified("invalid");
            return Ok(Err(Rejection::Invalid(e)));
        }
    };
    captcha_use::Entity::delete_many()
        .filter(captcha_use::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    let inserted = captcha_use::Entity::insert(captcha_use::ActiveModel {
        signature: Set(verified.signature),
        expires_at: Set(verified.expires_unix),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(db)
    .await?;
    Ok(match inserted {
        sea_orm::TryInsertResult::Inserted(1) => {
            telemetry::captcha_verified("ok");
            Ok(())
        }
        _ => {
            telemetry::captcha_verified("replayed");
            Err(Rejection::Replayed)
        }
    })
}
