//! Services of recovery and login, each test on SQLite and on PostgreSQL:
//! codes, question pairs, claves, sessions, login locks, the outbox and
//! "no fui yo".

use app::domain::cedula::Cedula;
use app::domain::code::{CodeDeadReason, CodeOutcome, MAX_WRONG_TRIES};
use app::domain::flow::FlowKind;
use app::lang::Lang;
use app::services::account::{self, LoginOutcome};
use app::services::code::{self, SendRefusal};
use app::services::mail::{self, Transport};
use app::services::{demo, flow, hashing, questions, test_support, Settings};
use entity::{affiliate, mail_outbox, notice, session, staff_case};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::Arc;

const NOW: i64 = 1_800_000_000;
const MARIA: &str = "1712345675";

fn settings(extra: &[(&str, &str)]) -> Arc<Settings> {
    let mut vars: HashMap<String, String> = [
        ("CLAVE_MODE", "development"),
        ("CLAVE_SECRET", "a test key that is long enough!!"),
        ("CLAVE_PUBLIC_URL", "https://clave.example.org"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in extra {
        vars.insert(k.to_string(), v.to_string());
    }
    Arc::new(Settings::from_map(&vars).expect("test settings"))
}

async fn seeded(db: &DatabaseConnection) {
    demo::seed(db, NOW).await.expect("seed demo");
}

async fn code_flow(db: &DatabaseConnection) -> app::services::flow::Flow {
    let (_, f) = flow::start(
        db,
        FlowKind::Recovery,
        &Cedula::parse(MARIA).unwrap(),
        900,
        NOW,
    )
    .await
    .unwrap();
    f
}

/// The code in the newest mail to `to` (read from the outbox, as a person
/// would read it from the mail).
async fn mailed_code(db: &DatabaseConnection, to: &str) -> String {
    let m = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ToAddress.eq(to))
        .filter(mail_outbox::Column::Kind.eq("code"))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .max_by_key(|m| m.id)
        .expect("a code mail");
    let digits: String = m.subject.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(digits.len(), 6, "subject carries the code: {}", m.subject);
    assert!(m.body_text.contains(&digits) && m.body_html.contains(&digits));
    assert!(m.body_text.contains(&format!(
        "https://clave.example.org/recuperar/codigo/enlace?codigo={digits}"
    )));
    digits
}

#[tokio::test]
async fn a_code_is_accepted_once_within_three_minutes() {
    let s = settings(&[]);
    for (name, db) in test_support::each_backend().await {
        let f = code_flow(&db).await;
        let sent = code::send(&db, &s, &f, "a@example.com", "ip", NOW)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(sent.expires_at, NOW + 180, "{name}");
        let c = mailed_code(&db, "a@example.com").await;
        // Stored as a keyed hash only.
        let row = code::current(&db, &f.id).await.unwrap().unwrap();
        assert!(!row.code_hash.contains(&c), "{name}");
        assert_eq!(
            code::verify(&db, &s, &f.id, &c, NOW + 179).await.unwrap(),
            CodeOutcome::Accepted,
            "{name}"
        );
        assert_eq!(
            code::verify(&db, &s, &f.id, &c, NOW + 179).await.unwrap(),
            CodeOutcome::Dead(CodeDeadReason::Used),
            "{name}: replayed"
        );
    }
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let s = settings(&[]);
    for (name, db) in test_support::each_backend().await {
        let f = code_flow(&db).await;
        code::send(&db, &s, &f, "a@example.com", "ip", NOW)
            .await
            .unwrap()
            .unwrap();
        let c = mailed_code(&db, "a@example.com").await;
        assert_eq!(
            code::verify(&db, &s, &f.id, &c, NOW + 180).await.unwrap(),
            CodeOutcome::Dead(CodeDeadReason::Expired),
            "{name}"
        );
    }
}

#[tokio::test]
async fn five_wrong_tries_kill_the_code() {
    let s = settings(&[]);
    for (name, db) in test_support::each_backend().await {
        let f = code_flow(&db).await;
        code::send(&db, &s, &f, "a@example.com", "ip", NOW)
            .await
            .unwrap()
            .unwrap();
        let c = mailed_code(&db, "a@example.com").await;
        let wrong = if c == "000000" { "000001" } else { "000000" };
        for i in 1..=MAX_WRONG_TRIES {
            assert_eq!(
                code::verify(&db, &s, &f.id, wrong, NOW + 1).await.unwrap(),
                CodeOutcome::Wrong {
                    tries_left: MAX_WRONG_TRIES - i
                },
                "{name}: try {i}"
            );
        }
        assert_eq!(
            code::verify(&db, &s, &f.id, &c, NOW + 2).await.unwrap(),
            CodeOutcome::Dead(CodeDeadReason::TooManyTries),
            "{name}: the 6th try, right digits, is refused"
        );
    }
}

#[tokio::test]
async fn a_code_only_fits_its_own_flow_and_a_new_code_voids_the_old() {
    let s = settings(&[("CLAVE_CODE_RESEND_COOLDOWN_SECS", "30")]);
    for (name, db) in test_support::each_backend().await {
        let a = code_flow(&db).await;
        let b = code_flow(&db).await;
        code::send(&db, &s, &a, "a@example.com", "ip", NOW)
            .await
            .unwrap()
            .unwrap();
        let code_a = mailed_code(&db, "a@example.com").await;
        code::send(&db, &s, &b, "b@example.com", "ip", NOW)
            .await
            .unwrap()
            .unwrap();
        let code_b = mailed_code(&db, "b@example.com").await;
        if code_a != code_b {
            assert!(
                matches!(
                    code::verify(&db, &s, &a.id, &code_b, NOW + 1)
                        .await
                        .unwrap(),
                    CodeOutcome::Wrong { .. }
                ),
                "{name}: flow B's code in flow A"
            );
        }
        // Resend: refused during the cool-down, then a fresh code voids the old.
        assert_eq!(
            code::send(&db, &s, &a, "a@example.com", "ip", NOW + 10)
                .await
                .unwrap(),
            Err(SendRefusal::CoolingDown(20)),
            "{name}"
        );
        let again = code::send(&db, &s, &a, "a@example.com", "ip", NOW + 30)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(again.expires_at, NOW + 30 + 180, "{name}: fresh 3 minutes");
        let new_a = mailed_code(&db, "a@example.com").await;
        if new_a != code_a {
            assert!(
                matches!(
                    code::verify(&db, &s, &a.id, &code_a, NOW + 31)
                        .await
                        .unwrap(),
                    CodeOutcome::Wrong { .. }
                ),
                "{name}: the old code is void"
            );
        }
        assert_eq!(
            code::verify(&db, &s, &a.id, &new_a, NOW + 32)
                .await
                .unwrap(),
            CodeOutcome::Accepted,
            "{name}"
        );
    }
}

#[tokio::test]
async fn at_most_five_code_sends_per_hour_per_cedula_and_per_address() {
    let s = settings(&[("CLAVE_CODE_RESEND_COOLDOWN_SECS", "0")]);
    for (name, db) in test_support::each_backend().await {
        let f = code_flow(&db).await;
        for i in 0..5 {
            assert!(
                code::send(&db, &s, &f, "a@example.com", "ip", NOW + i)
                    .await
                    .unwrap()
                    .is_ok(),
                "{name}: send {i}"
            );
        }
        assert_eq!(
            code::send(&db, &s, &f, "a@example.com", "ip", NOW + 6)
                .await
                .unwrap(),
            Err(SendRefusal::TooMany),
            "{name}: the 6th send in the hour"
        );
        // Another cédula, same address: the address budget is spent too.
        let (_, other) = flow::start(
            &db,
            FlowKind::Recovery,
            &Cedula::parse("0918765439").unwrap(),
            900,
            NOW,
        )
        .await
        .unwrap();
        assert_eq!(
            code::send(&db, &s, &other, "a@example.com", "ip2", NOW + 7)
                .await
                .unwrap(),
            Err(SendRefusal::TooMany),
            "{name}: per address"
        );
    }
}

#[tokio::test]
async fn fifty_parallel_right_codes_give_exactly_one_success() {
    let s = settings(&[]);
    for (name, db) in test_support::each_backend().await {
        let f = code_flow(&db).await;
        code::send(&db, &s, &f, "a@example.com", "ip", NOW)
            .await
            .unwrap()
            .unwrap();
        let c = mailed_code(&db, "a@example.com").await;
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (db, s, id, c) = (db.clone(), s.clone(), f.id.clone(), c.clone());
                tokio::spawn(async move { code::verify(&db, &s, &id, &c, NOW + 1).await.unwrap() })
            })
            .collect();
        let mut accepted = 0;
        for t in tasks {
            if t.await.unwrap() == CodeOutcome::Accepted {
                accepted += 1;
            }
        }
        assert_eq!(accepted, 1, "{name}");
    }
}

