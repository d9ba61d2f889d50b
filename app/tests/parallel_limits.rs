//! Every limit of SPEC §4.2 against a parallel attacker, on SQLite and on
//! PostgreSQL: 50 attempts at once, and the number of secrets actually
//! compared never passes the limit, because each attempt is spent (counted by
//! one conditional statement) before its secret is compared.

use app::domain::cedula::Cedula;
use app::domain::code::{CodeOutcome, MAX_WRONG_TRIES};
use app::domain::flow::FlowKind;
use app::domain::staff::Role;
use app::services::account::{self, LoginOutcome, LOGIN_MAX_FAILURES};
use app::services::code;
use app::services::identity::{self, AfterFailure, Checked};
use app::services::staff::{self, StaffLogin, LOGIN_FAILURES};
use app::services::{demo, flow, hashing, test_support, Settings};
use entity::{login_lock, mail_outbox, recovery_flow};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const NOW: i64 = 1_800_000_000;
const MARIA: &str = "1712345675";
const UNREGISTERED: &str = "1714307103";
const CLAVE: &str = "cielo claro sobre el Cotopaxi";
const ATTACKERS: usize = 50;

fn settings() -> Arc<Settings> {
    let vars: HashMap<String, String> = [
        ("CLAVE_MODE", "development"),
        ("CLAVE_SECRET", "a test key that is long enough!!"),
        ("CLAVE_PUBLIC_URL", "https://clave.example.org"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    Arc::new(Settings::from_map(&vars).expect("test settings"))
}

async fn new_flow(db: &DatabaseConnection, cedula: &str) -> flow::Flow {
    flow::start(
        db,
        FlowKind::Recovery,
        &Cedula::parse(cedula).unwrap(),
        900,
        NOW,
    )
    .await
    .unwrap()
    .1
}

/// Runs `attempt(i)` for i in 0..ATTACKERS all at once and collects the results.
async fn at_once<T, F, Fut>(attempt: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let tasks: Vec<_> = (0..ATTACKERS).map(|i| tokio::spawn(attempt(i))).collect();
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.expect("attempt task"));
    }
    out
}

