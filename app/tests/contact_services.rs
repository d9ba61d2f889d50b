//! Service tests of the contact centre, on SQLite and PostgreSQL: call-back
//! requests (limits, one open request per cédula, merging, the queue's
//! rules), staff accounts and sessions, unlocking, cases, counts, and the
//! retention of requests.

use app::domain::callback::{CallbackAction, CallbackStatus, TimeWindow};
use app::domain::cedula::Cedula;
use app::domain::flow::FlowKind;
use app::domain::staff::Role;
use app::services::callback::{act, queue, submit, ActRefusal, NewCallback, Taken};
use app::services::identity::{self, AfterFailure};
use app::services::retention::{sweep, Retention};
use app::services::staff::{self, StaffLogin};
use app::services::staff_factor;
use app::services::{demo, flow, test_support, Settings};
use entity::{affiliate, audit_event, callback_request, login_lock};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::Arc;

const NOW: i64 = 1_800_000_000;
const ABROAD: &str = "1718881111";
const MARIA: &str = "1712345675";
const UNREGISTERED: &str = "1714307103";
const STAFF_CLAVE: &str = "faro lejano junto al Chimborazo";

fn settings_with(extra: &[(&str, &str)]) -> Arc<Settings> {
    let vars: HashMap<String, String> = [
        ("CLAVE_MODE", "development"),
        ("CLAVE_SECRET", "a test key that is long enough!!"),
    ]
    .iter()
    .chain(extra)
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    Arc::new(Settings::from_map(&vars).expect("test settings"))
}

fn request<'a>(cedula: &'a str, phone: &'a str) -> NewCallback<'a> {
    NewCallback {
        cedula,
        country: "ES",
        phone,
        window: TimeWindow::Morning,
    }
}

fn reference(taken: &Taken) -> String {
    match taken {
        Taken::Created { reference } | Taken::Merged { reference } => reference.clone(),
        Taken::TooMany => panic!("refused: {taken:?}"),
    }
}