#[tokio::test]
async fn the_question_pair_stays_until_a_recovery_succeeds() {
    for (name, db) in test_support::each_backend().await {
        seeded(&db).await;
        let first = questions::pair_for(&db, MARIA, NOW).await.unwrap();
        assert_eq!(first.len(), 2, "{name}");
        for _ in 0..5 {
            assert_eq!(
                questions::pair_for(&db, MARIA, NOW).await.unwrap(),
                first,
                "{name}"
            );
        }
        let ids: Vec<i32> = first.iter().map(|q| q.id).collect();
        let right: Vec<(i32, String)> = ids
            .iter()
            .map(|id| {
                (
                    *id,
                    format!(
                        "  {}  ",
                        demo::DEMO_ANSWERS[(*id - 1) as usize].to_uppercase()
                    ),
                )
            })
            .collect();
        assert!(
            questions::answers_match(&db, MARIA, &ids, &right)
                .await
                .unwrap(),
            "{name}"
        );
        let mut wrong = right.clone();
        wrong[1].1 = "otra cosa".into();
        assert!(
            !questions::answers_match(&db, MARIA, &ids, &wrong)
                .await
                .unwrap(),
            "{name}"
        );
        questions::forget_pair(&db, MARIA).await.unwrap();
        assert_eq!(
            questions::all_for(&db, MARIA).await.unwrap().len(),
            4,
            "{name}"
        );
    }
}

