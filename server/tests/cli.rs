//! The binary as an operator starts it.

use std::process::Command;

/// With no configuration the server is in production mode: it refuses to
/// start, naming every missing variable and how to try it locally instead.
#[test]
fn without_configuration_the_server_refuses_to_start_in_production() {
    let out = Command::new(env!("CARGO_BIN_EXE_clave"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .expect("run the clave binary");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    for var in ["CLAVE_PUBLIC_URL", "CLAVE_SECRET", "CLAVE_SMTP_URL"] {
        assert!(said.contains(var), "{var} not named in: {said}");
    }
    assert!(said.contains("CLAVE_MODE=development"), "{said}");
}

/// An operator removes a staff account's second factor from the command line:
/// audited, the sessions ended; an account without one is an error.
#[tokio::test]
async fn reset_staff_factor_removes_the_factor_and_says_when_there_is_none() {
    use app::domain::staff::Role;
    use app::services::{staff, staff_factor, Settings};
    use sea_orm::EntityTrait;
    let path = std::env::temp_dir().join(format!("clave-cli-{}.sqlite3", std::process::id()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = app::services::db::open(&url).await.unwrap();
    let vars: std::collections::HashMap<String, String> = [
        ("CLAVE_MODE", "development"),
        ("CLAVE_SECRET", "a test key that is long enough!!"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let settings = Settings::from_map(&vars).unwrap();
    let now = app::services::now_unix();
    let password = "faro lejano junto al Chimborazo";
    staff::upsert_account(&db, "sofia", "Sofía", password, Role::Supervisor, now)
        .await
        .unwrap();
    let reset = || {
        Command::new(env!("CARGO_BIN_EXE_clave"))
            .args(["reset-staff-factor", "--username", "sofia"])
            .env("CLAVE_MODE", "development")
            .env("DATABASE_URL", &url)
            .output()
            .expect("run the clave binary")
    };
    let out = reset();
    assert_ne!(out.status.code(), Some(0), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("sofia has no second factor"),
        "{out:?}"
    );
    let staff::StaffLogin::PasswordAccepted { token } =
        staff::login(&db, &settings, "sofia", password, now)
            .await
            .unwrap()
    else {
        panic!("the password was refused");
    };
    let full = app::services::test_support::pass_staff_factor(&db, &settings, &token, now).await;
    let out = reset();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(staff_factor::enrolled(&db).await.unwrap().is_empty());
    assert!(entity::staff_factor::Entity::find_by_id("sofia".to_owned())
        .one(&db)
        .await
        .unwrap()
        .is_none());
    assert!(staff::session_user(&db, &settings, &full, now + 1)
        .await
        .unwrap()
        .is_none());
    let audited = entity::audit_event::Entity::find().all(&db).await.unwrap();
    assert!(
        audited
            .iter()
            .any(|e| e.actor == "cli" && e.action == "reset-staff-factor"),
        "{audited:?}"
    );
    db.close().await.unwrap();
    std::fs::remove_file(&path).ok();
}
