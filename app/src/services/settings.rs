//! Typed configuration, read once from environment variables and validated.
//!
//! Every problem is reported at start with the variable's name, so a bad
//! deployment fails fast instead of misbehaving later.

use secrecy::{ExposeSecret, SecretBox};
use std::collections::HashMap;
use std::net::SocketAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Embedded default: demo data allowed, development mailbox on, random secret if unset.
    Development,
    /// Real deployment: secret and public URL required, development helpers off.
    Production,
}

pub struct Settings {
    pub mode: Mode,
    pub site_addr: SocketAddr,
    pub database_url: String,
    /// Base of every link the server builds (never taken from the `Host` header).
    pub public_url: String,
    /// Key for captcha signatures and keyed hashes (IP addresses, codes).
    pub secret: SecretBox<Vec<u8>>,
    pub captcha_maxnumber: u64,
    pub captcha_ttl_secs: i64,
    pub flow_idle_secs: i64,
    /// Flow starts per client IP per hour when the captcha was solved.
    pub ip_flow_starts_per_hour: i32,
    /// Flow starts per client IP per hour without a solved captcha (no JavaScript).
    pub nojs_ip_flow_starts_per_hour: i32,
    /// Flow starts per cédula per hour without a solved captcha.
    pub nojs_cedula_flow_starts_per_hour: i32,
    /// Proxies whose `X-Forwarded-For` / `Forwarded` are believed (empty:
    /// the socket peer is the client).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Failed identity checks or answers that end one flow.
    pub flow_max_failures: i32,
    /// Failed identity checks or answers per cédula per 24 h before recovery locks.
    pub cedula_max_failures_per_day: i32,
    /// Seconds before "Enviar un código nuevo" works again.
    pub code_resend_cooldown_secs: i64,
    /// Code mails per hour per cédula and per address.
    pub code_sends_per_hour: i32,
    /// Code mails per hour per client IP.
    pub ip_code_sends_per_hour: i32,
    /// Login attempts per hour per client IP.
    pub ip_logins_per_hour: i32,
    /// Minimum length of a clave, in characters.
    pub clave_min_chars: usize,
    /// Session idle and absolute timeouts.
    pub session_idle_secs: i64,
    pub session_absolute_secs: i64,
    /// Outgoing mail: `smtp://`, `smtps://` (implicit TLS) or
    /// `smtp://…?tls=required` (STARTTLS) with optional `user:password@`.
    /// Unset in development: mail goes to the development mailbox.
    pub smtp_url: Option<SecretBox<String>>,
    pub mail_from: String,
    /// Days flows, codes, notices and sent mail are kept after they expire.
    pub flow_retention_days: i64,
    /// Days audit events are kept.
    pub audit_retention_days: i64,
    /// Days a call-back request (with its phone number) is kept after it is
    /// resolved, or after its last change if it never is (the form says so).
    pub callback_retention_days: i64,
    /// Call-back requests per client IP per hour.
    pub ip_callbacks_per_hour: i32,
    /// Call-back requests per cédula per day.
    pub cedula_callbacks_per_day: i32,
    /// Hashes that may wait for a hashing thread; past that, 503.
    pub hash_queue_length: usize,
    /// Where Prometheus metrics are served (`CLAVE_METRICS_ADDR`): a port of
    /// its own, for the operators' network; unset, there are none.
    pub metrics_addr: Option<SocketAddr>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("mode", &self.mode)
            .field("site_addr", &self.site_addr)
            .field("database_url", &redact_url(&self.database_url))
            .field("public_url", &self.public_url)
            .field("secret", &"[redacted]")
            .field("captcha_maxnumber", &self.captcha_maxnumber)
            .finish_non_exhaustive()
    }
}

/// One bad variable and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    pub var: &'static str,
    pub message: String,
}

impl std::fmt::Display for SettingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.var, self.message)
    }
}

/// The default captcha difficulty; see `bench/` for how it was chosen.
pub const DEFAULT_CAPTCHA_MAXNUMBER: u64 = 750_000;