async fn login(db: &DatabaseConnection, cedula: &str, clave: &str, now: i64) -> LoginOutcome {
    account::login(db, cedula, clave, 900, 8 * 3600, now)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_new_clave_signs_out_everyone_and_mails_a_notice() {
    for (name, db) in test_support::each_backend().await {
        seeded(&db).await;
        let LoginOutcome::SignedIn { token } = login(&db, MARIA, demo::DEMO_CLAVE, NOW).await
        else {
            panic!("{name}: demo login")
        };
        assert!(account::session_for(&db, &token, NOW + 1)
            .await
            .unwrap()
            .is_some());
        let f = code_flow(&db).await;
        let person = affiliate::Entity::find_by_id(MARIA.to_owned())
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let phc = hashing::hash("una clave nueva y larga".into())
            .await
            .unwrap();
        account::set_clave(&db, "https://clave.example.org", &f, &person, phc, NOW + 5)
            .await
            .unwrap();
        assert!(
            account::session_for(&db, &token, NOW + 6)
                .await
                .unwrap()
                .is_none(),
            "{name}: revoked"
        );
        assert_eq!(
            login(&db, MARIA, demo::DEMO_CLAVE, NOW + 7).await,
            LoginOutcome::Wrong,
            "{name}: old clave"
        );
        assert!(
            matches!(
                login(&db, MARIA, "una clave nueva y larga", NOW + 8).await,
                LoginOutcome::SignedIn { .. }
            ),
            "{name}: new clave"
        );
        let notice_mail = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Kind.eq("clave_changed"))
            .one(&db)
            .await
            .unwrap()
            .expect("notice mail");
        assert_eq!(notice_mail.to_address, person.email);
        assert!(notice_mail
            .body_text
            .contains("https://clave.example.org/no-fui-yo?t="));
        assert!(
            !notice_mail.body_text.contains("una clave nueva"),
            "{name}: never the clave"
        );
    }
}