async fn open_count(db: &DatabaseConnection) -> u64 {
    callback_request::Entity::find()
        .filter(callback_request::Column::OpenCedula.is_not_null())
        .count(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_second_request_for_a_cedula_is_merged_and_never_replaces_the_first_number() {
    let s = settings_with(&[]);
    for (name, db) in test_support::each_backend().await {
        let first = submit(&db, &s, &request(ABROAD, "+34612345678"), "ip-a", true, NOW)
            .await
            .unwrap();
        assert!(matches!(first, Taken::Created { .. }), "{name}");
        let again = submit(
            &db,
            &s,
            &NewCallback {
                window: TimeWindow::Afternoon,
                ..request(ABROAD, "+34699999999")
            },
            "ip-b",
            true,
            NOW + 60,
        )
        .await
        .unwrap();
        assert!(matches!(again, Taken::Merged { .. }), "{name}");
        assert_ne!(
            reference(&again),
            reference(&first),
            "{name}: a reference of its own"
        );
        let rows = callback_request::Entity::find().all(&db).await.unwrap();
        assert_eq!(rows.len(), 1, "{name}");
        let row = &rows[0];
        assert_eq!(row.phone, "+34612345678", "{name}: the first number stays");
        assert_eq!(row.phone_alt.as_deref(), Some("+34699999999"), "{name}");
        assert_eq!(row.time_window, "afternoon", "{name}");
        assert_eq!((row.merges, row.status.as_str()), (1, "open"), "{name}");
        // Another cédula gets its own request, registered or not.
        let other = submit(
            &db,
            &s,
            &request(UNREGISTERED, "+34612345678"),
            "ip-c",
            true,
            NOW,
        )
        .await
        .unwrap();
        assert!(matches!(other, Taken::Created { .. }), "{name}");
        assert_ne!(reference(&other), reference(&first), "{name}");
        assert_eq!(open_count(&db).await, 2, "{name}");
    }
}

#[tokio::test]
async fn racing_requests_for_one_cedula_open_one_request() {
    let s = settings_with(&[("CLAVE_CEDULA_CALLBACKS_PER_DAY", "100")]);
    for (name, db) in test_support::each_backend().await {
        let tries = (0..6).map(|i| {
            let (db, s) = (db.clone(), s.clone());
            async move {
                let phone = format!("+3461234567{i}");
                submit(
                    &db,
                    &s,
                    &request(ABROAD, &phone),
                    &format!("ip-{i}"),
                    true,
                    NOW,
                )
                .await
                .unwrap()
            }
        });
        let results = futures::future::join_all(tries).await;
        let created = results
            .iter()
            .filter(|r| matches!(r, Taken::Created { .. }))
            .count();
        assert_eq!(created, 1, "{name}: {results:?}");
        let refs: std::collections::HashSet<String> = results.iter().map(reference).collect();
        assert_eq!(
            refs.len(),
            6,
            "{name}: every submission got its own reference"
        );
        assert_eq!(
            entity::callback_reference::Entity::find()
                .count(&db)
                .await
                .unwrap(),
            5,
            "{name}: five merged into the one request"
        );
        assert_eq!(open_count(&db).await, 1, "{name}");
    }
}

#[tokio::test]
async fn limits_per_client_and_per_cedula() {
    let s = settings_with(&[
        ("CLAVE_IP_CALLBACKS_PER_HOUR", "3"),
        ("CLAVE_CEDULA_CALLBACKS_PER_DAY", "2"),
    ]);
    for (name, db) in test_support::each_backend().await {
        // Per cédula: the third request of the day is refused, from any client.
        for ip in ["ip-1", "ip-2"] {
            let t = submit(&db, &s, &request(ABROAD, "+34612345678"), ip, true, NOW)
                .await
                .unwrap();
            assert_ne!(t, Taken::TooMany, "{name}");
        }
        let t = submit(&db, &s, &request(ABROAD, "+34612345678"), "ip-3", true, NOW)
            .await
            .unwrap();
        assert_eq!(t, Taken::TooMany, "{name}");
        // Per client: the fourth request in the hour is refused, whatever the cédula.
        for cedula in ["0104567896", "1305678904", "0501239875"] {
            let t = submit(&db, &s, &request(cedula, "+34612345678"), "ip-x", true, NOW)
                .await
                .unwrap();
            assert_ne!(t, Taken::TooMany, "{name}");
        }
        let t = submit(&db, &s, &request(MARIA, "+34612345678"), "ip-x", true, NOW)
            .await
            .unwrap();
        assert_eq!(t, Taken::TooMany, "{name}");
        // The next hour the client may ask again.
        let t = submit(
            &db,
            &s,
            &request(MARIA, "+34612345678"),
            "ip-x",
            true,
            NOW + 3_600,
        )
        .await
        .unwrap();
        assert_ne!(t, Taken::TooMany, "{name}");
        // Without a proof of work a client gets half the hourly budget (1 of 3).
        let t = submit(
            &db,
            &s,
            &request("1715556666", "+34612345678"),
            "ip-nojs",
            false,
            NOW,
        )
        .await
        .unwrap();
        assert_ne!(t, Taken::TooMany, "{name}");
        let t = submit(
            &db,
            &s,
            &request("0922334453", "+34612345678"),
            "ip-nojs",
            false,
            NOW,
        )
        .await
        .unwrap();
        assert_eq!(t, Taken::TooMany, "{name}");
    }
}

#[tokio::test]
async fn the_queue_moves_forward_and_only_whoever_took_a_request_moves_it_on() {
    let s = settings_with(&[]);
    for (name, db) in test_support::each_backend().await {
        let first = submit(&db, &s, &request(ABROAD, "+34612345678"), "ip", true, NOW)
            .await
            .unwrap();
        let id = callback_request::Entity::find()
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .id;
        let by = |who: &'static str, action, note: Option<&'static str>| {
            let db = db.clone();
            async move { act(&db, id, who, action, note, NOW + 10).await.unwrap() }
        };
        assert_eq!(
            by("ana", CallbackAction::Resolve, Some("nota")).await,
            Err(ActRefusal::NotNow)
        );
        assert_eq!(
            by("ana", CallbackAction::Claim, None).await,
            Ok(ABROAD.to_owned())
        );
        assert_eq!(
            by("luis", CallbackAction::Claim, None).await,
            Err(ActRefusal::NotNow),
            "{name}"
        );
        assert_eq!(
            by("luis", CallbackAction::MarkContacted, None).await,
            Err(ActRefusal::NotYours),
            "{name}"
        );
        assert_eq!(
            by("ana", CallbackAction::MarkContacted, None).await,
            Ok(ABROAD.to_owned())
        );
        assert_eq!(
            by(
                "ana",
                CallbackAction::Resolve,
                Some("Identidad confirmada; desbloqueada")
            )
            .await,
            Ok(ABROAD.to_owned())
        );
        let row = callback_request::Entity::find_by_id(id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.status, "resolved", "{name}");
        assert_eq!(row.open_cedula, None, "{name}");
        assert_eq!(row.closed_at, Some(NOW + 10), "{name}");
        assert_eq!(
            row.note.as_deref(),
            Some("Identidad confirmada; desbloqueada")
        );
        assert_eq!(
            act(&db, 9_999, "ana", CallbackAction::Claim, None, NOW)
                .await
                .unwrap(),
            Err(ActRefusal::NotFound)
        );
        // Resolved, the cédula may open a new request (not merged into the old one).
        let next = submit(
            &db,
            &s,
            &request(ABROAD, "+34612345678"),
            "ip",
            true,
            NOW + 20,
        )
        .await
        .unwrap();
        assert!(matches!(next, Taken::Created { .. }), "{name}");
        assert_ne!(reference(&next), reference(&first));
        // Filters: by status and by country.
        assert_eq!(
            queue(&db, &[CallbackStatus::Open], None, 50)
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            queue(&db, &[CallbackStatus::Resolved], None, 50)
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            queue(&db, &CallbackStatus::ALL, Some("ES"), 50)
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            queue(&db, &CallbackStatus::ALL, Some("US"), 50)
                .await
                .unwrap()
                .len(),
            0,
            "{name}"
        );
    }
}

#[tokio::test]
async fn two_agents_claiming_at_once_one_wins() {
    let s = settings_with(&[]);
    for (name, db) in test_support::each_backend().await {
        submit(&db, &s, &request(ABROAD, "+34612345678"), "ip", true, NOW)
            .await
            .unwrap();
        let id = callback_request::Entity::find()
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .id;
        let claims = ["ana", "luis", "eva", "rosa"].map(|who| {
            let db = db.clone();
            async move {
                act(&db, id, who, CallbackAction::Claim, None, NOW)
                    .await
                    .unwrap()
            }
        });
        let results = futures::future::join_all(claims).await;
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            1,
            "{name}: {results:?}"
        );
        // Released (a supervisor's action), it is open and anyone's again.
        let released = act(&db, id, "sofia", CallbackAction::Release, None, NOW + 5)
            .await
            .unwrap();
        assert_eq!(released, Ok(ABROAD.to_owned()), "{name}");
        let row = callback_request::Entity::find_by_id(id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (row.status.as_str(), row.claimed_by),
            ("open", None),
            "{name}"
        );
        assert_eq!(
            act(&db, id, "sofia", CallbackAction::Release, None, NOW + 6)
                .await
                .unwrap(),
            Err(ActRefusal::NotNow),
            "{name}: nothing to release"
        );
        assert!(act(&db, id, "luis", CallbackAction::Claim, None, NOW + 7)
            .await
            .unwrap()
            .is_ok());
    }
}

#[tokio::test]
async fn staff_accounts_sign_in_apart_from_affiliates() {
    let s = settings_with(&[]);
    for (name, db) in test_support::each_backend().await {
        assert!(staff::upsert_account(
            &db,
            "ana.perez",
            "Ana Pérez",
            STAFF_CLAVE,
            Role::Agent,
            NOW
        )
        .await
        .unwrap());
        let StaffLogin::PasswordAccepted { token } =
            staff::login(&db, &s, "ana.perez", STAFF_CLAVE, NOW)
                .await
                .unwrap()
        else {
            panic!("{name}: could not sign in");
        };
        let token = test_support::pass_staff_factor(&db, &s, &token, NOW).await;
        let user = staff::session_user(&db, &s, &token, NOW + 1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (user.username.as_str(), user.role),
            ("ana.perez", Role::Agent)
        );
        // The token is no affiliate session, and no affiliate token is a staff one.
        assert!(app::services::account::session_for(&db, &token, NOW + 1)
            .await
            .unwrap()
            .is_none());
        // Idle past the timeout: gone.
        assert!(
            staff::session_user(&db, &s, &token, NOW + 1 + s.session_idle_secs + 1)
                .await
                .unwrap()
                .is_none()
        );
        // Unknown user and wrong password look the same; five wrong lock the name.
        assert_eq!(
            staff::login(&db, &s, "nadie", STAFF_CLAVE, NOW)
                .await
                .unwrap(),
            StaffLogin::Wrong
        );
        for _ in 0..4 {
            assert_eq!(
                staff::login(&db, &s, "ana.perez", "otra", NOW)
                    .await
                    .unwrap(),
                StaffLogin::Wrong
            );
        }
        assert!(matches!(
            staff::login(&db, &s, "ana.perez", "otra", NOW)
                .await
                .unwrap(),
            StaffLogin::Locked { .. }
        ));
        assert!(
            matches!(
                staff::login(&db, &s, "ana.perez", STAFF_CLAVE, NOW)
                    .await
                    .unwrap(),
                StaffLogin::Locked { .. }
            ),
            "{name}: locked even with the right password"
        );
        // A deactivated account cannot sign in and loses its sessions.
        let StaffLogin::PasswordAccepted { token } =
            staff::login(&db, &s, "ana.perez", STAFF_CLAVE, NOW + 3_600)
                .await
                .unwrap()
        else {
            panic!("{name}: after the lock window");
        };
        let token = test_support::pass_staff_factor(&db, &s, &token, NOW + 3_600).await;
        assert!(staff::set_active(&db, "ana.perez", false).await.unwrap());
        assert!(staff::session_user(&db, &s, &token, NOW + 3_601)
            .await
            .unwrap()
            .is_none());
        assert_eq!(
            staff::login(&db, &s, "ana.perez", STAFF_CLAVE, NOW + 3_602)
                .await
                .unwrap(),
            StaffLogin::Wrong
        );
        assert!(!staff::set_active(&db, "nadie", true).await.unwrap());
        // Re-created from the CLI: active again, the new password works.
        assert!(!staff::upsert_account(
            &db,
            "ana.perez",
            "Ana Pérez",
            "otra clave larga y rara",
            Role::Supervisor,
            NOW
        )
        .await
        .unwrap());
        assert!(
            matches!(
                staff::login(&db, &s, "ana.perez", "otra clave larga y rara", NOW + 7_200)
                    .await
                    .unwrap(),
                StaffLogin::PasswordAccepted { .. }
            ),
            "{name}"
        );
    }
}

#[tokio::test]
async fn unlocking_lifts_the_account_login_and_identity_locks() {
    let s = settings_with(&[("CLAVE_CEDULA_MAX_FAILURES_PER_DAY", "2")]);
    for (name, db) in test_support::each_backend().await {
        demo::seed(&db, NOW).await.unwrap();
        // The demo's abroad person is account-locked; also lock logins and
        // identity checks.
        login_lock::Entity::insert(login_lock::ActiveModel {
            cedula: sea_orm::ActiveValue::Set(ABROAD.into()),
            failures: sea_orm::ActiveValue::Set(0),
            level: sea_orm::ActiveValue::Set(1),
            locked_until: sea_orm::ActiveValue::Set(Some(NOW + 900)),
            updated_at: sea_orm::ActiveValue::Set(NOW),
        })
        .exec(&db)
        .await
        .unwrap();
        let (_, f) = flow::start(
            &db,
            FlowKind::Recovery,
            &Cedula::parse(ABROAD).unwrap(),
            900,
            NOW,
        )
        .await
        .unwrap();
        let fail = || {
            identity::check(&db, &s, &f, NOW, async {
                Ok::<Option<()>, sea_orm::DbErr>(None)
            })
        };
        fail().await.unwrap();
        assert!(matches!(
            fail().await.unwrap(),
            identity::Checked::Failed(AfterFailure::CedulaLocked { .. })
        ));
        let person = affiliate::Entity::find_by_id(ABROAD.to_owned())
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let before = staff::locks(&db, &s, &person, NOW).await.unwrap();
        assert!(
            before.account && before.logins_until.is_some() && before.identity_until.is_some(),
            "{name}: {before:?}"
        );
        let lifted = staff::unlock(&db, &s, ABROAD, NOW).await.unwrap().unwrap();
        assert_eq!(lifted, before, "{name}");
        let person = affiliate::Entity::find_by_id(ABROAD.to_owned())
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let after = staff::locks(&db, &s, &person, NOW).await.unwrap();
        assert!(!after.any(), "{name}: {after:?}");
        assert_eq!(
            identity::cedula_locked_until(&db, &s, ABROAD, NOW)
                .await
                .unwrap(),
            None
        );
        // The account lock came from "no fui yo": the old clave is void.
        let clave = entity::credential::Entity::find_by_id(ABROAD.to_owned())
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(clave.password_hash, staff::CLAVE_VOIDED, "{name}");
        assert!(
            !app::services::hashing::verify(demo::DEMO_CLAVE.into(), clave.password_hash)
                .await
                .unwrap()
        );
        assert_eq!(
            staff::unlock(&db, &s, UNREGISTERED, NOW).await.unwrap(),
            None,
            "{name}"
        );
    }
}

#[tokio::test]
async fn cases_are_taken_then_closed_by_the_same_person_and_counts_add_up() {
    let s = settings_with(&[]);
    for (name, db) in test_support::each_backend().await {
        demo::seed(&db, NOW).await.unwrap();
        entity::staff_case::Entity::insert(entity::staff_case::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            cedula: sea_orm::ActiveValue::Set(MARIA.into()),
            kind: sea_orm::ActiveValue::Set("not_me:clave_changed".into()),
            detail: sea_orm::ActiveValue::Set("No fui yo".into()),
            status: sea_orm::ActiveValue::Set("open".into()),
            created_at: sea_orm::ActiveValue::Set(NOW),
            claimed_by: sea_orm::ActiveValue::Set(None),
            note: sea_orm::ActiveValue::Set(None),
            closed_at: sea_orm::ActiveValue::Set(None),
        })
        .exec(&db)
        .await
        .unwrap();
        let id = staff::open_cases(&db).await.unwrap()[0].id;
        assert_eq!(
            staff::work_case(&db, id, "ana", Some("cerrar"), NOW)
                .await
                .unwrap(),
            None,
            "{name}: not taken yet"
        );
        assert_eq!(
            staff::work_case(&db, id, "ana", None, NOW)
                .await
                .unwrap()
                .as_deref(),
            Some(MARIA)
        );
        assert_eq!(
            staff::work_case(&db, id, "luis", None, NOW).await.unwrap(),
            None
        );
        assert_eq!(
            staff::work_case(&db, id, "luis", Some("cerrar"), NOW)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            staff::work_case(&db, id, "ana", Some("Llamé; era ella"), NOW)
                .await
                .unwrap(),
            Some(MARIA.to_owned())
        );
        assert!(staff::open_cases(&db).await.unwrap().is_empty(), "{name}");

        // Counts: two requests today, one resolved; one two days ago.
        for (cedula, at) in [
            (ABROAD, NOW),
            (MARIA, NOW),
            (UNREGISTERED, NOW - 2 * 86_400),
        ] {
            submit(&db, &s, &request(cedula, "+34612345678"), cedula, true, at)
                .await
                .unwrap();
        }
        let first = queue(&db, &CallbackStatus::ALL, None, 10).await.unwrap();
        let today_id = first.iter().find(|r| r.cedula == MARIA).unwrap().id;
        act(&db, today_id, "ana", CallbackAction::Claim, None, NOW)
            .await
            .unwrap()
            .unwrap();
        let c = staff::counts(&db, NOW, 14).await.unwrap();
        assert_eq!(
            c.by_status,
            vec![
                (CallbackStatus::Open, 2),
                (CallbackStatus::Claimed, 1),
                (CallbackStatus::Contacted, 0),
                (CallbackStatus::Resolved, 0)
            ],
            "{name}"
        );
        let per_day: Vec<u64> = c.by_day.iter().map(|(_, n)| *n).collect();
        assert_eq!(per_day, vec![2, 1], "{name}: {:?}", c.by_day);
        assert!(c.by_day[0].0 > c.by_day[1].0, "newest first");
    }
}

