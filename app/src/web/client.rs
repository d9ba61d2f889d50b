//! Who is asking: the client's address (through trusted proxies only) and
//! the keyed hash every budget and the captcha binding use instead of it.

use crate::services::Settings;
use axum::http::request::Parts;
use leptos::prelude::*;
use std::net::{IpAddr, SocketAddr};

/// The client's address: the socket peer, or, when the peer is a trusted
/// proxy, the right-most untrusted hop of `X-Forwarded-For` / `Forwarded`
/// (see [`crate::domain::client_address`]).
pub fn client_ip(settings: &Settings) -> Option<IpAddr> {
    let parts = use_context::<Parts>()?;
    // `MockConnectInfo` is how tests stand in for the socket peer.
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .or_else(|| {
            parts
                .extensions
                .get::<axum::extract::connect_info::MockConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
        })?;
    let lines = |name: &str| -> Vec<&str> {
        parts
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    };
    Some(crate::domain::client_address::client_ip(
        peer,
        &lines("x-forwarded-for"),
        &lines("forwarded"),
        &settings.trusted_proxies,
    ))
}

/// The keyed hash of the client's budget key (its IPv4 address or IPv6 /64):
/// rate-limit keys and the captcha binding use it, so no address is stored in
/// clear.
pub fn client_key(settings: &Settings) -> String {
    let key = client_ip(settings).map_or_else(
        || "unknown".to_owned(),
        crate::domain::client_address::budget_key,
    );
    crate::services::keyed_hash(settings.secret(), "ip", &key)
}

/// The captcha binding for this client: a prefix of its keyed IP hash.
pub fn captcha_binding(settings: &Settings) -> String {
    client_key(settings)[..16].to_owned()
}