#[tokio::test]
async fn five_failed_logins_lock_for_fifteen_minutes_then_longer() {
    for (name, db) in test_support::each_backend().await {
        seeded(&db).await;
        for cedula in [MARIA, "1714307103"] {
            for i in 0..4 {
                assert_eq!(
                    login(&db, cedula, "mal", NOW + i).await,
                    LoginOutcome::Wrong,
                    "{name} {cedula}"
                );
            }
            assert_eq!(
                login(&db, cedula, "mal", NOW + 4).await,
                LoginOutcome::Locked {
                    until: NOW + 4 + 900
                },
                "{name} {cedula}: registered or not, the 5th failure locks"
            );
        }
        assert_eq!(
            login(&db, MARIA, demo::DEMO_CLAVE, NOW + 10).await,
            LoginOutcome::Locked {
                until: NOW + 4 + 900
            },
            "{name}: even the right clave waits"
        );
        let later = NOW + 4 + 900;
        for i in 0..4 {
            assert_eq!(
                login(&db, MARIA, "mal", later + i).await,
                LoginOutcome::Wrong
            );
        }
        assert_eq!(
            login(&db, MARIA, "mal", later + 4).await,
            LoginOutcome::Locked {
                until: later + 4 + 1800
            },
            "{name}: the second lock is twice as long"
        );
    }
}

#[tokio::test]
async fn sessions_end_when_idle_and_at_the_absolute_limit() {
    for (name, db) in test_support::each_backend().await {
        seeded(&db).await;
        let LoginOutcome::SignedIn { token } = login(&db, MARIA, demo::DEMO_CLAVE, NOW).await
        else {
            panic!("{name}")
        };
        let (s, _) = account::session_for(&db, &token, NOW + 899)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(s.id, account::token_id(&token), "{name}: stored hashed");
        assert_ne!(s.id, token);
        account::touch_session(&db, &s, 900, NOW + 899)
            .await
            .unwrap();
        assert!(
            account::session_for(&db, &token, NOW + 1_700)
                .await
                .unwrap()
                .is_some(),
            "{name}: Seguir"
        );
        assert!(
            account::session_for(&db, &token, NOW + 899 + 900)
                .await
                .unwrap()
                .is_none(),
            "{name}: idle"
        );
        let LoginOutcome::SignedIn { token } = login(&db, MARIA, demo::DEMO_CLAVE, NOW).await
        else {
            panic!()
        };
        let mut t = NOW;
        while t < NOW + 8 * 3600 - 600 {
            t += 600;
            let (s, _) = account::session_for(&db, &token, t)
                .await
                .unwrap()
                .expect("alive");
            account::touch_session(&db, &s, 900, t).await.unwrap();
        }
        assert!(
            account::session_for(&db, &token, NOW + 8 * 3600)
                .await
                .unwrap()
                .is_none(),
            "{name}: absolute"
        );
        account::end_session(&db, "not a token").await.unwrap();
    }
}

