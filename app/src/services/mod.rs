//! Server-only services: database access, captcha used-set, rate limits, flows.
//!
//! Stateless functions taking `&DatabaseConnection`, so every instance behind a
//! load balancer shares the same state through the database.

pub mod account;
pub mod audit;
pub mod callback;
pub mod captcha;
pub mod code;
pub mod db;
pub mod demo;
pub mod echo;
pub mod flow;
pub mod hashing;
pub mod identity;
pub mod limit;
pub mod mail;
pub mod questions;
pub mod registry;
pub mod retention;
pub mod settings;
pub mod staff;
pub mod staff_factor;
pub mod telemetry;
#[cfg(feature = "test-support")]
pub mod test_support;

use sea_orm::DatabaseConnection;
use std::sync::Arc;

pub use settings::{Mode, Settings};

/// What every request handler and server function can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
}

/// Why a service that compares a secret could not finish.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    /// The hashing queue was full: nothing was compared.
    #[error(transparent)]
    Busy(#[from] hashing::Busy),
}

impl From<hashing::HashError> for ServiceError {
    fn from(e: hashing::HashError) -> Self {
        match e {
            hashing::HashError::Busy(busy) => ServiceError::Busy(busy),
            hashing::HashError::Argon2(e) => {
                ServiceError::Db(sea_orm::DbErr::Custom(format!("hashing: {e}")))
            }
        }
    }
}

/// The insert hit a unique constraint (both backends report it the same way).
pub fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Seconds since the Unix epoch.
pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Hex HMAC-SHA-256 of `value` under the server secret: for values that must be
/// matched later but never stored in clear (client IPs, codes).
pub fn keyed_hash(secret: &[u8], purpose: &str, value: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key");
    mac.update(purpose.as_bytes());
    mac.update(&[0]);
    mac.update(value.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}
