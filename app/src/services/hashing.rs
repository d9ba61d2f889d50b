//! argon2id hashing off the async runtime, with bounded concurrency and a
//! bounded queue.
//!
//! Each hash takes ~19 MiB and ~15 ms of a core; running them on the runtime's
//! threads would stall every other request, and running too many at once would
//! exhaust memory. They run on a fixed pool of one thread per core, fed by a
//! queue: at most that many hashes at a time, and always the same threads.
//! The queue holds at most `CLAVE_HASH_QUEUE_LENGTH` waiting hashes; when it is
//! full a request is refused at once ([`Busy`]: 503 with `Retry-After`) rather
//! than waiting behind a flood, so memory and latency stay bounded.
//! (With `spawn_blocking` plus a semaphore, every blocking thread that ever
//! hashed kept its own 19 MiB in its malloc arena: `clave argon2-rate` peaked at
//! 790 MiB and a 40-recovery load at 1.4 GiB. With this pool: see `bench/`.)

use argon2::password_hash::{rand_core::OsRng, PasswordHash, SaltString};
use argon2::{Argon2, PasswordVerifier};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};

type Job = Box<dyn FnOnce() + Send>;

/// Hashes that may wait for a hashing thread when none is set.
pub const DEFAULT_QUEUE_LENGTH: usize = 64;

/// Seconds a refused client is told to wait (`Retry-After`): a full queue
/// drains in well under a second at the measured rate (see `bench/`).
pub const RETRY_AFTER_SECS: u64 = 5;

/// The hashing queue was full: nothing was hashed or compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the hashing queue is full")]
pub struct Busy;

/// Why a hash could not be made.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error("argon2: {0}")]
    Argon2(argon2::password_hash::Error),
}

/// Hashes waiting for a thread now, and how many may; hashes running now.
static WAITING: AtomicUsize = AtomicUsize::new(0);
static RUNNING: AtomicUsize = AtomicUsize::new(0);
static QUEUE_LENGTH: AtomicUsize = AtomicUsize::new(DEFAULT_QUEUE_LENGTH);

/// Lets `length` hashes wait for a hashing thread (the setting
/// `CLAVE_HASH_QUEUE_LENGTH`); more are refused with [`Busy`].
pub fn set_queue_length(length: usize) {
    QUEUE_LENGTH.store(length, Ordering::SeqCst);
}

/// The queue of the hashing threads, started on first use.
fn queue() -> &'static Mutex<mpsc::Sender<Job>> {
    static QUEUE: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(Mutex::new(rx));
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        for i in 0..threads {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(poisoned) => poisoned.into_inner().recv(),
                    };
                    match job {
                        Ok(job) => {
                            RUNNING.fetch_add(1, Ordering::SeqCst);
                            WAITING.fetch_sub(1, Ordering::SeqCst);
                            job();
                            RUNNING.fetch_sub(1, Ordering::SeqCst);
                        }
                        Err(_) => return,
                    }
                })
                .expect("start a hashing thread");
        }
        Mutex::new(tx)
    })
}

/// Hashes waiting for a hashing thread now, and hashes running now.
pub fn load() -> (usize, usize) {
    (
        WAITING.load(Ordering::SeqCst),
        RUNNING.load(Ordering::SeqCst),
    )
}

/// Runs `work` on a hashing thread and waits for it without blocking the
/// runtime; [`Busy`] at once when the queue is full.
async fn on_hashing_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Busy> {
    let queue = queue();
    // A place in the queue is taken by one atomic step, so parallel requests
    // cannot overfill it.
    let limit = QUEUE_LENGTH.load(Ordering::SeqCst);
    WAITING
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |w| {
            (w < limit).then_some(w + 1)
        })
        .map_err(|_| {
            super::telemetry::hash_refused_busy();
            Busy
        })?;
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    queue
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .send(job)
        .expect("hashing threads run for the life of the process");
    Ok(result.await.expect("a hashing job panicked"))
}

/// argon2id with OWASP's parameters (m = 19456 KiB, t = 2, p = 1).
fn hasher() -> Argon2<'static> {
    Argon2::default()
}

thread_local! {
    /// This hashing thread's argon2 memory, allocated once and reused: a fresh
    /// 19 MiB allocation per hash made glibc's heap grow without bound.
    static BLOCKS: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs argon2 with `params` into `out`, in this thread's reusable memory.
fn compute(
    argon: &Argon2<'_>,
    params: &argon2::Params,
    secret: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    BLOCKS.with(|cell| {
        let mut blocks = cell.borrow_mut();
        let needed = params.block_count();
        if blocks.len() < needed {
            blocks.resize(needed, argon2::Block::default());
        }
        argon.hash_password_into_with_memory(secret, salt, out, &mut blocks[..needed])
    })
}

fn hash_now(secret: &[u8]) -> Result<String, argon2::password_hash::Error> {
    use argon2::password_hash::{Output, ParamsString};
    let argon = hasher();
    let params = argon.params().clone();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_buf = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_buf)?;
    let mut out = vec![
        0u8;
        params
            .output_len()
            .unwrap_or(argon2::Params::DEFAULT_OUTPUT_LEN)
    ];
    compute(&argon, &params, secret, salt_bytes, &mut out)?;
    Ok(PasswordHash {
        algorithm: argon2::Algorithm::Argon2id.ident(),
        version: Some(argon2::Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out)?),
    }
    .to_string())
}

fn verify_now(secret: &[u8], phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) = (
        argon2::Algorithm::try_from(parsed.algorithm),
        argon2::Params::try_from(&parsed),
        parsed.salt,
        parsed.hash,
    ) else {
        // Not an argon2 hash we can recompute in place: the library decides.
        return hasher().verify_password(secret, &parsed).is_ok();
    };
    let version = parsed
        .version
        .and_then(|v| argon2::Version::try_from(v).ok())
        .unwrap_or(argon2::Version::V0x13);
    let argon = Argon2::new(algorithm, version, params.clone());
    let mut salt_buf = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    compute(&argon, &params, secret, salt_bytes, &mut out).is_ok()
        && argon2::password_hash::Output::new(&out).is_ok_and(|o| o == expected)
}

/// Hashes `secret` into a PHC string.
pub async fn hash(secret: String) -> Result<String, HashError> {
    on_hashing_thread(move || hash_now(secret.as_bytes()))
        .await?
        .map_err(HashError::Argon2)
}

/// Checks `secret` against a PHC string.
pub async fn verify(secret: String, phc: String) -> Result<bool, Busy> {
    on_hashing_thread(move || verify_now(secret.as_bytes(), &phc)).await
}

/// A hash of a random secret with today's parameters: unknown users are checked
/// against it, so a login for an unregistered cédula takes the same time.
pub async fn dummy() -> Result<String, Busy> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h.clone());
    }
    let mut raw = [0u8; 16];
    argon2::password_hash::rand_core::RngCore::fill_bytes(&mut OsRng, &mut raw);
    let h = match hash(hex::encode(raw)).await {
        Ok(h) => h,
        Err(HashError::Busy(busy)) => return Err(busy),
        Err(HashError::Argon2(e)) => panic!("argon2 hashes a short secret: {e}"),
    };
    Ok(DUMMY.get_or_init(|| h).clone())
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
                if hash("a sample clave for timing".into()).await.is_ok() {
                    n += 1;
                }
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