#[tokio::test]
async fn no_fui_yo_restores_the_email_locks_and_opens_a_case() {
    for (name, db) in test_support::each_backend().await {
        seeded(&db).await;
        let mut f = code_flow(&db).await;
        f.new_email = Some("nuevo@example.org".into());
        let person = affiliate::Entity::find_by_id(MARIA.to_owned())
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let phc = hashing::hash("una clave nueva y larga".into())
            .await
            .unwrap();
        account::set_clave(&db, "https://clave.example.org", &f, &person, phc, NOW)
            .await
            .unwrap();
        let now_email = affiliate::Entity::find_by_id(MARIA.to_owned())
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .email;
        assert_eq!(now_email, "nuevo@example.org", "{name}");
        let to_old = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Kind.eq("email_changed"))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            to_old.to_address, person.email,
            "{name}: the old address is told"
        );
        let token = to_old
            .body_text
            .split("no-fui-yo?t=")
            .nth(1)
            .unwrap()
            .chars()
            .take(64)
            .collect::<String>();
        assert!(
            account::report_not_me(&db, &token, NOW + 11 * 86_400)
                .await
                .unwrap()
                .is_none(),
            "{name}: 10 days"
        );
        let case = account::report_not_me(&db, &token, NOW + 60)
            .await
            .unwrap()
            .expect("case");
        let after = affiliate::Entity::find_by_id(MARIA.to_owned())
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after.email, person.email, "{name}: restored");
        assert_eq!(after.status, "locked", "{name}");
        assert!(staff_case::Entity::find_by_id(case)
            .one(&db)
            .await
            .unwrap()
            .is_some());
        assert_eq!(session::Entity::find().count(&db).await.unwrap(), 0);
        assert!(
            account::report_not_me(&db, &token, NOW + 61)
                .await
                .unwrap()
                .is_none(),
            "{name}: once"
        );
        assert_eq!(
            notice::Entity::find()
                .filter(notice::Column::UsedAt.is_not_null())
                .count(&db)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            login(&db, MARIA, "una clave nueva y larga", NOW + 70).await,
            LoginOutcome::AccountLocked
        );
    }
}

#[tokio::test]
async fn the_dev_mailbox_delivers_at_once_and_smtp_failures_are_retried() {
    for (name, db) in test_support::each_backend().await {
        let body = mail::code_mail(Lang::Es, "123456", "10:42", "https://x/y");
        mail::enqueue(
            &db,
            app::domain::stored::MailKind::Code,
            "a@example.com",
            body.clone(),
            NOW,
        )
        .await
        .unwrap();
        assert_eq!(
            mail::deliver_due(&db, &Transport::DevMailbox, NOW)
                .await
                .unwrap(),
            1,
            "{name}"
        );
        assert_eq!(mail::dev_mailbox(&db, 10).await.unwrap().len(), 1);
        assert_eq!(
            mail::deliver_due(&db, &Transport::DevMailbox, NOW)
                .await
                .unwrap(),
            0,
            "{name}: once"
        );

        // Nothing listens on this loopback port: the mail waits and is retried.
        let down = settings(&[("CLAVE_SMTP_URL", "smtp://127.0.0.1:9")]);
        let smtp = Transport::from_settings(&down).unwrap();
        mail::enqueue(
            &db,
            app::domain::stored::MailKind::Code,
            "b@example.com",
            body,
            NOW,
        )
        .await
        .unwrap();
        assert_eq!(
            mail::deliver_due(&db, &smtp, NOW).await.unwrap(),
            0,
            "{name}"
        );
        let row = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::ToAddress.eq("b@example.com"))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.attempts, 1);
        assert_eq!(row.next_attempt_at, NOW + mail::backoff_secs(1));
        assert!(row.sent_at.is_none() && row.last_error.is_some());
        assert_eq!(
            mail::deliver_due(&db, &smtp, NOW + 1).await.unwrap(),
            0,
            "not due yet"
        );
        assert_eq!(
            mail::deliver_due(&db, &Transport::DevMailbox, NOW + mail::backoff_secs(1))
                .await
                .unwrap(),
            1,
            "{name}: delivered once the server is back"
        );
    }
}