/// An identity comparison that counts itself and matches only for `right`.
fn counted(
    compared: &Arc<AtomicUsize>,
    right: bool,
) -> impl std::future::Future<Output = Result<Option<()>, DbErr>> {
    let compared = compared.clone();
    async move {
        compared.fetch_add(1, Ordering::SeqCst);
        tokio::task::yield_now().await;
        Ok(right.then_some(()))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_birth_dates_on_one_flow_compare_only_its_three_tries() {
    let s = settings();
    for (name, db) in test_support::each_backend().await {
        demo::seed(&db, NOW).await.unwrap();
        let f = new_flow(&db, MARIA).await;
        let compared = Arc::new(AtomicUsize::new(0));
        let results = at_once(|_| {
            let (db, s, f, compared) = (db.clone(), s.clone(), f.clone(), compared.clone());
            async move {
                identity::check(&db, &s, &f, NOW, counted(&compared, false))
                    .await
                    .unwrap()
            }
        })
        .await;
        assert_eq!(compared.load(Ordering::SeqCst), 3, "{name}");
        let over = results
            .iter()
            .filter(|r| **r == Checked::Failed(AfterFailure::FlowOver))
            .count();
        assert_eq!(
            over,
            ATTACKERS - 2,
            "{name}: all but the first two end the flow"
        );
        let stored = recovery_flow::Entity::find_by_id(f.id.clone())
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.identity_failures, 3, "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_guesses_over_fifty_flows_compare_five_per_cedula() {
    let s = settings();
    for (name, db) in test_support::each_backend().await {
        demo::seed(&db, NOW).await.unwrap();
        for cedula in [MARIA, UNREGISTERED] {
            let mut flows = Vec::new();
            for _ in 0..ATTACKERS {
                flows.push(new_flow(&db, cedula).await);
            }
            let flows = Arc::new(flows);
            let compared = Arc::new(AtomicUsize::new(0));
            at_once(|i| {
                let (db, s, flows, compared) =
                    (db.clone(), s.clone(), flows.clone(), compared.clone());
                async move {
                    identity::check(&db, &s, &flows[i], NOW, counted(&compared, false))
                        .await
                        .unwrap()
                }
            })
            .await;
            assert_eq!(
                compared.load(Ordering::SeqCst),
                s.cedula_max_failures_per_day as usize,
                "{name} {cedula}"
            );
            assert_eq!(
                identity::cedula_locked_until(&db, &s, cedula, NOW)
                    .await
                    .unwrap(),
                Some(NOW + 86_400),
                "{name} {cedula}: locked alike, registered or not"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_right_birth_date_among_fifty_wrong_passes_at_most_once() {
    let s = settings();
    for (name, db) in test_support::each_backend().await {
        demo::seed(&db, NOW).await.unwrap();
        let mut flows = Vec::new();
        for _ in 0..ATTACKERS {
            flows.push(new_flow(&db, MARIA).await);
        }
        let flows = Arc::new(flows);
        let compared = Arc::new(AtomicUsize::new(0));
        let results = at_once(|i| {
            let (db, s, flows, compared) = (db.clone(), s.clone(), flows.clone(), compared.clone());
            async move {
                identity::check(&db, &s, &flows[i], NOW, counted(&compared, i == 17))
                    .await
                    .unwrap()
            }
        })
        .await;
        let passed = results
            .iter()
            .filter(|r| **r == Checked::Passed(()))
            .count();
        assert!(passed <= 1, "{name}: {passed}");
        let limit = s.cedula_max_failures_per_day as usize;
        assert!(
            compared.load(Ordering::SeqCst) - passed <= limit,
            "{name}: wrong ones compared within the limit"
        );
    }
}

/// A clave comparison (real argon2) that counts itself.
fn counting_verify(
    compared: &Arc<AtomicUsize>,
) -> impl FnOnce(
    String,
    String,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<bool, hashing::Busy>> + Send>,
> {
    let compared = compared.clone();
    move |clave, phc| {
        compared.fetch_add(1, Ordering::SeqCst);
        Box::pin(hashing::verify(clave, phc))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_wrong_claves_compare_five_and_lock_registered_or_not() {
    for (name, db) in test_support::each_backend().await {
        demo::seed(&db, NOW).await.unwrap();
        for cedula in [MARIA, UNREGISTERED] {
            let compared = Arc::new(AtomicUsize::new(0));
            let results = at_once(|i| {
                let (db, compared) = (db.clone(), compared.clone());
                async move {
                    let wrong = format!("una clave equivocada {i}");
                    account::login_with(
                        &db,
                        cedula,
                        &wrong,
                        (900, 28_800),
                        NOW,
                        counting_verify(&compared),
                    )
                    .await
                    .unwrap()
                }
            })
            .await;
            assert_eq!(
                compared.load(Ordering::SeqCst),
                LOGIN_MAX_FAILURES as usize,
                "{name} {cedula}"
            );
            let locked = results
                .iter()
                .filter(|r| matches!(r, LoginOutcome::Locked { .. }))
                .count();
            assert_eq!(locked, ATTACKERS - 4, "{name} {cedula}");
            let lock = login_lock::Entity::find_by_id(cedula.to_owned())
                .one(&db)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                lock.locked_until,
                Some(NOW + 15 * 60),
                "{name} {cedula}: locked alike, registered or not"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_right_clave_among_fifty_wrong_signs_in_at_most_once() {
    for (name, db) in test_support::each_backend().await {
        demo::seed(&db, NOW).await.unwrap();
        let compared = Arc::new(AtomicUsize::new(0));
        let results = at_once(|i| {
            let (db, compared) = (db.clone(), compared.clone());
            async move {
                let clave = if i == 23 {
                    CLAVE.to_owned()
                } else {
                    format!("una clave equivocada {i}")
                };
                account::login_with(
                    &db,
                    MARIA,
                    &clave,
                    (900, 28_800),
                    NOW,
                    counting_verify(&compared),
                )
                .await
                .unwrap()
            }
        })
        .await;
        let signed_in = results
            .iter()
            .filter(|r| matches!(r, LoginOutcome::SignedIn { .. }))
            .count();
        assert!(signed_in <= 1, "{name}: {signed_in}");
        // A success starts the count afresh, so at most one more round of five.
        assert!(
            compared.load(Ordering::SeqCst) <= 2 * LOGIN_MAX_FAILURES as usize,
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_wrong_staff_passwords_compare_five() {
    let s = settings();
    for (name, db) in test_support::each_backend().await {
        staff::upsert_account(&db, "sofia", "Sofía", CLAVE, Role::Supervisor, NOW)
            .await
            .unwrap();
        let compared = Arc::new(AtomicUsize::new(0));
        let results = at_once(|i| {
            let (db, s, compared) = (db.clone(), s.clone(), compared.clone());
            async move {
                let password = if i == 31 {
                    CLAVE.to_owned()
                } else {
                    format!("otra clave {i}")
                };
                staff::login_with(&db, &s, "sofia", &password, NOW, counting_verify(&compared))
                    .await
                    .unwrap()
            }
        })
        .await;
        let signed_in = results
            .iter()
            .filter(|r| matches!(r, StaffLogin::PasswordAccepted { .. }))
            .count();
        assert!(signed_in <= 1, "{name}");
        assert!(
            compared.load(Ordering::SeqCst) - signed_in <= LOGIN_FAILURES.limit as usize,
            "{name}: {} compared",
            compared.load(Ordering::SeqCst)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_wrong_codes_are_compared_five_times() {
    let s = settings();
    for (name, db) in test_support::each_backend().await {
        demo::seed(&db, NOW).await.unwrap();
        let f = new_flow(&db, MARIA).await;
        code::send(&db, &s, &f, "a@example.com", "ip", NOW)
            .await
            .unwrap()
            .unwrap();
        let results = at_once(|i| {
            let (db, s, id) = (db.clone(), s.clone(), f.id.clone());
            // Never the right code: seven digits cannot be a six-digit code's hash.
            async move {
                code::verify(&db, &s, &id, &format!("{:07}", i), NOW + 1)
                    .await
                    .unwrap()
            }
        })
        .await;
        let compared = results
            .iter()
            .filter(|r| matches!(r, CodeOutcome::Wrong { .. }))
            .count();
        assert_eq!(compared, MAX_WRONG_TRIES as usize, "{name}");
        assert!(
            results.iter().all(|r| matches!(
                r,
                CodeOutcome::Wrong { .. }
                    | CodeOutcome::Dead(app::domain::code::CodeDeadReason::TooManyTries)
            )),
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_resends_send_one_code() {
    let s = settings();
    for (name, db) in test_support::each_backend().await {
        demo::seed(&db, NOW).await.unwrap();
        let f = new_flow(&db, MARIA).await;
        let results = at_once(|i| {
            let (db, s, f) = (db.clone(), s.clone(), f.clone());
            async move {
                code::send(&db, &s, &f, "a@example.com", &format!("ip{i}"), NOW)
                    .await
                    .unwrap()
            }
        })
        .await;
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{name}");
        let mails = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Kind.eq("code"))
            .count(&db)
            .await
            .unwrap();
        assert_eq!(mails, 1, "{name}: one code mailed");
    }
}

/// A comparison the server was too busy to make (the hashing queue full).
async fn too_busy<T>() -> Result<T, hashing::Busy> {
    tokio::task::yield_now().await;
    Err(hashing::Busy)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn checks_refused_as_busy_spend_no_try_even_fifty_at_once() {
    use app::services::ServiceError;
    let s = settings();
    for (name, db) in test_support::each_backend().await {
        demo::seed(&db, NOW).await.unwrap();
        // Identity checks: the flow's and the cédula's tries are all given back.
        let f = new_flow(&db, MARIA).await;
        let results = at_once(|_| {
            let (db, s, f) = (db.clone(), s.clone(), f.clone());
            async move {
                identity::check(&db, &s, &f, NOW, async {
                    Err::<Option<()>, ServiceError>(too_busy::<()>().await.unwrap_err().into())
                })
                .await
            }
        })
        .await;
        // Tries still in flight may refuse others for a moment (nothing is
        // compared past the limit even then); once all are back, none counts.
        assert!(
            results.iter().all(|r| matches!(
                r,
                Err(ServiceError::Busy(_))
                    | Ok(Checked::Failed(
                        AfterFailure::FlowOver | AfterFailure::CedulaLocked { .. }
                    ))
            )),
            "{name}: {results:?}"
        );
        assert!(
            results
                .iter()
                .any(|r| matches!(r, Err(ServiceError::Busy(_)))),
            "{name}"
        );
        let fresh = recovery_flow::Entity::find_by_id(f.id.clone())
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(fresh.identity_failures, 0, "{name}");
        assert_eq!(
            identity::cedula_locked_until(&db, &s, MARIA, NOW)
                .await
                .unwrap(),
            None,
            "{name}"
        );
        // So the flow still has its three tries, and the third ends it.
        let never = || async { Ok::<Option<()>, DbErr>(None) };
        for expected in [
            AfterFailure::TryAgain,
            AfterFailure::TryAgain,
            AfterFailure::FlowOver,
        ] {
            assert_eq!(
                identity::check(&db, &s, &f, NOW, never()).await.unwrap(),
                Checked::Failed(expected),
                "{name}"
            );
        }

        // Logins: no try spent, so four wrong ones later are still just wrong.
        let results = at_once(|_| {
            let db = db.clone();
            async move {
                account::login_with(&db, MARIA, "x", (900, 28_800), NOW, |_, _| too_busy())
                    .await
                    .unwrap()
            }
        })
        .await;
        assert!(
            results
                .iter()
                .all(|r| matches!(r, LoginOutcome::Busy | LoginOutcome::Locked { .. })),
            "{name}: {results:?}"
        );
        let tries = login_lock::Entity::find_by_id(MARIA.to_owned())
            .one(&db)
            .await
            .unwrap()
            .map_or(0, |l| l.failures);
        assert_eq!(tries, 0, "{name}");

        // Staff logins alike.
        staff::upsert_account(&db, "sofia", "Sofía", CLAVE, Role::Supervisor, NOW)
            .await
            .unwrap();
        let results = at_once(|_| {
            let (db, s) = (db.clone(), s.clone());
            async move {
                staff::login_with(&db, &s, "sofia", "x", NOW, |_, _| too_busy())
                    .await
                    .unwrap()
            }
        })
        .await;
        assert!(
            results
                .iter()
                .all(|r| matches!(r, StaffLogin::Busy | StaffLogin::Locked { .. })),
            "{name}: {results:?}"
        );
        let signed_in = staff::login(&db, &s, "sofia", CLAVE, NOW).await.unwrap();
        assert!(
            matches!(signed_in, StaffLogin::PasswordAccepted { .. }),
            "{name}: {signed_in:?}"
        );
    }
}

/// A staff user whose password was accepted `sessions` times at `NOW`:
/// the password-only tokens, the factor's secret made by the factor page.
async fn staff_waiting_for_factor(
    db: &DatabaseConnection,
    s: &Settings,
    sessions: usize,
) -> (Vec<String>, String) {
    use app::services::staff_factor::page;
    staff::upsert_account(db, "sofia", "Sofía", CLAVE, Role::Supervisor, NOW)
        .await
        .unwrap();
    let mut tokens = Vec::new();
    for _ in 0..sessions {
        let StaffLogin::PasswordAccepted { token } =
            staff::login(db, s, "sofia", CLAVE, NOW).await.unwrap()
        else {
            panic!("the password was refused");
        };
        tokens.push(token);
    }
    page(db, s, &tokens[0], NOW).await.unwrap().unwrap();
    let secret = entity::staff_factor::Entity::find_by_id("sofia".to_owned())
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .secret;
    (tokens, secret)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_wrong_staff_codes_compare_five_and_one_right_code_passes_once() {
    use app::domain::staff::FactorInput;
    use app::services::staff_factor::{check, totp, FactorCheck, FACTOR_FAILURES};
    let s = settings();
    for (name, db) in test_support::each_backend().await {
        let (tokens, secret) = staff_waiting_for_factor(&db, &s, 1).await;
        let right = totp(&secret, "sofia")
            .unwrap()
            .generate(NOW as u64)
            .to_string();
        // A wrong code is any six digits the window does not accept.
        let wrong = (0..1_000_000)
            .map(|n| format!("{n:06}"))
            .find(|c| {
                totp(&secret, "sofia")
                    .unwrap()
                    .check(c, NOW as u64)
                    .is_none()
            })
            .unwrap();
        let token = tokens[0].clone();
        let results = at_once(|_| {
            let (db, s, token, wrong) = (db.clone(), s.clone(), token.clone(), wrong.clone());
            async move {
                check(&db, &s, &token, &FactorInput::Totp(wrong), NOW)
                    .await
                    .unwrap()
            }
        })
        .await;
        let wrongs = results.iter().filter(|r| **r == FactorCheck::Wrong).count();
        let locked = results
            .iter()
            .filter(|r| matches!(r, FactorCheck::Locked { .. }))
            .count();
        // Only a try that got in is compared, and only a compared code is
        // "wrong": at most the limit (the fifth may already see the lock).
        assert!(wrongs <= FACTOR_FAILURES.limit as usize, "{name}: {wrongs}");
        assert_eq!(wrongs + locked, ATTACKERS, "{name}");
        assert!(
            locked >= ATTACKERS - FACTOR_FAILURES.limit as usize,
            "{name}"
        );
        // Locked: even the right code is refused now.
        assert!(
            matches!(
                check(&db, &s, &token, &FactorInput::Totp(right.clone()), NOW)
                    .await
                    .unwrap(),
                FactorCheck::Locked { .. }
            ),
            "{name}"
        );
    }
    for (name, db) in test_support::each_backend().await {
        // One right code, sent from four waiting sessions at once, ten times
        // each: it passes once.
        let (tokens, secret) = staff_waiting_for_factor(&db, &s, 4).await;
        let right = totp(&secret, "sofia")
            .unwrap()
            .generate(NOW as u64)
            .to_string();
        let results = at_once(|i| {
            let (db, s, token, right) = (
                db.clone(),
                s.clone(),
                tokens[i % tokens.len()].clone(),
                right.clone(),
            );
            async move {
                check(&db, &s, &token, &FactorInput::Totp(right), NOW)
                    .await
                    .unwrap()
            }
        })
        .await;
        let passed = results
            .iter()
            .filter(|r| matches!(r, FactorCheck::Passed { .. }))
            .count();
        assert_eq!(passed, 1, "{name}: {results:?}");
    }
}
