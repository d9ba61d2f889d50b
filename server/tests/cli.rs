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