#[tokio::test]
async fn requests_are_deleted_after_their_retention() {
    let s = settings_with(&[]);
    for (name, db) in test_support::each_backend().await {
        let day = 86_400;
        // Resolved 31 days ago (goes), resolved 29 days ago (stays), open
        // since 31 days (goes), open since yesterday (stays).
        for (cedula, created, closed) in [
            (ABROAD, NOW - 40 * day, Some(NOW - 31 * day)),
            (MARIA, NOW - 40 * day, Some(NOW - 29 * day)),
            (UNREGISTERED, NOW - 31 * day, None),
            ("0104567896", NOW - day, None),
        ] {
            submit(
                &db,
                &s,
                &request(cedula, "+34612345678"),
                cedula,
                true,
                created,
            )
            .await
            .unwrap();
            if let Some(at) = closed {
                callback_request::Entity::update_many()
                    .col_expr(callback_request::Column::Status, Expr::value("resolved"))
                    .col_expr(
                        callback_request::Column::OpenCedula,
                        Expr::value(Option::<String>::None),
                    )
                    .col_expr(callback_request::Column::ClosedAt, Expr::value(at))
                    .filter(callback_request::Column::Cedula.eq(cedula))
                    .exec(&db)
                    .await
                    .unwrap();
            }
        }
        let retention = Retention {
            flow_days: 7,
            audit_days: 365,
            callback_days: 30,
        };
        let swept = sweep(&db, retention, NOW).await.unwrap();
        assert_eq!(swept.callbacks, 2, "{name}: {swept:?}");
        let mut left: Vec<String> = callback_request::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.cedula)
            .collect();
        left.sort();
        assert_eq!(
            left,
            vec!["0104567896".to_owned(), MARIA.to_owned()],
            "{name}"
        );
        assert_eq!(sweep(&db, retention, NOW).await.unwrap().callbacks, 0);
        // The audit rows of staff keep who and why.
        app::services::audit::write(
            &db,
            app::services::audit::Event {
                actor: "ana",
                action: "personal/desbloquear",
                cedula: Some(ABROAD),
                outcome: "ok",
                detail: Some("Identidad confirmada por teléfono"),
                ..Default::default()
            },
            NOW,
        )
        .await
        .unwrap();
        let row = audit_event::Entity::find()
            .filter(audit_event::Column::Actor.eq("ana"))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.detail.as_deref(),
            Some("Identidad confirmada por teléfono"),
            "{name}"
        );
    }
}

