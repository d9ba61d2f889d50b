//! Several instances of the binary on one PostgreSQL database.

use sea_orm::{ConnectionTrait, Database};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The servers of a test, stopped however it ends.
struct Instances(Vec<Child>);

impl Drop for Instances {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The status line of `GET path`, or why there is none (each read and write
/// has a timeout, so a hang fails with its name).
fn get_status(port: u16, path: &str) -> Result<String, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).map_err(|e| e.to_string())?;
    Ok(answer.lines().next().unwrap_or_default().to_owned())
}

/// A new, empty database beside `CLAVE_TEST_PG_URL`'s: its URL.
async fn fresh_database(label: &str) -> String {
    let base = std::env::var("CLAVE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/clave_test".into());
    let admin = Database::connect(base.as_str())
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL is required ({base}): {e}. Run scripts/test.sh."));
    let name = format!("clave_{label}_{}", std::process::id());
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await.ok();
    match base.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("CLAVE_TEST_PG_URL names no database: {base}"),
    }
}

/// Drops the database at `url` once its instances are stopped.
async fn drop_database(url: &str) {
    let (server, name) = url.rsplit_once('/').unwrap();
    let admin = Database::connect(format!("{server}/postgres").as_str())
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
    admin.close().await.ok();
}

/// Starts three development instances on `url` at the same moment and waits
/// until each answers ready (an instance that exits fails with what it said).
async fn start_three_at_once(url: &str) -> Instances {
    let site = std::env::temp_dir().join(format!("clave-instances-{}", std::process::id()));
    std::fs::create_dir_all(&site).unwrap();
    let ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
    let mut servers = Instances(Vec::new());
    for port in &ports {
        let child = Command::new(env!("CARGO_BIN_EXE_clave"))
            .arg("serve")
            .env("CLAVE_MODE", "development")
            .env("DATABASE_URL", url)
            .env("LEPTOS_SITE_ROOT", &site)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the clave binary");
        servers.0.push(child);
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    for (i, port) in ports.iter().enumerate() {
        loop {
            if let Some(status) = servers.0[i].try_wait().unwrap() {
                let mut said = String::new();
                servers.0[i]
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut said)
                    .unwrap();
                panic!("instance {i} exited ({status}) while starting: {said}");
            }
            match get_status(*port, "/readyz") {
                Ok(line) if line.contains(" 200 ") => break,
                other => assert!(
                    Instant::now() < deadline,
                    "instance {i} not ready after 60 s: {other:?}"
                ),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    servers
}

/// How many rows `sql` (one `COUNT(*) AS n`) counts.
async fn count(db: &sea_orm::DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(sea_orm::Statement::from_string(
        db.get_database_backend(),
        sql,
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get("", "n")
    .unwrap()
}

/// Every migration recorded once, and the demo registry seeded once.
async fn migrated_and_seeded_once(url: &str) {
    use app::services::demo::DEMO_AFFILIATES;
    use migration::MigratorTrait;
    let db = Database::connect(url).await.unwrap();
    let migrations = migration::Migrator::migrations().len() as i64;
    assert_eq!(
        count(&db, "SELECT COUNT(*) AS n FROM seaql_migrations").await,
        migrations
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(DISTINCT version) AS n FROM seaql_migrations"
        )
        .await,
        migrations
    );
    let people = DEMO_AFFILIATES.len() as i64;
    let with_clave = DEMO_AFFILIATES.iter().filter(|p| p.has_clave).count() as i64;
    assert_eq!(
        count(&db, "SELECT COUNT(*) AS n FROM affiliate").await,
        people
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) AS n FROM credential").await,
        with_clave
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) AS n FROM security_answer").await,
        4 * with_clave
    );
    db.close().await.ok();
}

/// Three instances started at the same moment on a database nobody has
/// migrated: the migrations run once, the demo registry is seeded once, and
/// all three serve.
#[tokio::test]
async fn three_instances_started_together_on_a_fresh_database_all_serve() {
    let url = fresh_database("fresh").await;
    let servers = start_three_at_once(&url).await;
    migrated_and_seeded_once(&url).await;
    drop(servers);
    drop_database(&url).await;
}

/// The same on a database an older release migrated (all but the last
/// migration): the pending one runs once.
#[tokio::test]
async fn three_instances_started_together_on_an_older_database_all_serve() {
    use migration::MigratorTrait;
    let url = fresh_database("older").await;
    let db = Database::connect(url.as_str()).await.unwrap();
    let older = migration::Migrator::migrations().len() as u32 - 1;
    migration::Migrator::up(&db, Some(older)).await.unwrap();
    db.close().await.ok();
    let servers = start_three_at_once(&url).await;
    migrated_and_seeded_once(&url).await;
    drop(servers);
    drop_database(&url).await;
}
