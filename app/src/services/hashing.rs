//! argon2id hashing off the async runtime, with bounded concurrency.
//!
//! Each hash takes ~19 MiB and ~10 ms of a core; running them on the runtime's
//! threads would stall every other request, and running too many at once would
//! exhaust memory, so they go to the blocking pool behind a semaphore.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use std::sync::OnceLock;
use tokio::sync::Semaphore;

fn permits() -> &'static Semaphore {
    static SEM: OnceLock<Semaphore> = OnceLock::new();
    SEM.get_or_init(|| {
        Semaphore::new(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        )
    })
}

/// argon2id with OWASP's parameters (m = 19456 KiB, t = 2, p = 1).
fn hasher() -> Argon2<'static> {
    Argon2::default()
}

/// Hashes `secret` into a PHC string.
pub async fn hash(secret: String) -> Result<String, argon2::password_hash::Error> {
    let _permit = permits().acquire().await.expect("semaphore never closed");
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(secret.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .expect("hashing task panicked")
}

/// Checks `secret` against a PHC string.
pub async fn verify(secret: String, phc: String) -> bool {
    let _permit = permits().acquire().await.expect("semaphore never closed");
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc)
            .map(|parsed| hasher().verify_password(secret.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    })
    .await
    .expect("hashing task panicked")
}
