//! Who is on the other end: the client's address (for the login limit) and whether the
//! request reached the office over HTTPS (for the cookie's `Secure` flag). The TCP peer is
//! the answer unless it is a proxy the operator named with `--trusted-proxy`; then the
//! proxy's `X-Forwarded-For` (the right-most address that is not itself a trusted proxy)
//! and `X-Forwarded-Proto` are believed. Headers from anyone else are ignored, so a client
//! cannot pick its own address. Pure: no I/O.

use axum::http::HeaderMap;
use std::net::IpAddr;

/// The client as the hub sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    /// The client's address.
    pub addr: IpAddr,
    /// True if the client spoke HTTPS (to a trusted proxy in front of the hub).
    pub https: bool,
}

/// The client of a request that came from `peer` with `headers`.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> Client {
    if !trusted.contains(&peer) {
        return Client {
            addr: peer,
            https: false,
        };
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let addr = forwarded
        .iter()
        .rev()
        .map(|s| s.parse::<IpAddr>().ok())
        .find(|a| a.is_none_or(|a| !trusted.contains(&a)))
        .flatten()
        .unwrap_or(peer);
    let https = headers
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    Client { addr, https }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_a_trusted_proxy_is_believed() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6, 1.2.3.4"),
            ("x-forwarded-proto", "https"),
        ]);
        let c = resolve(proxy, &h, &[proxy]);
        assert_eq!(c.addr, "1.2.3.4".parse::<IpAddr>().unwrap());
        assert!(c.https);
        let stranger: IpAddr = "9.9.9.9".parse().unwrap();
        assert_eq!(
            resolve(stranger, &h, &[proxy]),
            Client {
                addr: stranger,
                https: false
            }
        );
    }

    #[test]
    fn chained_proxies_and_garbage() {
        let (p1, p2): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 10.0.0.2")]);
        assert_eq!(
            resolve(p1, &h, &[p1, p2]).addr,
            "1.2.3.4".parse::<IpAddr>().unwrap()
        );
        let bad = headers(&[("x-forwarded-for", "not-an-ip")]);
        assert_eq!(
            resolve(p1, &bad, &[p1]).addr,
            p1,
            "unreadable: the proxy itself"
        );
        assert!(!resolve(p1, &HeaderMap::new(), &[p1]).https);
    }
}
