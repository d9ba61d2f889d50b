//! Which client a request comes from, for per-client budgets (SPEC §4.2).
//!
//! - Behind proxies, `X-Forwarded-For` and `Forwarded` say who the proxy was
//!   talking to, but anyone can send those headers. They are read only when
//!   the socket peer is one of the configured trusted proxies, and then from
//!   the right: each trusted hop is skipped and the first untrusted address is
//!   the client (the left-most entries are whatever the client made up).
//! - A budget's key is an IPv4 address, or an IPv6 address's /64: one
//!   subscriber usually holds a whole /64, so keying by the full address would
//!   give them 2^64 budgets.

use ipnet::IpNet;
use std::net::{IpAddr, Ipv6Addr};

/// The client's address for a request from `peer` carrying these header
/// values (every line of `X-Forwarded-For`, then of `Forwarded`).
pub fn client_ip(
    peer: IpAddr,
    forwarded_for: &[&str],
    forwarded: &[&str],
    trusted: &[IpNet],
) -> IpAddr {
    let peer = canonical(peer);
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    // Hops in the order the proxies appended them; the nearest is last.
    let hops: Vec<IpAddr> = if forwarded_for.is_empty() {
        forwarded
            .iter()
            .flat_map(|line| line.split(','))
            .filter_map(forwarded_for_element)
            .collect()
    } else {
        forwarded_for
            .iter()
            .flat_map(|line| line.split(','))
            .filter_map(|hop| parse_hop(hop.trim()))
            .collect()
    };
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        client = hop;
        if !is_trusted(&hop) {
            break;
        }
    }
    client
}

/// The `for=` address of one `Forwarded` element (RFC 7239), if it has one.
fn forwarded_for_element(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| parse_hop(value.trim().trim_matches('"')))
            .flatten()
    })
}

/// An address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`,
/// `[2001:db8::1]` or `[2001:db8::1]:4711`. Obfuscated or unknown ones: none.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = hop.strip_prefix('[') {
        let inside = rest.split(']').next()?;
        return inside
            .parse::<Ipv6Addr>()
            .ok()
            .map(|ip| canonical(ip.into()));
    }
    let (host, port) = hop.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) are the IPv4 client.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The key of a client's budgets: the IPv4 address, or the IPv6 /64.
pub fn budget_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let net = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{net}/64")
        }
    }
}

/// Parses `CLAVE_TRUSTED_PROXIES`: addresses or networks, comma-separated.
pub fn parse_trusted(list: &str) -> Result<Vec<IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("«{item}» is not an address or a network such as 10.0.0.0/8"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(s: &str) -> Vec<IpNet> {
        parse_trusted(s).unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_headers_are_ignored() {
        let client = client_ip(
            ip("203.0.113.7"),
            &["198.51.100.1"],
            &["for=198.51.100.2"],
            &[],
        );
        assert_eq!(client, ip("203.0.113.7"));
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let trusted = nets("10.0.0.0/8");
        let client = client_ip(ip("203.0.113.7"), &["198.51.100.1"], &[], &trusted);
        assert_eq!(client, ip("203.0.113.7"));
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let trusted = nets("10.0.0.0/8, 192.168.1.1");
        // The client forged the first entry; its own address was appended by
        // the outer proxy, then the outer proxy's by the inner one.
        let xff = ["1.1.1.1, 203.0.113.7", "10.1.2.3"];
        assert_eq!(
            client_ip(ip("192.168.1.1"), &xff, &[], &trusted),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn when_every_hop_is_trusted_the_left_most_is_taken() {
        let trusted = nets("10.0.0.0/8");
        assert_eq!(
            client_ip(ip("10.0.0.1"), &["10.0.0.9, 10.0.0.5"], &[], &trusted),
            ip("10.0.0.9")
        );
        assert_eq!(
            client_ip(ip("10.0.0.1"), &[], &[], &trusted),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn forwarded_is_read_when_x_forwarded_for_is_absent() {
        let trusted = nets("10.0.0.0/8");
        let fwd = [r#"for=1.1.1.1;proto=https, for="[2001:db8:cafe::17]:4711""#];
        assert_eq!(
            client_ip(ip("10.0.0.1"), &[], &fwd, &trusted),
            ip("2001:db8:cafe::17")
        );
        assert_eq!(
            client_ip(
                ip("10.0.0.1"),
                &[],
                &["for=unknown, for=203.0.113.9:80"],
                &trusted
            ),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn ipv6_is_keyed_by_its_64_and_mapped_ipv4_as_ipv4() {
        assert_eq!(
            budget_key(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            budget_key(ip("2001:db8:1:2::1")),
            budget_key(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(
            budget_key(ip("2001:db8:1:2::1")),
            budget_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(budget_key(ip("203.0.113.7")), "203.0.113.7");
        assert_eq!(budget_key(ip("::ffff:203.0.113.7")), "203.0.113.7");
    }

    #[test]
    fn trusted_lists_name_what_is_wrong() {
        assert_eq!(nets("").len(), 0);
        assert_eq!(nets("10.0.0.0/8,::1").len(), 2);
        assert!(parse_trusted("10.0.0.0/8, proxy.local")
            .unwrap_err()
            .contains("proxy.local"));
    }
}