impl Settings {
    pub fn from_env() -> Result<Settings, Vec<SettingError>> {
        Self::from_map(&std::env::vars().collect())
    }

    /// Reads settings from a variable map (the environment, or a test's map).
    pub fn from_map(vars: &HashMap<String, String>) -> Result<Settings, Vec<SettingError>> {
        let mut errors = Vec::new();
        let get = |k: &str| vars.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());

        // Production unless told otherwise: the development mailbox publishes
        // every code, so it must never be what a forgotten variable gives.
        let mode = match get("CLAVE_MODE").unwrap_or("production") {
            "development" | "dev" => Mode::Development,
            "production" | "prod" => Mode::Production,
            other => {
                errors.push(SettingError {
                    var: "CLAVE_MODE",
                    message: format!("«{other}» is not a mode; use development or production"),
                });
                Mode::Development
            }
        };

        let site_addr = match get("LEPTOS_SITE_ADDR").unwrap_or("127.0.0.1:3000").parse() {
            Ok(a) => a,
            Err(_) => {
                errors.push(SettingError {
                    var: "LEPTOS_SITE_ADDR",
                    message: "must be an IP address and port, e.g. 127.0.0.1:3000".into(),
                });
                SocketAddr::from(([127, 0, 0, 1], 3000))
            }
        };

        let metrics_addr = match get("CLAVE_METRICS_ADDR").map(str::parse::<SocketAddr>) {
            None => None,
            Some(Ok(a))
                if a.port() == site_addr.port()
                    && (a.ip() == site_addr.ip()
                        || a.ip().is_unspecified()
                        || site_addr.ip().is_unspecified()) =>
            {
                errors.push(SettingError {
                    var: "CLAVE_METRICS_ADDR",
                    message: "must differ from LEPTOS_SITE_ADDR: the metrics are never public"
                        .into(),
                });
                None
            }
            Some(Ok(a)) => Some(a),
            Some(Err(_)) => {
                errors.push(SettingError {
                    var: "CLAVE_METRICS_ADDR",
                    message: "must be an IP address and port, e.g. 127.0.0.1:9464".into(),
                });
                None
            }
        };

