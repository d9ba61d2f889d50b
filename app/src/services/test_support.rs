//! Fresh, migrated databases for tests: an SQLite file, and a private schema in
//! the PostgreSQL database named by `CLAVE_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/clave_test`). A missing PostgreSQL is a
//! test failure, never a skip.

use super::db;
use rand::RngCore;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};

fn suffix() -> String {
    let mut b = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// A new SQLite database in a temporary file.
pub async fn sqlite() -> DatabaseConnection {
    let path = std::env::temp_dir().join(format!("clave-test-{}.sqlite3", suffix()));
    db::open(&format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .expect("open SQLite test database")
}

/// A new schema in the test PostgreSQL database, with the migrations applied.
pub async fn postgres() -> DatabaseConnection {
    let url = std::env::var("CLAVE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/clave_test".into());
    let admin = Database::connect(url.as_str()).await.unwrap_or_else(|e| {
        panic!("PostgreSQL is required for these tests ({url}): {e}. Run scripts/test.sh.")
    });
    let schema = format!("t_{}", suffix());
    admin
        .execute_unprepared(&format!("CREATE SCHEMA \"{schema}\""))
        .await
        .expect("create test schema");
    admin.close().await.ok();
    let mut opts = ConnectOptions::new(url);
    opts.set_schema_search_path(schema)
        .max_connections(8)
        .sqlx_logging(false);
    let conn = Database::connect(opts)
        .await
        .expect("connect to test schema");
    db::migrate(&conn).await.expect("migrate test schema");
    conn
}

/// One fresh database per supported backend, named for failure messages.
pub async fn each_backend() -> Vec<(&'static str, DatabaseConnection)> {
    vec![("sqlite", sqlite().await), ("postgres", postgres().await)]
}

/// Takes a password-only staff session through the second factor as the
/// person would: opens the factor page (enrolling a new account) and types the
/// app's code for the first step not used yet (a code is good once, so two
/// sign-ins within 30 seconds use the next step's, which the skew accepts).
/// Returns the full session's token.
pub async fn pass_staff_factor(
    db: &DatabaseConnection,
    settings: &super::Settings,
    password_token: &str,
    now: i64,
) -> String {
    use super::staff_factor::{check, page, totp, FactorCheck};
    use crate::domain::staff::FactorInput;
    use sea_orm::EntityTrait;
    let username = match page(db, settings, password_token, now).await.unwrap() {
        Some(super::staff_factor::FactorPage::Enrol { username, .. })
        | Some(super::staff_factor::FactorPage::Verify { username }) => username,
        None => panic!("no password-only session to take through the factor"),
    };
    let factor = entity::staff_factor::Entity::find_by_id(username.clone())
        .one(db)
        .await
        .unwrap()
        .expect("the factor page made a secret");
    let at = factor.last_step.map_or(now, |s| now.max((s + 1) * 30));
    assert!(at <= now + 30, "{username} signed in three times in 30 s");
    let code = totp(&factor.secret, &username)
        .unwrap()
        .generate(at as u64)
        .to_string();
    match check(db, settings, password_token, &FactorInput::Totp(code), now)
        .await
        .unwrap()
    {
        FactorCheck::Passed { token, .. } => token,
        other => panic!("{username}: the factor did not pass: {other:?}"),
    }
}