/// A mail queued in English is written in English then, and its row keeps
/// the language; the worker reads it back and delivers it. The Spanish mail
/// is the same as ever.
#[tokio::test]
async fn a_mail_queued_in_english_is_written_and_kept_in_english() {
    use app::domain::stored::MailKind;
    for (name, db) in test_support::each_backend().await {
        let queued = [
            (
                "en@example.com",
                mail::code_mail(Lang::En, "246810", "10:42", "https://x/y"),
                MailKind::Code,
            ),
            (
                "en@example.com",
                mail::clave_changed_mail(Lang::En, "10:42", "https://x/n"),
                MailKind::ClaveChanged,
            ),
            (
                "es@example.com",
                mail::code_mail(Lang::Es, "246810", "10:42", "https://x/y"),
                MailKind::Code,
            ),
        ];
        for (to, body, kind) in queued {
            mail::enqueue(&db, kind, to, body, NOW).await.unwrap();
        }
        let rows = mail_outbox::Entity::find().all(&db).await.unwrap();
        let row = |to: &str, kind: &str| {
            rows.iter()
                .find(|r| r.to_address == to && r.kind == kind)
                .unwrap_or_else(|| panic!("{name}: no {kind} mail to {to}"))
                .clone()
        };
        let code = row("en@example.com", "code");
        assert_eq!(code.lang, "en", "{name}");
        assert_eq!(mail::lang_of(&code).unwrap(), Lang::En);
        assert_eq!(code.subject, "Your verification code is 246810", "{name}");
        assert!(code.body_text.contains("until 10:42 (Ecuador time)"));
        assert!(code.body_html.contains(
            "<a href=\"https://x/y\" style=\"color:#1d70b8\">Use the code from this link</a>"
        ));
        let changed = row("en@example.com", "clave_changed");
        assert_eq!(changed.lang, "en", "{name}");
        assert_eq!(changed.subject, "Your online services password has changed");
        assert!(changed.body_text.ends_with("It was not me: https://x/n"));
        let spanish = row("es@example.com", "code");
        assert_eq!(spanish.lang, "es", "{name}");
        assert_eq!(mail::lang_of(&spanish).unwrap(), Lang::Es);
        assert_eq!(spanish.subject, "Su código de verificación es 246810");
        assert!(spanish
            .body_text
            .contains("hasta las 10:42 (hora de Ecuador)."));
        assert_eq!(
            mail::deliver_due(&db, &Transport::DevMailbox, NOW)
                .await
                .unwrap(),
            3,
            "{name}: every language delivers"
        );
    }
}

#[test]
fn backoff_doubles_up_to_an_hour() {
    assert_eq!(mail::backoff_secs(1), 10);
    assert_eq!(mail::backoff_secs(2), 20);
    assert_eq!(mail::backoff_secs(30), 3_600);
}

#[tokio::test]
async fn a_hash_with_old_parameters_is_redone_at_login() {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    use argon2::{Algorithm, Argon2, Params, Version};
    use entity::credential;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
    for (name, db) in test_support::each_backend().await {
        seeded(&db).await;
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8_192, 1, 1, None).unwrap(),
        )
        .hash_password(
            demo::DEMO_CLAVE.as_bytes(),
            &SaltString::generate(&mut OsRng),
        )
        .unwrap()
        .to_string();
        assert!(hashing::needs_rehash(&weak));
        let mut row = credential::Entity::find_by_id(MARIA.to_owned())
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .into_active_model();
        row.password_hash = Set(weak.clone());
        row.update(&db).await.unwrap();
        assert!(matches!(
            login(&db, MARIA, demo::DEMO_CLAVE, NOW).await,
            LoginOutcome::SignedIn { .. }
        ));
        let now_stored = credential::Entity::find_by_id(MARIA.to_owned())
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .password_hash;
        assert_ne!(now_stored, weak, "{name}");
        assert!(
            now_stored.contains("m=19456,t=2,p=1"),
            "{name}: {now_stored}"
        );
        assert!(!hashing::needs_rehash(&now_stored));
        assert!(matches!(
            login(&db, MARIA, demo::DEMO_CLAVE, NOW + 1).await,
            LoginOutcome::SignedIn { .. }
        ));
    }
}