/// The code the staff user's app shows at `at` (RFC 6238 through the same
/// crate the server uses; the crate itself is checked against the RFC's
/// vectors in `staff_factor`'s unit tests).
async fn app_code(db: &DatabaseConnection, username: &str, at: i64) -> String {
    let secret = entity::staff_factor::Entity::find_by_id(username.to_owned())
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .secret;
    staff_factor::totp(&secret, username)
        .unwrap()
        .generate(at as u64)
        .to_string()
}

async fn password_only(db: &DatabaseConnection, s: &Settings, now: i64) -> String {
    match staff::login(db, s, "ana.perez", STAFF_CLAVE, now)
        .await
        .unwrap()
    {
        StaffLogin::PasswordAccepted { token } => token,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_staff_password_opens_only_the_factor_enrolled_at_the_first_sign_in() {
    use app::domain::staff::FactorInput::{Recovery, Totp};
    use staff_factor::{check, page, FactorCheck, FactorPage};
    let s = settings_with(&[]);
    for (name, db) in test_support::each_backend().await {
        staff::upsert_account(&db, "ana.perez", "Ana Pérez", STAFF_CLAVE, Role::Agent, NOW)
            .await
            .unwrap();
        let waiting = password_only(&db, &s, NOW).await;
        // The password alone is no console session.
        assert!(staff::session_user(&db, &s, &waiting, NOW + 1)
            .await
            .unwrap()
            .is_none());
        // First sign-in: the enrolment page, the same on a reload.
        let Some(FactorPage::Enrol {
            username,
            enrolment,
        }) = page(&db, &s, &waiting, NOW + 1).await.unwrap()
        else {
            panic!("{name}: not the enrolment page");
        };
        assert_eq!(username, "ana.perez");
        assert_eq!(
            page(&db, &s, &waiting, NOW + 2).await.unwrap(),
            Some(FactorPage::Enrol {
                username: username.clone(),
                enrolment: enrolment.clone()
            }),
            "{name}: a reload shows the same secret and codes"
        );
        assert_eq!(enrolment.secret_base32.len(), 32, "{name}: 160 bits");
        assert!(enrolment
            .otpauth_url
            .contains(&format!("secret={}", enrolment.secret_base32)));
        let codes = enrolment.recovery_codes.clone();
        assert_eq!(codes.len(), 10);
        assert_eq!(
            codes.iter().collect::<std::collections::HashSet<_>>().len(),
            10
        );
        // A recovery code does not enrol; a wrong code is wrong.
        assert_eq!(
            check(&db, &s, &waiting, &Recovery(codes[0].clone()), NOW + 3)
                .await
                .unwrap(),
            FactorCheck::Wrong,
            "{name}"
        );
        let stale = app_code(&db, "ana.perez", NOW - 90).await;
        assert_eq!(
            check(&db, &s, &waiting, &Totp(stale), NOW + 3)
                .await
                .unwrap(),
            FactorCheck::Wrong,
            "{name}: three steps old"
        );
        // The app's code enrols, and the session gets a new id.
        let code = app_code(&db, "ana.perez", NOW + 4).await;
        let FactorCheck::Passed {
            token,
            recovery_codes_left: None,
        } = check(&db, &s, &waiting, &Totp(code.clone()), NOW + 4)
            .await
            .unwrap()
        else {
            panic!("{name}: the app's code did not pass");
        };
        assert_ne!(token, waiting);
        assert_eq!(
            staff::session_user(&db, &s, &token, NOW + 5)
                .await
                .unwrap()
                .map(|u| u.username),
            Some("ana.perez".to_owned())
        );
        assert_eq!(page(&db, &s, &waiting, NOW + 5).await.unwrap(), None);
        assert_eq!(
            check(&db, &s, &waiting, &Totp(code.clone()), NOW + 5)
                .await
                .unwrap(),
            FactorCheck::NoSession,
            "{name}: the password-only session is gone"
        );
        // The next sign-in asks for a code; the same code again is refused
        // (good once), the next step's passes.
        let waiting = password_only(&db, &s, NOW + 10).await;
        assert_eq!(
            page(&db, &s, &waiting, NOW + 10).await.unwrap(),
            Some(FactorPage::Verify {
                username: "ana.perez".into()
            })
        );
        assert_eq!(
            check(&db, &s, &waiting, &Totp(code), NOW + 10)
                .await
                .unwrap(),
            FactorCheck::Wrong,
            "{name}: a code is good once"
        );
        // A recovery code passes once, and says how many are left.
        assert!(matches!(
            check(&db, &s, &waiting, &Recovery(codes[3].clone()), NOW + 11)
                .await
                .unwrap(),
            FactorCheck::Passed {
                recovery_codes_left: Some(9),
                ..
            }
        ));
        let waiting = password_only(&db, &s, NOW + 12).await;
        assert_eq!(
            check(&db, &s, &waiting, &Recovery(codes[3].clone()), NOW + 12)
                .await
                .unwrap(),
            FactorCheck::Wrong,
            "{name}: a recovery code is good once"
        );
        // The password-only session waits 10 minutes, no more.
        assert_eq!(
            page(&db, &s, &waiting, NOW + 12 + staff_factor::FACTOR_WAIT_SECS)
                .await
                .unwrap(),
            None,
            "{name}"
        );
        // Nothing in the database is a recovery code in clear.
        let stored = entity::staff_recovery_code::Entity::find()
            .all(&db)
            .await
            .unwrap();
        assert_eq!(stored.len(), 10);
        assert!(stored.iter().all(|r| !codes.contains(&r.code_hash)));
    }
}

#[tokio::test]
async fn five_wrong_staff_codes_lock_the_factor_for_fifteen_minutes() {
    use app::domain::staff::FactorInput::Totp;
    use staff_factor::{check, page, FactorCheck};
    let s = settings_with(&[]);
    for (name, db) in test_support::each_backend().await {
        staff::upsert_account(&db, "ana.perez", "Ana Pérez", STAFF_CLAVE, Role::Agent, NOW)
            .await
            .unwrap();
        let waiting = password_only(&db, &s, NOW).await;
        page(&db, &s, &waiting, NOW).await.unwrap();
        let right = app_code(&db, "ana.perez", NOW).await;
        let wrong = if right == "000000" {
            "111111"
        } else {
            "000000"
        };
        for i in 0..5 {
            let got = check(&db, &s, &waiting, &Totp(wrong.into()), NOW)
                .await
                .unwrap();
            if i < 4 {
                assert_eq!(got, FactorCheck::Wrong, "{name}: try {i}");
            } else {
                assert_eq!(got, FactorCheck::Locked { until: NOW + 900 }, "{name}");
            }
        }
        assert_eq!(
            check(&db, &s, &waiting, &Totp(right), NOW + 1)
                .await
                .unwrap(),
            FactorCheck::Locked { until: NOW + 900 },
            "{name}: the right code waits too"
        );
        // 15 minutes later (a new password-only session: the first expired).
        let waiting = password_only(&db, &s, NOW + 900).await;
        let right = app_code(&db, "ana.perez", NOW + 900).await;
        assert!(
            matches!(
                check(&db, &s, &waiting, &Totp(right), NOW + 900)
                    .await
                    .unwrap(),
                FactorCheck::Passed { .. }
            ),
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_factor_reset_ends_the_sessions_and_the_next_sign_in_enrols_anew() {
    use app::domain::staff::FactorInput::Recovery;
    use staff_factor::{check, page, reset, FactorCheck, FactorPage};
    let s = settings_with(&[]);
    for (name, db) in test_support::each_backend().await {
        staff::upsert_account(&db, "ana.perez", "Ana Pérez", STAFF_CLAVE, Role::Agent, NOW)
            .await
            .unwrap();
        let waiting = password_only(&db, &s, NOW).await;
        let Some(FactorPage::Enrol { enrolment: old, .. }) =
            page(&db, &s, &waiting, NOW).await.unwrap()
        else {
            panic!("{name}");
        };
        let full = test_support::pass_staff_factor(&db, &s, &waiting, NOW).await;
        assert_eq!(
            staff_factor::enrolled(&db).await.unwrap(),
            vec!["ana.perez".to_owned()]
        );
        assert!(reset(&db, "ana.perez").await.unwrap());
        assert!(
            !reset(&db, "ana.perez").await.unwrap(),
            "{name}: nothing left"
        );
        assert!(staff::session_user(&db, &s, &full, NOW + 1)
            .await
            .unwrap()
            .is_none());
        assert!(staff_factor::enrolled(&db).await.unwrap().is_empty());
        let waiting = password_only(&db, &s, NOW + 2).await;
        let Some(FactorPage::Enrol { enrolment: new, .. }) =
            page(&db, &s, &waiting, NOW + 2).await.unwrap()
        else {
            panic!("{name}: enrols again");
        };
        assert_ne!(new.secret_base32, old.secret_base32);
        assert!(new
            .recovery_codes
            .iter()
            .all(|c| !old.recovery_codes.contains(c)));
        assert_eq!(
            check(
                &db,
                &s,
                &waiting,
                &Recovery(old.recovery_codes[0].clone()),
                NOW + 2
            )
            .await
            .unwrap(),
            FactorCheck::Wrong,
            "{name}: the old recovery codes are gone"
        );
    }
}
