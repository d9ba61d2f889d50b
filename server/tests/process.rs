//! The binary as an operator runs it (issue 19, items 2 and 3): metrics on a
//! port of their own, request ids in the JSON logs, and SIGTERM — requests in
//! flight finish, a client that never finishes does not hold the process, and
//! it exits within 10 s.

mod common;

use common::{connect, free_port, get_raw, get_status, metric, Processes};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A directory of this test's own (site root, database, log).
fn scratch(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clave-process-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Starts `clave serve` in development mode on a new SQLite file in `dir`,
/// logging JSON to `dir/log`; waits until it answers ready. Returns the
/// process and its port.
fn serve(dir: &Path, extra: &[(&str, String)]) -> (Processes, u16) {
    let port = free_port();
    let log = std::fs::File::create(dir.join("log")).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_clave"));
    command
        .arg("serve")
        .env("CLAVE_MODE", "development")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.join("clave.sqlite3").display()),
        )
        .env("LEPTOS_SITE_ROOT", dir)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("CLAVE_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        // The logs go to standard output, what Leptos says to standard error.
        .stdout(log.try_clone().unwrap())
        .stderr(log);
    for (k, v) in extra {
        command.env(k, v);
    }
    let mut server = Processes(vec![command.spawn().expect("start the clave binary")]);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = server.0[0].try_wait().unwrap() {
            panic!(
                "the server exited ({status}) while starting: {}",
                std::fs::read_to_string(dir.join("log")).unwrap()
            );
        }
        match get_status(port, "/readyz") {
            Ok(line) if line.contains(" 200 ") => return (server, port),
            other => assert!(Instant::now() < deadline, "not ready after 60 s: {other:?}"),
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn sigterm(server: &Processes) {
    let pid = server.0[0].id().to_string();
    let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(status.success());
}

/// The header `name` of a raw HTTP answer.
fn header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    answer.lines().take_while(|l| !l.is_empty()).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[test]
fn metrics_answer_on_their_own_port_and_each_request_is_named_in_the_logs() {
    let dir = scratch("metrics");
    let metrics_port = free_port();
    let (server, port) = serve(
        &dir,
        &[("CLAVE_METRICS_ADDR", format!("127.0.0.1:{metrics_port}"))],
    );

    // An id a load balancer gave comes back; a malformed one is replaced.
    let answer = get_raw(port, "/healthz", "X-Request-Id: lb-7f3a.42\r\n").unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    assert_eq!(header(&answer, "x-request-id"), Some("lb-7f3a.42"));
    let answer = get_raw(port, "/healthz", "X-Request-Id: a b\r\n").unwrap();
    let id = header(&answer, "x-request-id").unwrap();
    assert!(
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{id}"
    );

    // Never on the public port.
    let answer = get_raw(port, "/metrics", "").unwrap();
    assert!(answer.starts_with("HTTP/1.1 404 "), "{answer}");
    let answer = get_raw(metrics_port, "/metrics", "").unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    let body = answer.split_once("\r\n\r\n").unwrap().1;
    // Both /healthz, 200; the unknown /metrics as `other`, 404.
    let healthz = [("route", "/healthz"), ("method", "GET"), ("status", "200")];
    assert_eq!(
        metric(body, "clave_http_requests_total", &healthz),
        2.0,
        "{body}"
    );
    let unknown = [("route", "other"), ("method", "GET"), ("status", "404")];
    assert_eq!(
        metric(body, "clave_http_requests_total", &unknown),
        1.0,
        "{body}"
    );
    for gauge in [
        "clave_outbox_depth ",
        "clave_db_pool_connections ",
        "clave_hashes_queued ",
    ] {
        assert!(body.contains(gauge), "{gauge} missing: {body}");
    }

    sigterm(&server);
    drop(server);
    // The log line of the answer carries the balancer's id.
    let log = std::fs::read_to_string(dir.join("log")).unwrap();
    let named = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|line| line["span"]["request_id"] == "lb-7f3a.42")
        .unwrap_or_else(|| panic!("no log line names the request: {log}"));
    assert_eq!(named["span"]["path"], "/healthz");
    assert_eq!(named["fields"]["status"], 200);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_and_exits_within_10_s() {
    let dir = scratch("sigterm");
    let (mut server, port) = serve(&dir, &[]);

    // A login whose body is half sent when the signal comes, and a client
    // that sent half its headers and will never send more.
    let body = "cedula=1712345675&clave=una+clave+equivocada";
    let (first, rest) = body.split_at(20);
    let mut in_flight = connect(port).unwrap();
    write!(
        in_flight,
        "POST /api/ingresar HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    let mut stalled = connect(port).unwrap();
    write!(stalled, "GET /recuperar HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(300));

    sigterm(&server);
    let signalled = Instant::now();
    std::thread::sleep(Duration::from_millis(500));
    in_flight.write_all(rest.as_bytes()).unwrap();
    let mut answer = String::new();
    in_flight.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 422 "),
        "the login was checked (a wrong clave): {answer}"
    );

    let exited = loop {
        if let Some(status) = server.0[0].try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exited.success(), "{exited}");
    eprintln!("exited {:?} after SIGTERM", signalled.elapsed());
    drop(stalled);
    let _ = std::fs::remove_dir_all(&dir);
}