/// The worker delivers over real SMTP: MailDev, started by `scripts/test.sh`
/// (`CLAVE_TEST_SMTP_URL`, `MAILDEV_URL`). Without it this test fails.
#[tokio::test]
async fn the_worker_delivers_over_smtp_and_forgets_subject_and_body() {
    let smtp = std::env::var("CLAVE_TEST_SMTP_URL")
        .expect("CLAVE_TEST_SMTP_URL: run the tests with scripts/test.sh (it starts MailDev)");
    let api = std::env::var("MAILDEV_URL").expect("MAILDEV_URL: run scripts/test.sh");
    let s = settings(&[("CLAVE_SMTP_URL", &smtp)]);
    let transport = Transport::from_settings(&s).unwrap();
    for (name, db) in test_support::each_backend().await {
        let to = format!("smtp.{name}.{}@example.org", std::process::id());
        let body = mail::code_mail(Lang::Es, "654321", "10:42", "https://x/y");
        mail::enqueue(&db, app::domain::stored::MailKind::Code, &to, body, NOW)
            .await
            .unwrap();
        assert_eq!(
            mail::deliver_due(&db, &transport, NOW).await.unwrap(),
            1,
            "{name}"
        );
        let row = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Kind.eq("code"))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.delivered_via.as_deref(), Some("smtp"));
        assert!(
            row.subject.is_empty() && row.body_text.is_empty() && row.body_html.is_empty(),
            "{name}: code not kept, not even in the subject"
        );
        // Kept: the first and last letters of the local part and the domain's
        // first letter and suffix, as the pages show an address.
        let local = to.split('@').next().unwrap();
        let masked = format!(
            "s{}{}@e******.org",
            "*".repeat(local.len() - 2),
            local.chars().last().unwrap()
        );
        assert_eq!(
            row.to_address, masked,
            "{name}: the full address is not kept either"
        );
        let inbox = http_get(&format!("{api}/api/email"));
        assert!(inbox.contains(&to), "{name}: {to} not in MailDev");
        assert!(
            inbox.contains("654321"),
            "{name}: the code reached the mailbox"
        );
    }
}

/// A plain HTTP GET on loopback (MailDev's API), without another dependency.
fn http_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut stream = std::net::TcpStream::connect(host).expect("MailDev reachable");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    out
}

