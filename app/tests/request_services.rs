//! Service tests of solicitar clave and the identity locks, on SQLite and
//! PostgreSQL: matching the full identity, the catalogue, holding and adopting
//! the chosen answers, creating the first clave once, and the lock's end.

use app::domain::cedula::Cedula;
use app::domain::dactilar::CodigoDactilar;
use app::domain::flow::FlowKind;
use app::services::identity::{self, AfterFailure};
use app::services::{account, demo, flow, hashing, questions, test_support, Settings};
use entity::{affiliate, credential, flow_answer, mail_outbox, security_answer, security_question};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::Arc;

const NOW: i64 = 1_800_000_000;
const ROSA: &str = "0104567896";

fn settings() -> Arc<Settings> {
    let vars: HashMap<String, String> = [
        ("CLAVE_MODE", "development"),
        ("CLAVE_SECRET", "a test key that is long enough!!"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    Arc::new(Settings::from_map(&vars).expect("test settings"))
}

async fn request_flow(db: &DatabaseConnection, cedula: &str) -> app::services::flow::Flow {
    demo::seed(db, NOW).await.unwrap();
    flow::start(
        db,
        FlowKind::Request,
        &Cedula::parse(cedula).unwrap(),
        900,
        NOW,
    )
    .await
    .unwrap()
    .1
}

async fn rosa(db: &DatabaseConnection) -> affiliate::Model {
    affiliate::Entity::find_by_id(ROSA.to_owned())
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn the_full_identity_needs_the_whole_date_and_the_codigo_dactilar() {
    for (name, db) in test_support::each_backend().await {
        demo::seed(&db, NOW).await.unwrap();
        let right = CodigoDactilar::parse("c3456-d7890").unwrap();
        let wrong = CodigoDactilar::parse("C3456D7891").unwrap();
        let found = |date, code| {
            let db = db.clone();
            async move {
                identity::match_full_identity(&db, ROSA, date, code)
                    .await
                    .unwrap()
                    .is_some()
            }
        };
        assert!(found((1992, 1, 30), &right).await, "{name}");
        assert!(!found((1993, 1, 30), &right).await, "{name}: year");
        assert!(!found((1992, 1, 30), &wrong).await, "{name}: código");
        assert!(
            identity::match_full_identity(&db, "1714307103", (1992, 1, 30), &right)
                .await
                .unwrap()
                .is_none()
        );
    }
}

#[tokio::test]
async fn the_catalogue_is_the_active_questions_and_operators_can_change_it() {
    for (name, db) in test_support::each_backend().await {
        let all = questions::catalogue(&db).await.unwrap();
        assert!(all.len() >= 12, "{name}");
        assert!(all.windows(2).all(|w| w[0].id < w[1].id));
        security_question::Entity::update_many()
            .col_expr(security_question::Column::Active, Expr::value(false))
            .filter(security_question::Column::Id.eq(all[0].id))
            .exec(&db)
            .await
            .unwrap();
        let now = questions::catalogue(&db).await.unwrap();
        assert_eq!(now.len(), all.len() - 1, "{name}");
        assert!(now.iter().all(|q| q.id != all[0].id));
    }
}

#[tokio::test]
async fn chosen_answers_wait_in_the_flow_and_become_the_affiliates_with_the_clave() {
    for (name, db) in test_support::each_backend().await {
        let f = request_flow(&db, ROSA).await;
        let ids: Vec<i32> = questions::catalogue(&db)
            .await
            .unwrap()
            .iter()
            .map(|q| q.id)
            .collect();
        let first: Vec<(i32, String)> = ids[..4]
            .iter()
            .map(|i| (*i, format!("primera {i}")))
            .collect();
        questions::hold_choice(&db, &f.id, &first).await.unwrap();
        // Choosing again replaces what was held.
        let second: Vec<(i32, String)> = vec![
            (ids[5], "  Doña   LUCHA ".into()),
            (ids[6], "b".repeat(3)),
            (ids[7], "c".repeat(3)),
            (ids[8], "d".repeat(3)),
        ];
        questions::hold_choice(&db, &f.id, &second).await.unwrap();
        assert_eq!(
            flow_answer::Entity::find().count(&db).await.unwrap(),
            4,
            "{name}"
        );
        assert_eq!(
            security_answer::Entity::find()
                .filter(security_answer::Column::Cedula.eq(ROSA))
                .count(&db)
                .await
                .unwrap(),
            0,
            "{name}: nothing is the affiliate's yet"
        );
        flow::set_contact(&db, &f.id, "rosa.otra@example.org", Some("+593991234567"))
            .await
            .unwrap();
        let f = app::services::flow::Flow::try_from(
            entity::recovery_flow::Entity::find_by_id(f.id.clone())
                .one(&db)
                .await
                .unwrap()
                .unwrap(),
        )
        .unwrap();
        let phc = hashing::hash("una clave larga y rara".into())
            .await
            .unwrap();
        assert!(
            account::create_clave(&db, "https://x", &f, &rosa(&db).await, phc, NOW)
                .await
                .unwrap()
        );
        let stored = security_answer::Entity::find()
            .filter(security_answer::Column::Cedula.eq(ROSA))
            .all(&db)
            .await
            .unwrap();
        assert_eq!(stored.len(), 4, "{name}");
        let lucha = stored.iter().find(|a| a.question_id == ids[5]).unwrap();
        assert!(
            hashing::verify("dona lucha".into(), lucha.answer_hash.clone())
                .await
                .unwrap(),
            "{name}: normalised"
        );
        assert!(!lucha.answer_hash.contains("lucha"));
        assert_eq!(flow_answer::Entity::find().count(&db).await.unwrap(), 0);
        let person = rosa(&db).await;
        assert_eq!(person.email, "rosa.otra@example.org");
        assert_eq!(person.phone.as_deref(), Some("+593991234567"));
        let kinds: Vec<(String, String)> = mail_outbox::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|m| (m.kind, m.to_address))
            .collect();
        assert!(
            kinds.contains(&("clave_created".into(), "rosa.otra@example.org".into())),
            "{name}"
        );
        assert!(
            kinds.contains(&("email_changed".into(), "rosa.quishpe@example.com".into())),
            "{name}"
        );
    }
}

#[tokio::test]
async fn two_racing_requests_create_one_clave() {
    for (name, db) in test_support::each_backend().await {
        let a = request_flow(&db, ROSA).await;
        let b = flow::start(
            &db,
            FlowKind::Request,
            &Cedula::parse(ROSA).unwrap(),
            900,
            NOW,
        )
        .await
        .unwrap()
        .1;
        let person = rosa(&db).await;
        let phc = hashing::hash("una clave larga y rara".into())
            .await
            .unwrap();
        let (x, y) = tokio::join!(
            account::create_clave(&db, "https://x", &a, &person, phc.clone(), NOW),
            account::create_clave(&db, "https://x", &b, &person, phc.clone(), NOW),
        );
        let created = [x.unwrap(), y.unwrap()];
        assert_eq!(
            created.iter().filter(|c| **c).count(),
            1,
            "{name}: {created:?}"
        );
        assert_eq!(
            credential::Entity::find()
                .filter(credential::Column::Cedula.eq(ROSA))
                .count(&db)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            mail_outbox::Entity::find()
                .filter(mail_outbox::Column::Kind.eq("clave_created"))
                .count(&db)
                .await
                .unwrap(),
            1,
            "{name}: the loser mails nothing"
        );
    }
}

#[tokio::test]
async fn the_identity_lock_ends_with_its_window_and_counts_both_flows() {
    for (name, db) in test_support::each_backend().await {
        let s = settings();
        let req = request_flow(&db, ROSA).await;
        let rec = flow::start(
            &db,
            FlowKind::Recovery,
            &Cedula::parse(ROSA).unwrap(),
            900,
            NOW,
        )
        .await
        .unwrap()
        .1;
        assert_eq!(
            identity::cedula_locked_until(&db, &s, ROSA, NOW)
                .await
                .unwrap(),
            None
        );
        // One failure a minute, from either flow; the fifth locks both flows
        // until the first leaves the last 24 hours — not until midnight.
        let mut last = AfterFailure::TryAgain;
        for i in 0..s.cedula_max_failures_per_day {
            let f = if i % 2 == 0 { &req } else { &rec };
            let at = NOW + 60 * i64::from(i);
            last = fail(&db, &s, f, at).await;
        }
        let until = NOW + 86_400;
        assert_eq!(last, AfterFailure::CedulaLocked { until }, "{name}");
        assert_eq!(
            identity::cedula_locked_until(&db, &s, ROSA, NOW + 43_200)
                .await
                .unwrap(),
            Some(until),
            "{name}: still locked across a UTC midnight"
        );
        assert_eq!(
            fail(&db, &s, &rec, until - 1).await,
            AfterFailure::CedulaLocked { until },
            "{name}: a second before, refused"
        );
        assert_eq!(
            identity::cedula_locked_until(&db, &s, ROSA, until)
                .await
                .unwrap(),
            None,
            "{name}: it ends by itself when the first failure is 24 h old"
        );
        assert_eq!(
            fail(&db, &s, &rec, until).await,
            AfterFailure::CedulaLocked {
                until: NOW + 60 + 86_400
            },
            "{name}: one more try, which locks again until the second is 24 h old"
        );
        assert_eq!(
            identity::cedula_locked_until(&db, &s, "0918765439", NOW)
                .await
                .unwrap(),
            None,
            "{name}: other cédulas are untouched"
        );
    }
}

#[tokio::test]
async fn operators_add_and_retire_questions_but_keep_enough_on_offer() {
    for (name, db) in test_support::each_backend().await {
        let id = questions::add(
            &db,
            " ¿Cómo se llamaba su primera mascota? ",
            "What was your first pet called?",
        )
        .await
        .unwrap()
        .expect("added");
        let offered = questions::catalogue(&db).await.unwrap();
        let text = &offered
            .iter()
            .find(|q| q.id == id)
            .expect("offered at once")
            .text_es;
        assert_eq!(
            text, "¿Cómo se llamaba su primera mascota?",
            "{name}: trimmed"
        );
        assert!(
            questions::add(&db, "¿Cómo se llamaba su primera mascota?", "Again?")
                .await
                .unwrap()
                .is_err(),
            "{name}: no duplicates"
        );
        assert!(questions::add(&db, "Sin pregunta", "Not a question")
            .await
            .unwrap()
            .is_err());
        assert!(questions::add(&db, "", "?").await.unwrap().is_err());
        assert!(questions::set_active(&db, 9_999, false)
            .await
            .unwrap()
            .is_err());

        let all = questions::list_all(&db).await.unwrap();
        let mut retired = 0;
        for q in &all {
            if questions::set_active(&db, q.id, false)
                .await
                .unwrap()
                .is_ok()
            {
                retired += 1;
            }
        }
        assert_eq!(retired, all.len() - questions::MIN_ACTIVE, "{name}");
        assert_eq!(
            questions::catalogue(&db).await.unwrap().len(),
            questions::MIN_ACTIVE
        );
        questions::set_active(&db, all[0].id, true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            questions::catalogue(&db).await.unwrap().len(),
            questions::MIN_ACTIVE + 1
        );
    }
}

#[tokio::test]
async fn the_cleanup_deletes_only_what_is_past_retention() {
    use app::services::retention::{sweep, Retention};
    use entity::{audit_event, recovery_flow, verification_code};
    for (name, db) in test_support::each_backend().await {
        let old = request_flow(&db, ROSA).await;
        let fresh = flow::start(
            &db,
            FlowKind::Request,
            &Cedula::parse(ROSA).unwrap(),
            900,
            NOW,
        )
        .await
        .unwrap()
        .1;
        questions::hold_choice(&db, &old.id, &[(1, "uno".into())])
            .await
            .unwrap();
        questions::hold_choice(&db, &fresh.id, &[(1, "uno".into())])
            .await
            .unwrap();
        for (flow_id, expires) in [(&old.id, NOW - 8 * 86_400), (&fresh.id, NOW + 180)] {
            verification_code::Entity::insert(verification_code::ActiveModel {
                flow_id: sea_orm::ActiveValue::Set(flow_id.clone()),
                code_hash: sea_orm::ActiveValue::Set("x".repeat(64)),
                email: sea_orm::ActiveValue::Set("a@example.org".into()),
                sent_at: sea_orm::ActiveValue::Set(expires - 180),
                expires_at: sea_orm::ActiveValue::Set(expires),
                wrong_tries: sea_orm::ActiveValue::Set(0),
                used_at: sea_orm::ActiveValue::Set(None),
            })
            .exec(&db)
            .await
            .unwrap();
        }
        // The old flow expired eight days ago; retention keeps seven.
        recovery_flow::Entity::update_many()
            .col_expr(
                recovery_flow::Column::ExpiresAt,
                Expr::value(NOW - 8 * 86_400),
            )
            .filter(recovery_flow::Column::Id.eq(&old.id))
            .exec(&db)
            .await
            .unwrap();
        for (at, action) in [(NOW - 400 * 86_400, "old"), (NOW - 10, "recent")] {
            app::services::audit::record(&db, "affiliate", action, Some(ROSA), None, "ok", at)
                .await
                .unwrap();
        }
        let retention = Retention {
            flow_days: 7,
            audit_days: 365,
            callback_days: 30,
        };
        let swept = sweep(&db, retention, NOW).await.unwrap();
        assert_eq!(
            (swept.flows, swept.codes, swept.held_answers, swept.audit),
            (1, 1, 1, 1),
            "{name}: {swept:?}"
        );
        let flows: Vec<String> = recovery_flow::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|f| f.id)
            .collect();
        assert_eq!(flows, vec![fresh.id.clone()], "{name}");
        assert_eq!(flow_answer::Entity::find().count(&db).await.unwrap(), 1);
        assert_eq!(
            verification_code::Entity::find().count(&db).await.unwrap(),
            1
        );
        let audit: Vec<String> = audit_event::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.action)
            .collect();
        assert!(audit.contains(&"recent".to_owned()) && !audit.contains(&"old".to_owned()));
        // Sweeping again deletes nothing more.
        assert_eq!(
            sweep(&db, retention, NOW).await.unwrap().total(),
            0,
            "{name}"
        );
    }
}

/// A failed identity check (the comparison never matches).
async fn fail(
    db: &DatabaseConnection,
    s: &Settings,
    f: &app::services::flow::Flow,
    now: i64,
) -> AfterFailure {
    match identity::check(db, s, f, now, async {
        Ok::<Option<()>, sea_orm::DbErr>(None)
    })
    .await
    .unwrap()
    {
        identity::Checked::Failed(after) => after,
        identity::Checked::Passed(()) => unreachable!("nothing matches"),
    }
}
