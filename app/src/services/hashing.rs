//! argon2id hashing off the async runtime, with bounded concurrency.
//!
//! Each hash takes ~19 MiB and ~10 ms of a core; running them on the runtime's
//! threads would stall every other request, and running too many at once would
//! exhaust memory, so they go to the blocking pool and, there, wait for one of
//! as many slots as there are cores. The slots are a plain counting semaphore
//! on the blocking side, so no async waker ever crosses runtimes.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use std::sync::{Condvar, Mutex, OnceLock};

struct Slots {
    free: Mutex<usize>,
    freed: Condvar,
}

fn slots() -> &'static Slots {
    static SLOTS: OnceLock<Slots> = OnceLock::new();
    SLOTS.get_or_init(|| Slots {
        free: Mutex::new(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        ),
        freed: Condvar::new(),
    })
}

/// Runs `work` once a slot is free (blocking thread only).
fn in_slot<T>(work: impl FnOnce() -> T) -> T {
    let s = slots();
    {
        let mut free = s.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = s.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
    }
    let out = work();
    *s.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
    s.freed.notify_one();
    out
}

/// argon2id with OWASP's parameters (m = 19456 KiB, t = 2, p = 1).
fn hasher() -> Argon2<'static> {
    Argon2::default()
}

/// Hashes `secret` into a PHC string.
pub async fn hash(secret: String) -> Result<String, argon2::password_hash::Error> {
    tokio::task::spawn_blocking(move || {
        in_slot(|| {
            let salt = SaltString::generate(&mut OsRng);
            hasher()
                .hash_password(secret.as_bytes(), &salt)
                .map(|h| h.to_string())
        })
    })
    .await
    .expect("hashing task panicked")
}

/// Checks `secret` against a PHC string.
pub async fn verify(secret: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || {
        in_slot(|| {
            PasswordHash::new(&phc)
                .map(|parsed| hasher().verify_password(secret.as_bytes(), &parsed).is_ok())
                .unwrap_or(false)
        })
    })
    .await
    .expect("hashing task panicked")
}