        let database_url = get("DATABASE_URL")
            .unwrap_or("sqlite://clave.sqlite3?mode=rwc")
            .to_owned();
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            errors.push(SettingError {
                var: "DATABASE_URL",
                message: format!(
                    "«{}» is not supported; use sqlite://FILE?mode=rwc or postgres://USER@HOST/DB",
                    redact_url(&database_url)
                ),
            });
        }

        let default_public = format!("http://{site_addr}");
        let public_url = get("CLAVE_PUBLIC_URL")
            .map(str::to_owned)
            .unwrap_or(default_public)
            .trim_end_matches('/')
            .to_owned();
        let public_ok = public_url.starts_with("https://")
            || (public_url.starts_with("http://") && mode == Mode::Development);
        if mode == Mode::Production && get("CLAVE_PUBLIC_URL").is_none() {
            errors.push(SettingError {
                var: "CLAVE_PUBLIC_URL",
                message: "is required in production (links in e-mails are built from it); \
                          for a try on this machine set CLAVE_MODE=development"
                    .into(),
            });
        } else if !public_ok {
            errors.push(SettingError {
                var: "CLAVE_PUBLIC_URL",
                message: "must be an https:// URL in production (http:// only in development)"
                    .into(),
            });
        }

        let secret = match get("CLAVE_SECRET") {
            Some(s) if s.len() >= 32 => s.as_bytes().to_vec(),
            Some(_) => {
                errors.push(SettingError {
                    var: "CLAVE_SECRET",
                    message: "must be at least 32 characters of random text".into(),
                });
                Vec::new()
            }
            None if mode == Mode::Production => {
                errors.push(SettingError {
                    var: "CLAVE_SECRET",
                    message: "is required in production (shared by every instance)".into(),
                });
                Vec::new()
            }
            None => {
                use rand::RngCore;
                let mut key = vec![0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut key);
                key
            }
        };

        let mut number = |var: &'static str, default: i64, min: i64, max: i64| -> i64 {
            match get(var) {
                None => default,
                Some(raw) => match raw.parse::<i64>() {
                    Ok(v) if (min..=max).contains(&v) => v,
                    _ => {
                        errors.push(SettingError {
                            var,
                            message: format!("«{raw}» must be a whole number from {min} to {max}"),
                        });
                        default
                    }
                },
            }
        };
        let captcha_maxnumber = number(
            "CLAVE_CAPTCHA_MAXNUMBER",
            DEFAULT_CAPTCHA_MAXNUMBER as i64,
            1_000,
            100_000_000,
        ) as u64;
        let captcha_ttl_secs = number("CLAVE_CAPTCHA_TTL_SECS", 600, 30, 3_600);
        let flow_idle_secs = number("CLAVE_FLOW_IDLE_SECS", 15 * 60, 60, 3_600);
        let ip_flow_starts_per_hour =
            number("CLAVE_IP_FLOW_STARTS_PER_HOUR", 30, 1, 100_000) as i32;
        let nojs_ip_flow_starts_per_hour =
            number("CLAVE_NOJS_IP_FLOW_STARTS_PER_HOUR", 10, 1, 100_000) as i32;
        let nojs_cedula_flow_starts_per_hour =
            number("CLAVE_NOJS_CEDULA_FLOW_STARTS_PER_HOUR", 5, 1, 100_000) as i32;

        let flow_max_failures = number("CLAVE_FLOW_MAX_FAILURES", 3, 1, 100) as i32;
        let cedula_max_failures_per_day =
            number("CLAVE_CEDULA_MAX_FAILURES_PER_DAY", 5, 1, 1_000) as i32;
        let code_resend_cooldown_secs = number("CLAVE_CODE_RESEND_COOLDOWN_SECS", 30, 0, 600);
        let code_sends_per_hour = number("CLAVE_CODE_SENDS_PER_HOUR", 5, 1, 1_000) as i32;
        let ip_code_sends_per_hour = number("CLAVE_IP_CODE_SENDS_PER_HOUR", 30, 1, 100_000) as i32;
        let ip_logins_per_hour = number("CLAVE_IP_LOGINS_PER_HOUR", 60, 1, 100_000) as i32;
        let clave_min_chars = number("CLAVE_MIN_CHARS", 12, 8, 64) as usize;
        let session_idle_secs = number("CLAVE_SESSION_IDLE_SECS", 15 * 60, 60, 24 * 3_600);
        let session_absolute_secs = number(
            "CLAVE_SESSION_ABSOLUTE_SECS",
            8 * 3_600,
            300,
            7 * 24 * 3_600,
        );

        let flow_retention_days = number("CLAVE_FLOW_RETENTION_DAYS", 7, 1, 3_650);
        let audit_retention_days = number("CLAVE_AUDIT_RETENTION_DAYS", 365, 1, 3_650);
        let callback_retention_days = number("CLAVE_CALLBACK_RETENTION_DAYS", 30, 1, 3_650);
        let ip_callbacks_per_hour = number("CLAVE_IP_CALLBACKS_PER_HOUR", 5, 1, 100_000) as i32;
        let cedula_callbacks_per_day = number("CLAVE_CEDULA_CALLBACKS_PER_DAY", 3, 1, 1_000) as i32;

        let hash_queue_length = number(
            "CLAVE_HASH_QUEUE_LENGTH",
            super::hashing::DEFAULT_QUEUE_LENGTH as i64,
            1,
            10_000,
        ) as usize;

        let smtp_url = get("CLAVE_SMTP_URL").map(str::to_owned);
        if let Some(url) = &smtp_url {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                errors.push(SettingError {
                    var: "CLAVE_SMTP_URL",
                    message: "must start with smtp:// or smtps://".into(),
                });
            }
        }
        if smtp_url.is_none() && mode == Mode::Production {
            errors.push(SettingError {
                var: "CLAVE_SMTP_URL",
                message: "is required in production (the development mailbox is off)".into(),
            });
        }
        let mail_from = get("CLAVE_MAIL_FROM")
            .unwrap_or("Clave <no-responder@clave.example>")
            .to_owned();
        if !mail_from.contains('@') {
            errors.push(SettingError {
                var: "CLAVE_MAIL_FROM",
                message: "must be an e-mail address, e.g. Clave <no-responder@example.org>".into(),
            });
        }

        let trusted_proxies = match crate::domain::client_address::parse_trusted(
            get("CLAVE_TRUSTED_PROXIES").unwrap_or(""),
        ) {
            Ok(list) => list,
            Err(message) => {
                errors.push(SettingError {
                    var: "CLAVE_TRUSTED_PROXIES",
                    message,
                });
                Vec::new()
            }
        };
        if get("CLAVE_TRUST_FORWARDED_FOR").is_some() {
            errors.push(SettingError {
                var: "CLAVE_TRUST_FORWARDED_FOR",
                message: "is gone: list your proxies in CLAVE_TRUSTED_PROXIES instead".into(),
            });
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Settings {
            mode,
            site_addr,
            database_url,
            public_url,
            secret: SecretBox::new(Box::new(secret)),
            captcha_maxnumber,
            captcha_ttl_secs,
            flow_idle_secs,
            ip_flow_starts_per_hour,
            nojs_ip_flow_starts_per_hour,
            nojs_cedula_flow_starts_per_hour,
            trusted_proxies,
            flow_max_failures,
            cedula_max_failures_per_day,
            code_resend_cooldown_secs,
            code_sends_per_hour,
            ip_code_sends_per_hour,
            ip_logins_per_hour,
            clave_min_chars,
            session_idle_secs,
            session_absolute_secs,
            smtp_url: smtp_url.map(|u| SecretBox::new(Box::new(u))),
            mail_from,
            flow_retention_days,
            audit_retention_days,
            callback_retention_days,
            ip_callbacks_per_hour,
            cedula_callbacks_per_day,
            hash_queue_length,
            metrics_addr,
        })
    }

    /// What the cleanup job deletes, and when.
    pub fn retention(&self) -> super::retention::Retention {
        super::retention::Retention {
            flow_days: self.flow_retention_days,
            audit_days: self.audit_retention_days,
            callback_days: self.callback_retention_days,
        }
    }

    /// The development mailbox page is on: development mode without SMTP.
    pub fn dev_mailbox(&self) -> bool {
        self.mode == Mode::Development && self.smtp_url.is_none()
    }

    pub fn secret(&self) -> &[u8] {
        self.secret.expose_secret()
    }

    /// Cookies get `Secure` and the `__Host-` prefix unless the site is plain-HTTP
    /// (allowed only for local development, where browsers would drop them).
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn without_variables_it_is_production_and_says_what_is_missing() {
        let err = Settings::from_map(&vars(&[])).unwrap_err();
        let named: Vec<_> = err.iter().map(|e| e.var).collect();
        assert_eq!(
            named,
            ["CLAVE_PUBLIC_URL", "CLAVE_SECRET", "CLAVE_SMTP_URL"],
            "{err:?}"
        );
    }

    #[test]
    fn development_mode_needs_no_other_variables() {
        let s = Settings::from_map(&vars(&[("CLAVE_MODE", "development")])).unwrap();
        assert_eq!(s.mode, Mode::Development);
        assert!(s.dev_mailbox());
        assert!(s.database_url.starts_with("sqlite:"));
        assert_eq!(s.secret().len(), 32);
        assert!(!s.secure_cookies());
        assert_eq!(s.captcha_maxnumber, DEFAULT_CAPTCHA_MAXNUMBER);
        assert_eq!(s.metrics_addr, None, "no metrics unless an operator asks");
    }

    #[test]
    fn metrics_take_an_address_of_their_own() {
        let s = Settings::from_map(&vars(&[
            ("CLAVE_MODE", "development"),
            ("CLAVE_METRICS_ADDR", "127.0.0.1:9464"),
        ]))
        .unwrap();
        assert_eq!(
            s.metrics_addr,
            Some(SocketAddr::from(([127, 0, 0, 1], 9464)))
        );
        for (site, metrics) in [
            ("127.0.0.1:3000", "127.0.0.1:3000"),
            ("0.0.0.0:3000", "127.0.0.1:3000"),
            ("127.0.0.1:3000", "0.0.0.0:3000"),
            ("127.0.0.1:3000", "9464"),
        ] {
            let err = Settings::from_map(&vars(&[
                ("CLAVE_MODE", "development"),
                ("LEPTOS_SITE_ADDR", site),
                ("CLAVE_METRICS_ADDR", metrics),
            ]))
            .unwrap_err();
            assert_eq!(err.len(), 1, "{site} {metrics}: {err:?}");
            assert_eq!(err[0].var, "CLAVE_METRICS_ADDR", "{site} {metrics}");
        }
    }

    #[test]
    fn every_bad_value_is_named() {
        let err = Settings::from_map(&vars(&[
            ("DATABASE_URL", "mysql://x"),
            ("LEPTOS_SITE_ADDR", "localhost:99999"),
            ("CLAVE_CAPTCHA_MAXNUMBER", "lots"),
            ("CLAVE_MODE", "staging"),
        ]))
        .unwrap_err();
        let named: Vec<_> = err.iter().map(|e| e.var).collect();
        for var in [
            "DATABASE_URL",
            "LEPTOS_SITE_ADDR",
            "CLAVE_CAPTCHA_MAXNUMBER",
            "CLAVE_MODE",
        ] {
            assert!(named.contains(&var), "{var} not reported in {err:?}");
        }
    }

    #[test]
    fn production_requires_a_secret_and_an_https_public_url() {
        let err = Settings::from_map(&vars(&[("CLAVE_MODE", "production")])).unwrap_err();
        let named: Vec<_> = err.iter().map(|e| e.var).collect();
        assert!(named.contains(&"CLAVE_SECRET"));
        assert!(named.contains(&"CLAVE_PUBLIC_URL"));
        assert!(named.contains(&"CLAVE_SMTP_URL"));

        let ok = Settings::from_map(&vars(&[
            ("CLAVE_MODE", "production"),
            ("CLAVE_SECRET", "0123456789abcdef0123456789abcdef"),
            ("CLAVE_PUBLIC_URL", "https://clave.example.org/"),
            ("CLAVE_SMTP_URL", "smtps://user:pw@mail.example.org"),
        ]))
        .unwrap();
        assert!(!ok.dev_mailbox());
        assert!(!format!("{ok:?}").contains("pw"));
        assert_eq!(ok.public_url, "https://clave.example.org");
        assert!(ok.secure_cookies());
    }

    #[test]
    fn configurable_limits_take_their_range_and_refuse_one_past_it() {
        // (variable, its setting, lowest, highest), as operators may set them.
        type Read = fn(&Settings) -> i64;
        let ranges: [(&str, Read, i64, i64); 21] = [
            (
                "CLAVE_HASH_QUEUE_LENGTH",
                |s| s.hash_queue_length as i64,
                1,
                10_000,
            ),
            ("CLAVE_FLOW_IDLE_SECS", |s| s.flow_idle_secs, 60, 3_600),
            (
                "CLAVE_FLOW_MAX_FAILURES",
                |s| s.flow_max_failures as i64,
                1,
                100,
            ),
            (
                "CLAVE_CEDULA_MAX_FAILURES_PER_DAY",
                |s| s.cedula_max_failures_per_day as i64,
                1,
                1_000,
            ),
            (
                "CLAVE_CODE_RESEND_COOLDOWN_SECS",
                |s| s.code_resend_cooldown_secs,
                0,
                600,
            ),
            (
                "CLAVE_CODE_SENDS_PER_HOUR",
                |s| s.code_sends_per_hour as i64,
                1,
                1_000,
            ),
            (
                "CLAVE_IP_LOGINS_PER_HOUR",
                |s| s.ip_logins_per_hour as i64,
                1,
                100_000,
            ),
            ("CLAVE_MIN_CHARS", |s| s.clave_min_chars as i64, 8, 64),
            (
                "CLAVE_CAPTCHA_MAXNUMBER",
                |s| s.captcha_maxnumber as i64,
                1_000,
                100_000_000,
            ),
            ("CLAVE_CAPTCHA_TTL_SECS", |s| s.captcha_ttl_secs, 30, 3_600),
            (
                "CLAVE_IP_FLOW_STARTS_PER_HOUR",
                |s| s.ip_flow_starts_per_hour as i64,
                1,
                100_000,
            ),
            (
                "CLAVE_NOJS_IP_FLOW_STARTS_PER_HOUR",
                |s| s.nojs_ip_flow_starts_per_hour as i64,
                1,
                100_000,
            ),
            (
                "CLAVE_NOJS_CEDULA_FLOW_STARTS_PER_HOUR",
                |s| s.nojs_cedula_flow_starts_per_hour as i64,
                1,
                100_000,
            ),
            (
                "CLAVE_IP_CODE_SENDS_PER_HOUR",
                |s| s.ip_code_sends_per_hour as i64,
                1,
                100_000,
            ),
            (
                "CLAVE_SESSION_IDLE_SECS",
                |s| s.session_idle_secs,
                60,
                86_400,
            ),
            (
                "CLAVE_SESSION_ABSOLUTE_SECS",
                |s| s.session_absolute_secs,
                300,
                604_800,
            ),
            (
                "CLAVE_FLOW_RETENTION_DAYS",
                |s| s.flow_retention_days,
                1,
                3_650,
            ),
            (
                "CLAVE_AUDIT_RETENTION_DAYS",
                |s| s.audit_retention_days,
                1,
                3_650,
            ),
            (
                "CLAVE_CALLBACK_RETENTION_DAYS",
                |s| s.callback_retention_days,
                1,
                3_650,
            ),
            (
                "CLAVE_IP_CALLBACKS_PER_HOUR",
                |s| s.ip_callbacks_per_hour as i64,
                1,
                100_000,
            ),
            (
                "CLAVE_CEDULA_CALLBACKS_PER_DAY",
                |s| s.cedula_callbacks_per_day as i64,
                1,
                1_000,
            ),
        ];
        for (var, read, low, high) in ranges {
            for ok in [low, high] {
                let s = Settings::from_map(&vars(&[
                    ("CLAVE_MODE", "development"),
                    (var, &ok.to_string()),
                ]))
                .unwrap_or_else(|e| panic!("{var}={ok} is allowed: {e:?}"));
                assert_eq!(read(&s), ok, "{var}={ok} reaches its setting");
            }
            for bad in [low - 1, high + 1] {
                let err = Settings::from_map(&vars(&[
                    ("CLAVE_MODE", "development"),
                    (var, &bad.to_string()),
                ]))
                .unwrap_err();
                assert_eq!(err[0].var, var, "{var}={bad} is refused by name");
            }
        }
    }

    #[test]
    fn credentials_in_the_database_url_are_not_printed() {
        let err = Settings::from_map(&vars(&[
            ("CLAVE_MODE", "development"),
            ("DATABASE_URL", "mysql://u:pw@h/db"),
        ]))
        .unwrap_err();
        assert!(!err[0].message.contains("pw"));
        let s = Settings::from_map(&vars(&[
            ("CLAVE_MODE", "development"),
            ("DATABASE_URL", "postgres://u:pw@h/db"),
        ]))
        .unwrap();
        assert!(!format!("{s:?}").contains("pw"));
    }
}
