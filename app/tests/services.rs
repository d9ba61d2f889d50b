//! Service tests, each run on SQLite and on PostgreSQL.

use app::domain::captcha::{self, CaptchaError, Solution, ALGORITHM};
use app::domain::cedula::Cedula;
use app::domain::flow::FlowKind;
use app::services::captcha::{issue, redeem, Rejection};
use app::services::limit::{locked_until, refund, spend, Budget, Spent};
use app::services::{demo, flow, hashing, test_support};
use entity::{affiliate, captcha_use, credential, security_answer, security_question};
use sea_orm::{EntityTrait, PaginatorTrait};

const KEY: &[u8] = b"a test key that is long enough!!";
const NOW: i64 = 1_800_000_000;
const BIND: &str = "0123456789abcdef";

fn solved_payload(now: i64) -> String {
    let challenge = issue(KEY, 2_000, 600, now, BIND);
    let number = captcha::solve(&challenge).expect("solvable");
    Solution {
        algorithm: ALGORITHM.into(),
        challenge: challenge.challenge,
        number,
        salt: challenge.salt,
        signature: challenge.signature,
        took: 1,
    }
    .to_payload()
}

/// `NOW` is a whole hour (1 800 000 000 = 500 000 × 3 600): a clock-hour
/// window would start afresh there, a sliding one must not.
#[tokio::test]
async fn a_budget_is_a_sliding_window_not_a_clock_hour() {
    assert_eq!(NOW % 3_600, 0);
    for (name, db) in test_support::each_backend().await {
        let b = Budget {
            limit: 2,
            window_secs: 3_600,
        };
        let within = |s: &Spent| matches!(s, Spent::Within(_));
        assert!(
            within(&spend(&db, "k", b, NOW - 10).await.unwrap()),
            "{name}"
        );
        assert!(
            within(&spend(&db, "k", b, NOW - 5).await.unwrap()),
            "{name}"
        );
        assert_eq!(
            spend(&db, "k", b, NOW + 5).await.unwrap(),
            Spent::Over {
                until: NOW - 10 + 3_600
            },
            "{name}: the clock hour changed, the last hour still holds two"
        );
        assert!(
            within(&spend(&db, "other", b, NOW).await.unwrap()),
            "{name}: keys independent"
        );
        assert_eq!(
            locked_until(&db, "k", b, NOW + 3_589).await.unwrap(),
            Some(NOW + 3_590),
            "{name}"
        );
        assert!(
            within(&spend(&db, "k", b, NOW + 3_590).await.unwrap()),
            "{name}: the oldest left the window at exactly an hour"
        );
        assert_eq!(
            spend(&db, "k", b, NOW + 3_591).await.unwrap(),
            Spent::Over {
                until: NOW - 5 + 3_600
            },
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_refunded_attempt_no_longer_counts() {
    for (name, db) in test_support::each_backend().await {
        let b = Budget::per_day(1);
        let Spent::Within(ticket) = spend(&db, "r", b, NOW).await.unwrap() else {
            panic!("{name}: first attempt is within");
        };
        assert!(matches!(
            spend(&db, "r", b, NOW + 1).await.unwrap(),
            Spent::Over { .. }
        ));
        refund(&db, &ticket).await.unwrap();
        assert!(
            matches!(spend(&db, "r", b, NOW + 2).await.unwrap(), Spent::Within(_)),
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_spends_get_exactly_the_limit_in() {
    for (name, db) in test_support::each_backend().await {
        let b = Budget::per_hour(10);
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move { spend(&db, "burst", b, NOW).await.unwrap() })
            })
            .collect();
        let mut within = 0;
        for t in tasks {
            within += matches!(t.await.unwrap(), Spent::Within(_)) as i32;
        }
        assert_eq!(within, 10, "{name}");
        assert_eq!(
            entity::limit_event::Entity::find()
                .count(&db)
                .await
                .unwrap(),
            10,
            "{name}: refused attempts leave no row"
        );
    }
}

#[tokio::test]
async fn a_captcha_solution_is_redeemed_once() {
    for (name, db) in test_support::each_backend().await {
        let payload = solved_payload(NOW);
        assert_eq!(
            redeem(&db, KEY, &payload, NOW, BIND).await.unwrap(),
            Ok(()),
            "{name}"
        );
        assert_eq!(
            redeem(&db, KEY, &payload, NOW + 1, BIND).await.unwrap(),
            Err(Rejection::Replayed),
            "{name}"
        );
    }
}

#[tokio::test]
async fn concurrent_redemptions_of_one_solution_give_one_success() {
    for (name, db) in test_support::each_backend().await {
        let payload = solved_payload(NOW);
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let (db, p) = (db.clone(), payload.clone());
                tokio::spawn(async move { redeem(&db, KEY, &p, NOW, BIND).await.unwrap() })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            ok += t.await.unwrap().is_ok() as i32;
        }
        assert_eq!(ok, 1, "{name}");
    }
}

#[tokio::test]
async fn rejected_solutions_write_nothing() {
    for (name, db) in test_support::each_backend().await {
        let payload = solved_payload(NOW);
        assert_eq!(
            redeem(
                &db,
                b"another key, also long enough!!!",
                &payload,
                NOW,
                BIND
            )
            .await
            .unwrap(),
            Err(Rejection::Invalid(CaptchaError::BadSignature)),
            "{name}"
        );
        assert_eq!(
            redeem(&db, KEY, &payload, NOW + 601, BIND).await.unwrap(),
            Err(Rejection::Invalid(CaptchaError::Expired)),
            "{name}"
        );
        assert_eq!(
            redeem(&db, KEY, "not base64 at all", NOW, BIND)
                .await
                .unwrap(),
            Err(Rejection::Invalid(CaptchaError::Malformed)),
            "{name}"
        );
        assert_eq!(
            redeem(&db, KEY, &payload, NOW, "fedcba9876543210")
                .await
                .unwrap(),
            Err(Rejection::Invalid(CaptchaError::Binding)),
            "{name}: a solution only counts for the client it was issued to"
        );
        assert_eq!(
            captcha_use::Entity::find().count(&db).await.unwrap(),
            0,
            "{name}"
        );
    }
}

#[tokio::test]
async fn used_signatures_are_forgotten_after_they_expire() {
    for (name, db) in test_support::each_backend().await {
        redeem(&db, KEY, &solved_payload(NOW), NOW, BIND)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(captcha_use::Entity::find().count(&db).await.unwrap(), 1);
        // Redeeming another solution later sweeps the expired entry.
        redeem(&db, KEY, &solved_payload(NOW + 700), NOW + 700, BIND)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            captcha_use::Entity::find().count(&db).await.unwrap(),
            1,
            "{name}"
        );
    }
}

#[tokio::test]
async fn flows_are_found_by_token_until_they_expire() {
    for (name, db) in test_support::each_backend().await {
        let cedula = Cedula::parse("1712345675").unwrap();
        let (token, model) = flow::start(&db, FlowKind::Recovery, &cedula, 900, NOW)
            .await
            .unwrap();
        assert_eq!(token.0.len(), 64, "256 random bits, hex");
        assert_ne!(
            model.id, token.0,
            "{name}: only a hash of the token is stored"
        );
        assert_eq!(model.state, app::domain::flow::FlowState::IdentityPending);
        assert_eq!(model.expires_at, NOW + 900);
        let found = flow::find_live(&db, &token.0, NOW + 899).await.unwrap();
        assert_eq!(found.map(|f| f.cedula), Some("1712345675".into()), "{name}");
        assert!(flow::find_live(&db, &token.0, NOW + 900)
            .await
            .unwrap()
            .is_none());
        assert!(flow::find_live(&db, &"0".repeat(64), NOW)
            .await
            .unwrap()
            .is_none());
        assert!(flow::find_live(&db, "short", NOW).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn the_demo_registry_loads_once_with_hashed_secrets() {
    for (name, db) in test_support::each_backend().await {
        assert!(demo::is_empty(&db).await.unwrap());
        demo::seed(&db, NOW).await.unwrap();
        demo::seed(&db, NOW).await.unwrap();
        let people = affiliate::Entity::find().all(&db).await.unwrap();
        assert_eq!(people.len(), demo::DEMO_AFFILIATES.len(), "{name}");
        for p in &people {
            Cedula::parse(&p.cedula).expect("demo cédulas are valid");
            assert!(p.email.ends_with("@example.com") || p.email.ends_with("@example.org"));
        }
        // One locked at home; six abroad with a locked account (the
        // call-back journeys, two of them by keyboard alone), and one abroad
        // who is not locked.
        assert_eq!(people.iter().filter(|p| p.status == "locked").count(), 7);
        assert_eq!(people.iter().filter(|p| p.country != "EC").count(), 7);
        assert!(people
            .iter()
            .any(|p| p.country != "EC" && p.status == "active"));
        // The catalogue comes with the migrations, in both languages.
        let catalogue = security_question::Entity::find().all(&db).await.unwrap();
        assert!(catalogue.len() >= 12, "{name}");
        assert!(catalogue
            .iter()
            .all(|q| q.active && q.text_es.starts_with('¿') && q.text_en.ends_with('?')));
        let with_clave = demo::DEMO_AFFILIATES.iter().filter(|p| p.has_clave).count();
        assert!(with_clave >= 2 && with_clave < people.len());
        let creds = credential::Entity::find().all(&db).await.unwrap();
        assert_eq!(creds.len(), with_clave, "{name}");
        assert!(creds[0]
            .password_hash
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            hashing::verify(demo::DEMO_CLAVE.into(), creds[0].password_hash.clone())
                .await
                .unwrap()
        );
        let answers = security_answer::Entity::find().all(&db).await.unwrap();
        assert_eq!(answers.len(), with_clave * 4, "{name}");
        let normalised = app::domain::answer::normalise("  locro DE PAPÁ ");
        assert!(answers
            .iter()
            .any(|a| argon2_matches(&normalised, &a.answer_hash)));
    }
}

fn argon2_matches(answer: &str, phc: &str) -> bool {
    use argon2::{PasswordHash, PasswordVerifier};
    argon2::Argon2::default()
        .verify_password(answer.as_bytes(), &PasswordHash::new(phc).unwrap())
        .is_ok()
}
