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

/// A hash of a random secret with today's parameters: unknown users are checked
/// against it, so a login for an unregistered cédula takes the same time.
pub async fn dummy() -> String {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return h.clone();
    }
    let mut raw = [0u8; 16];
    argon2::password_hash::rand_core::RngCore::fill_bytes(&mut OsRng, &mut raw);
    let h = hash(hex::encode(raw))
        .await
        .expect("argon2 hashes a short secret");
    DUMMY.get_or_init(|| h).clone()
}

/// The stored hash was made with other parameters (or algorithm) than today's.
pub fn needs_rehash(phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return true;
    };
    let current = argon2::Params::default();
    parsed.algorithm != argon2::Algorithm::Argon2id.ident()
        || parsed.version != Some(argon2::Version::V0x13.into())
        || argon2::Params::try_from(&parsed).map_or(true, |p| {
            p.m_cost() != current.m_cost()
                || p.t_cost() != current.t_cost()
                || p.p_cost() != current.p_cost()
        })
}

/// Hashes per second with today's parameters, as many at once as there are
/// slots (cores), measured for `window`.
pub async fn rate(window: std::time::Duration) -> f64 {
    let start = std::time::Instant::now();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut tasks = Vec::new();
    for _ in 0..workers {
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while start.elapsed() < window {
                hash("a sample clave for timing".into()).await.ok();
                n += 1;
            }
            n
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap_or(0);
    }
    total as f64 / start.elapsed().as_secs_f64()
}
