//! What the services count for the operators (Prometheus metrics, served by
//! the server on a port of its own). Every metric's name is written here once;
//! without a recorder installed (CLI commands, most tests) counting is a no-op.
//!
//! Labels come from fixed sets only — a limit's kind, an outcome — never from
//! what a person typed: no cédula, address or IP reaches a metric.

/// Limited attempts refused because their budget was spent, by kind.
pub const LIMIT_REFUSALS: &str = "clave_limit_refusals_total";
/// Captcha solutions checked, by outcome (`ok`, `invalid`, `replayed`).
pub const CAPTCHA_VERIFICATIONS: &str = "clave_captcha_verifications_total";
/// Hashes refused at once because the hashing queue was full.
pub const HASHES_REFUSED_BUSY: &str = "clave_hashes_refused_busy_total";
/// Hashes waiting for a hashing thread, and hashing now.
pub const HASHES_QUEUED: &str = "clave_hashes_queued";
pub const HASHES_RUNNING: &str = "clave_hashes_running";
/// Mails handed to their transport, and tries that failed (retried later).
pub const MAILS_SENT: &str = "clave_mails_sent_total";
pub const MAIL_FAILURES: &str = "clave_mail_failures_total";
/// Mails waiting in the outbox, and the age of the oldest, in seconds.
pub const OUTBOX_DEPTH: &str = "clave_outbox_depth";
pub const OUTBOX_OLDEST_AGE: &str = "clave_outbox_oldest_age_seconds";
/// Database connections open, and of those idle.
pub const DB_POOL_CONNECTIONS: &str = "clave_db_pool_connections";
pub const DB_POOL_IDLE: &str = "clave_db_pool_idle_connections";
/// Requests answered, by route, method and status; and how long they took.
pub const HTTP_REQUESTS: &str = "clave_http_requests_total";
pub const HTTP_DURATION: &str = "clave_http_request_duration_seconds";

/// An attempt refused by its budget. A key is `<kind>:<value>` (the value a
/// keyed hash or a staff user name): only the kind becomes the label.
pub fn limit_refused(key: &str) {
    metrics::counter!(LIMIT_REFUSALS, "kind" => limit_kind(key).to_owned()).increment(1);
}

fn limit_kind(key: &str) -> &str {
    key.rsplit_once(':').map_or("other", |(kind, _)| kind)
}

/// A captcha solution checked, with its outcome.
pub fn captcha_verified(outcome: &'static str) {
    metrics::counter!(CAPTCHA_VERIFICATIONS, "outcome" => outcome).increment(1);
}

pub fn hash_refused_busy() {
    metrics::counter!(HASHES_REFUSED_BUSY).increment(1);
}

pub fn mail_sent(via: &'static str) {
    metrics::counter!(MAILS_SENT, "via" => via).increment(1);
}

pub fn mail_failed() {
    metrics::counter!(MAIL_FAILURES).increment(1);
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_limit_key_gives_its_kind_only() {
        // The kinds as the services write their keys (hand-written here).
        for (key, kind) in [
            ("identity:9f86d081884c7d65", "identity"),
            ("code:ip:9f86d081884c7d65", "code:ip"),
            ("nojs-start:cedula:9f86d081", "nojs-start:cedula"),
            ("staff-login-fail:maria.perez", "staff-login-fail"),
            ("sin-dos-puntos", "other"),
        ] {
            assert_eq!(super::limit_kind(key), kind);
        }
    }
}
