//! Over real TLS (issue 12, item 7): the application served by rustls on
//! loopback with a throw-away certificate, public URL `https://localhost:…`,
//! spoken to by a rustls client that trusts only that certificate. Every
//! answer carries HSTS, and the flow and session cookies are `__Host-`
//! prefixed, `Secure`, `HttpOnly`, `Path=/` and without `Domain` — and work:
//! the browser-side of the exchange sends them back over the same TLS.

mod common;

use app::services::demo::DEMO_CLAVE;
use app::services::test_support;
use common::*;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};

/// Accepts TCP connections and completes the TLS handshake before handing
/// them to axum.
struct TlsListener {
    tcp: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((tcp, peer)) = self.tcp.accept().await else {
                continue;
            };
            if let Ok(tls) = self.acceptor.accept(tcp).await {
                return (tls, peer);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// One HTTP/1.1 exchange over TLS: status, header lines (lower-case names),
/// body.
async fn exchange(
    connector: &tokio_rustls::TlsConnector,
    addr: SocketAddr,
    request: &str,
) -> (u16, Vec<(String, String)>, String) {
    let talk = async {
        let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        let name = ServerName::try_from("localhost").unwrap();
        let mut tls = connector.connect(name, tcp).await.expect("TLS handshake");
        tls.write_all(request.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        // The server closes the connection after its answer (Connection: close);
        // a missing close_notify is no failure of the exchange.
        let _ = tls.read_to_end(&mut raw).await;
        String::from_utf8_lossy(&raw).into_owned()
    };
    let raw = tokio::time::timeout(REQUEST_TIMEOUT, talk)
        .await
        .unwrap_or_else(|_| panic!("no complete answer over TLS to {request:?}"));
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {raw:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    headers
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn plain_post(origin: &str, path: &str, cookie: Option<&str>, body: &str) -> String {
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nOrigin: {origin}\r\n\
         Accept: text/html\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n{cookie}Connection: close\r\n\r\n{body}",
        body.len()
    )
}

fn page(path: &str, cookie: &str) -> String {
    format!(
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nCookie: {cookie}\r\n\
         Connection: close\r\n\r\n"
    )
}

/// The cookie `name` a response sets, with its attributes, as sent.
fn set_cookie_named<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    header(headers, "set-cookie")
        .into_iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie in {headers:?}"))
}

fn assert_host_only_secure(cookie: &str) {
    let attributes: Vec<&str> = cookie.split(';').map(str::trim).skip(1).collect();
    for needed in ["Secure", "HttpOnly", "Path=/", "SameSite=Lax"] {
        assert!(attributes.contains(&needed), "{needed} missing: {cookie}");
    }
    assert!(
        !attributes
            .iter()
            .any(|a| a.to_lowercase().starts_with("domain")),
        "a __Host- cookie has no Domain: {cookie}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_tls_cookies_are_host_only_and_secure_and_hsts_is_sent() {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let cert_der: CertificateDer<'static> = cert.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(cert.key_pair.serialize_der().into());
    let server_tls = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert_der.clone()], key)
        .unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert_der).unwrap();
    let client_tls = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(client_tls));

    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = tcp.local_addr().unwrap();
    let origin = format!("https://localhost:{}", addr.port());
    let mut settings = ROOMY.to_vec();
    settings.push(("CLAVE_PUBLIC_URL", &origin));
    let h = harness(test_support::sqlite().await, &settings).await;
    let listener = TlsListener {
        tcp,
        acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(server_tls)),
    };
    let server = tokio::spawn(std::future::IntoFuture::into_future(axum::serve(
        listener,
        h.app.clone().into_make_service(),
    )));

    // HSTS on a page.
    let (status, headers, _) = exchange(
        &connector,
        addr,
        "GET / HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "strict-transport-security"),
        ["max-age=31536000; includeSubDomains"]
    );

    // A flow started without JavaScript: its cookie, and the next step with it.
    let body = form_encode(&[("cedula", REGISTERED), ("robot", "si")]);
    let (status, headers, _) = exchange(
        &connector,
        addr,
        &plain_post(&origin, "/api/recuperar/buscar", None, &body),
    )
    .await;
    assert_eq!(status, 302, "{headers:?}");
    assert_eq!(header(&headers, "location"), ["/recuperar/identidad"]);
    assert_eq!(
        header(&headers, "strict-transport-security"),
        ["max-age=31536000; includeSubDomains"],
        "on redirects too"
    );
    let flow = set_cookie_named(&headers, "__Host-clave_flow");
    assert_host_only_secure(flow);
    let flow = flow.split(';').next().unwrap().to_owned();
    let (status, _, step) = exchange(&connector, addr, &page("/recuperar/identidad", &flow)).await;
    assert_eq!(status, 200);
    assert!(step.contains("name=\"day\""), "the flow goes on: {step}");

    // A login: the session cookie alike, and the signed-in home with it.
    let body = form_encode(&[("cedula", REGISTERED), ("clave", DEMO_CLAVE)]);
    let (status, headers, _) = exchange(
        &connector,
        addr,
        &plain_post(&origin, "/api/ingresar", None, &body),
    )
    .await;
    assert_eq!(status, 302, "{headers:?}");
    let session = set_cookie_named(&headers, "__Host-clave_session");
    assert_host_only_secure(session);
    let session = session.split(';').next().unwrap().to_owned();
    let (status, headers, home) = exchange(&connector, addr, &page("/servicios", &session)).await;
    assert_eq!(status, 200);
    assert!(home.contains("Salir"), "signed in over TLS");
    assert_eq!(header(&headers, "cache-control"), ["no-store"]);

    // The plain-name cookies mean nothing on an HTTPS site.
    let plain = session.replacen("__Host-clave_session", "clave_session", 1);
    let (_, _, home) = exchange(&connector, addr, &page("/servicios", &plain)).await;
    assert!(
        !home.contains("Salir"),
        "a cookie without the prefix is ignored"
    );

    server.abort();
}