#[tokio::test]
async fn hashes_are_standard_phc_strings_either_way() {
    use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
    use argon2::{Argon2, PasswordVerifier};
    let ours = hashing::hash("cielo claro".into()).await.unwrap();
    assert!(
        ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{ours}"
    );
    let parsed = PasswordHash::new(&ours).unwrap();
    assert!(Argon2::default()
        .verify_password(b"cielo claro", &parsed)
        .is_ok());
    let theirs = Argon2::default()
        .hash_password(b"otra clave", &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
    assert!(hashing::verify("otra clave".into(), theirs.clone())
        .await
        .unwrap());
    assert!(!hashing::verify("otra clavE".into(), theirs).await.unwrap());
    assert!(!hashing::verify("x".into(), "not a hash".into())
        .await
        .unwrap());
    assert!(!hashing::verify("cielo claro".into(), String::new())
        .await
        .unwrap());
}

/// Five failures at `t`, `t + 1`, …: the lock the fifth one starts.
async fn five_failures(db: &DatabaseConnection, t: i64) -> LoginOutcome {
    for i in 0..4 {
        assert_eq!(login(db, MARIA, "mal", t + i).await, LoginOutcome::Wrong);
    }
    login(db, MARIA, "mal", t + 4).await
}

#[tokio::test]
async fn the_login_lock_doubles_up_to_a_day_and_is_forgotten_after_a_day_without_failures() {
    // 15 min doubling, capped at 24 h (SPEC §4.2), by hand.
    let expected = [900, 1_800, 3_600, 7_200, 14_400, 28_800, 57_600, 86_400];
    for (name, db) in test_support::each_backend().await {
        seeded(&db).await;
        let mut t = NOW;
        for secs in expected {
            let until = t + 4 + secs;
            assert_eq!(
                five_failures(&db, t).await,
                LoginOutcome::Locked { until },
                "{name}: a lock of {secs} s"
            );
            t = until;
        }
        // The day-long lock ended a day after the last failure: forgotten.
        assert_eq!(
            five_failures(&db, t).await,
            LoginOutcome::Locked { until: t + 4 + 900 },
            "{name}: after a day without failures the level starts over"
        );
        // Second lock, then one second short of a day: the level holds.
        let t = t + 4 + 900;
        assert_eq!(
            five_failures(&db, t).await,
            LoginOutcome::Locked {
                until: t + 4 + 1_800
            },
            "{name}"
        );
        let t2 = t + 4 + 86_400 - 1;
        assert_eq!(
            five_failures(&db, t2).await,
            LoginOutcome::Locked {
                until: t2 + 4 + 3_600
            },
            "{name}: 24 h minus a second is not a day without failures"
        );
        // Four failures, a day of quiet, four more: the count started over.
        let t3 = t2 + 4 + 3_600;
        for i in 0..4 {
            assert_eq!(login(&db, MARIA, "mal", t3 + i).await, LoginOutcome::Wrong);
        }
        for i in 0..4 {
            assert_eq!(
                login(&db, MARIA, "mal", t3 + 3 + 86_400 + i).await,
                LoginOutcome::Wrong,
                "{name}: the count was forgotten"
            );
        }
    }
}

#[tokio::test]
async fn a_successful_recovery_lifts_the_login_lock() {
    for (name, db) in test_support::each_backend().await {
        seeded(&db).await;
        let Some(until) = (match five_failures(&db, NOW).await {
            LoginOutcome::Locked { until } => Some(until),
            _ => None,
        }) else {
            panic!("{name}: five failures lock");
        };
        let f = code_flow(&db).await;
        let person = affiliate::Entity::find_by_id(MARIA.to_owned())
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let clave = "una clave nueva y larga";
        let phc = hashing::hash(clave.into()).await.unwrap();
        account::set_clave(&db, "https://clave.example.org", &f, &person, phc, NOW + 60)
            .await
            .unwrap();
        assert!(NOW + 61 < until, "still inside the lock's time");
        assert!(
            matches!(
                login(&db, MARIA, clave, NOW + 61).await,
                LoginOutcome::SignedIn { .. }
            ),
            "{name}: the lock went with the recovery"
        );
    }
}

/// SPEC §4.4: a new id at every login; only a clave change ends the others.
#[tokio::test]
async fn each_login_opens_its_own_session_and_keeps_the_others() {
    for (name, db) in test_support::each_backend().await {
        seeded(&db).await;
        let mut tokens = Vec::new();
        for t in [NOW, NOW + 1] {
            match login(&db, MARIA, demo::DEMO_CLAVE, t).await {
                LoginOutcome::SignedIn { token } => tokens.push(token),
                other => panic!("{name}: {other:?}"),
            }
        }
        assert_ne!(tokens[0], tokens[1], "{name}: a new id");
        for token in &tokens {
            assert!(
                account::session_for(&db, token, NOW + 2)
                    .await
                    .unwrap()
                    .is_some(),
                "{name}: both sessions live"
            );
        }
    }
}

/// SPEC §4.2: the code is stored as a keyed hash, never as itself: the row
/// holds HMAC-SHA-256 under the server secret (computed here with the `hmac`
/// crate directly), bound to the flow.
#[tokio::test]
async fn the_code_is_stored_as_a_keyed_hash_bound_to_its_flow() {
    use hmac::{Hmac, Mac};
    let s = settings(&[]);
    for (name, db) in test_support::each_backend().await {
        let f = code_flow(&db).await;
        code::send(&db, &s, &f, "a@example.com", "ip", NOW)
            .await
            .unwrap()
            .unwrap();
        let c = mailed_code(&db, "a@example.com").await;
        let row = entity::verification_code::Entity::find_by_id(f.id.clone())
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let mut mac =
            Hmac::<sha2::Sha256>::new_from_slice(b"a test key that is long enough!!").unwrap();
        mac.update(b"code\0");
        mac.update(format!("{}:{c}", f.id).as_bytes());
        assert_eq!(
            row.code_hash,
            hex::encode(mac.finalize().into_bytes()),
            "{name}"
        );
        assert!(!row.code_hash.contains(&c), "{name}: not the code itself");
    }
}
