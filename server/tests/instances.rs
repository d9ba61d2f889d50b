//! Several instances of the binary on one PostgreSQL database.

mod common;

use common::{
    drop_database, free_port, fresh_database, get_status, post_raw, urlencode, Processes,
    REGISTERED,
};
use sea_orm::{ConnectionTrait, Database};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Starts `n` development instances on `url` at the same moment, with
/// `extra` settings, and waits until each answers ready (an instance that
/// exits fails with what it said). Returns them and their ports.
async fn start_together(url: &str, n: usize, extra: &[(&str, &str)]) -> (Processes, Vec<u16>) {
    // One directory per database (each test has its own): the logs apart.
    let database = url.rsplit('/').next().unwrap();
    let site = std::env::temp_dir().join(format!("clave-instances-{database}"));
    std::fs::create_dir_all(&site).unwrap();
    let ports: Vec<u16> = (0..n).map(|_| free_port()).collect();
    let mut servers = Processes(Vec::new());
    let log = |i: usize| site.join(format!("instance-{i}.log"));
    for (i, port) in ports.iter().enumerate() {
        // A file, not a pipe: a pipe nobody reads fills and stops the server.
        let stderr = std::fs::File::create(log(i)).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_clave"))
            .arg("serve")
            .env("CLAVE_MODE", "development")
            .env("DATABASE_URL", url)
            .env("LEPTOS_SITE_ROOT", &site)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .envs(extra.iter().copied())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("start the clave binary");
        servers.0.push(child);
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    for (i, port) in ports.iter().enumerate() {
        loop {
            if let Some(status) = servers.0[i].try_wait().unwrap() {
                let said = std::fs::read_to_string(log(i)).unwrap();
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
    (servers, ports)
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
    let (servers, _) = start_together(&url, 3, &[]).await;
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
    let (servers, _) = start_together(&url, 3, &[]).await;
    migrated_and_seeded_once(&url).await;
    drop(servers);
    drop_database(&url).await;
}

/// SPEC §4.2: five wrong claves lock the login. Ten sent at once, half to each
/// of two instances: the first four are told "wrong", the fifth (compared,
/// and it starts the lock) and every later one "locked" — as on one instance.
#[tokio::test]
async fn ten_wrong_claves_at_once_over_two_instances_lock_after_five() {
    use app::services::demo::DEMO_CLAVE;
    let url = fresh_database("login").await;
    let (servers, ports) = start_together(&url, 2, &[("CLAVE_IP_LOGINS_PER_HOUR", "1000")]).await;
    let wrong = format!("cedula={REGISTERED}&clave=una+clave+equivocada");
    let sent = app::services::now_unix();
    let answers: Vec<String> = std::thread::scope(|scope| {
        let tries: Vec<_> = (0..10)
            .map(|i| {
                let (port, body) = (ports[i % 2], &wrong);
                scope.spawn(move || post_raw(port, "/api/ingresar", body, "").unwrap())
            })
            .collect();
        tries.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let statuses: Vec<&str> = answers
        .iter()
        .map(|a| a.split(' ').nth(1).unwrap_or_default())
        .collect();
    let told_wrong = statuses.iter().filter(|s| **s == "422").count();
    let told_locked = statuses.iter().filter(|s| **s == "403").count();
    assert_eq!((told_wrong, told_locked), (4, 6), "{statuses:?}");
    // The right clave is refused now too, on either instance.
    let right = format!("cedula={REGISTERED}&clave={}", urlencode(DEMO_CLAVE));
    for port in &ports {
        let answer = post_raw(*port, "/api/ingresar", &right, "").unwrap();
        assert!(answer.starts_with("HTTP/1.1 403 "), "{answer}");
    }
    // One lock, of the first level (15 minutes), started by the fifth try.
    let db = Database::connect(url.as_str()).await.unwrap();
    let lock = |column: &str| {
        format!("SELECT {column}::bigint AS n FROM login_lock WHERE cedula = '{REGISTERED}'")
    };
    assert_eq!(count(&db, &lock("level")).await, 1);
    let until = count(&db, &lock("locked_until")).await;
    assert!(
        (sent + 15 * 60..=app::services::now_unix() + 15 * 60).contains(&until),
        "locked until {until}, tries sent at {sent}"
    );
    db.close().await.ok();
    drop(servers);
    drop_database(&url).await;
}

/// The addresses of every mail MailDev holds, one entry per mail and
/// recipient.
fn maildev_recipients() -> Vec<String> {
    let api = std::env::var("MAILDEV_URL").expect("MAILDEV_URL: run scripts/test.sh");
    let port: u16 = api.rsplit(':').next().unwrap().parse().unwrap();
    // HTTP/1.0: the whole JSON in one body, not in chunks.
    let mut s = common::connect(port).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    std::io::Write::write_all(
        &mut s,
        b"GET /api/email HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
    )
    .unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut s, &mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(
        head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200"),
        "{head}"
    );
    let mails: Vec<serde_json::Value> = serde_json::from_str(body).unwrap();
    mails
        .iter()
        .flat_map(|m| m["to"].as_array().cloned().unwrap_or_default())
        .filter_map(|to| to["address"].as_str().map(str::to_owned))
        .collect()
}

/// 500 mails queued, then two instances' workers deliver them to a real SMTP
/// server (MailDev): every one arrives exactly once, sent on the first try,
/// and none is left claimed.
#[tokio::test]
async fn five_hundred_mails_over_two_instances_arrive_once_each() {
    use app::services::mail;
    const MAILS: usize = 500;
    let smtp = std::env::var("CLAVE_TEST_SMTP_URL")
        .expect("CLAVE_TEST_SMTP_URL: run the tests with scripts/test.sh (it starts MailDev)");
    let url = fresh_database("outbox").await;
    let db = app::services::db::open(&url).await.unwrap();
    let now = app::services::now_unix();
    let to = |i: usize| format!("lote.{}.{i}@example.org", std::process::id());
    for i in 0..MAILS {
        let body = mail::code_mail(app::lang::Lang::Es, "123456", "10:42", "https://x/y");
        mail::enqueue(&db, app::domain::stored::MailKind::Code, &to(i), body, now)
            .await
            .unwrap();
    }
    let (servers, _) = start_together(&url, 2, &[("CLAVE_SMTP_URL", &smtp)]).await;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let waiting = count(
            &db,
            "SELECT COUNT(*) AS n FROM mail_outbox WHERE sent_at IS NULL",
        )
        .await;
        if waiting == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{waiting} mails still waiting after 120 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    drop(servers);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) AS n FROM mail_outbox \
             WHERE attempts = 1 AND delivered_via = 'smtp' AND locked_until IS NULL"
        )
        .await,
        MAILS as i64,
        "each sent once, on the first try, none left claimed"
    );
    let received = maildev_recipients();
    for i in 0..MAILS {
        let times = received.iter().filter(|r| **r == to(i)).count();
        assert_eq!(times, 1, "{} arrived {times} times", to(i));
    }
    db.close().await.ok();
    drop_database(&url).await;
}
