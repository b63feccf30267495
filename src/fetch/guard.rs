//! The SSRF guard: which addresses the worker may connect to.
//!
//! A URL from the input topic must never reach the cluster's own services or
//! the cloud metadata endpoint. Host names are checked after DNS, on the
//! addresses actually returned, and the connection goes to a checked address
//! (this resolver is reqwest's), so DNS rebinding cannot slip a private
//! address in between check and connect. IP literals, which reqwest does not
//! resolve, are checked before each request, on every redirect hop.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use ipnet::{Ipv4Net, Ipv6Net};
use std::sync::{Arc, LazyLock};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::error::{BlockedByResolver, ResolveFailed};

/// Which hosts and addresses may be reached.
#[derive(Debug, Clone)]
pub struct Guard {
    /// `fetch.allow_private_networks`: everything goes.
    pub allow_private: bool,
    /// `fetch.allow_hosts`, each in [`normalize_host`]'s form.
    pub allow_hosts: Vec<String>,
}

impl Guard {
    /// A guard with `allow_hosts` normalised; an entry that cannot name a
    /// host (a port, a path, a wildcard, spaces) is refused by name.
    pub fn new(allow_private: bool, allow_hosts: &[String]) -> Result<Guard, String> {
        let allow_hosts = allow_hosts
            .iter()
            .map(|entry| {
                normalize_host(entry).ok_or_else(|| {
                    format!(
                        "`fetch.allow_hosts` entry {entry:?} is not a host name or IP address \
                         (no scheme, port, path or wildcard)"
                    )
                })
            })
            .collect::<Result<Vec<String>, String>>()?;
        Ok(Guard {
            allow_private,
            allow_hosts,
        })
    }

    /// Whether `host` is exempt from the address check.
    pub fn host_exempt(&self, host: &str) -> bool {
        self.allow_private || normalize_host(host).is_some_and(|h| self.allow_hosts.contains(&h))
    }

    /// Why an address may not be reached, or `None` if it may.
    pub fn refuse(&self, host: &str, ip: IpAddr) -> Option<&'static str> {
        if self.host_exempt(host) {
            return None;
        }
        non_public_reason(ip)
    }
}

/// A host as the guard compares it: lower-case, without a trailing dot,
/// an IP literal without brackets and in its shortest form (so `::1`,
/// `[::1]` and `[0:0::1]` are one entry). `None` if it cannot be a host.
pub fn normalize_host(host: &str) -> Option<String> {
    let host = host.trim();
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Some(ip.to_string());
    }
    let name = bare.strip_suffix('.').unwrap_or(bare).to_ascii_lowercase();
    let valid = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    valid.then_some(name)
}

/// Why `ip` is not a public unicast address, if it is not.
pub fn non_public_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_reason(v4),
        IpAddr::V6(v6) => v6_reason(v6),
    }
}

/// IANA's IPv4 Special-Purpose Address Registry (the blocks not globally
/// reachable), with multicast and the limited broadcast address.
const V4_SPECIAL: &[(&str, &str)] = &[
    ("0.0.0.0/8", "\"this network\" address"),
    ("10.0.0.0/8", "private address (RFC 1918)"),
    ("100.64.0.0/10", "carrier-grade NAT address"),
    ("127.0.0.0/8", "loopback address"),
    (
        "169.254.0.0/16",
        "link-local address (cloud metadata lives here)",
    ),
    ("172.16.0.0/12", "private address (RFC 1918)"),
    ("192.0.0.0/24", "IETF protocol assignment"),
    ("192.0.2.0/24", "documentation address"),
    ("192.88.99.0/24", "deprecated 6to4 relay anycast address"),
    ("192.168.0.0/16", "private address (RFC 1918)"),
    ("198.18.0.0/15", "benchmarking address"),
    ("198.51.100.0/24", "documentation address"),
    ("203.0.113.0/24", "documentation address"),
    ("224.0.0.0/4", "multicast address"),
    ("240.0.0.0/4", "reserved address"),
    ("255.255.255.255/32", "broadcast address"),
];

/// IANA's IPv6 Special-Purpose Address Registry (the blocks not globally
/// reachable), with multicast and the deprecated site-local block. Blocks
/// that embed an IPv4 address are handled before this table.
const V6_SPECIAL: &[(&str, &str)] = &[
    ("::1/128", "loopback address"),
    ("::/128", "unspecified address"),
    ("::/96", "IPv4-compatible address"),
    ("64:ff9b:1::/48", "local-use IPv4/IPv6 translation address"),
    ("100::/64", "discard-only address"),
    ("2001::/23", "IETF protocol assignment (Teredo and others)"),
    ("2001:db8::/32", "documentation address"),
    ("3fff::/20", "documentation address"),
    ("5f00::/16", "segment routing (SRv6) address"),
    ("fc00::/7", "unique-local address"),
    ("fe80::/10", "link-local address"),
    ("fec0::/10", "site-local address"),
    ("ff00::/8", "multicast address"),
];

/// The tables as networks, parsed once (every request checks addresses); a
/// mistyped entry fails the first check loudly instead of never matching.
static V4_NETS: LazyLock<Vec<(Ipv4Net, &'static str)>> = LazyLock::new(|| parsed(V4_SPECIAL));
static V6_NETS: LazyLock<Vec<(Ipv6Net, &'static str)>> = LazyLock::new(|| parsed(V6_SPECIAL));

fn parsed<N: std::str::FromStr>(table: &[(&str, &'static str)]) -> Vec<(N, &'static str)>
where
    N::Err: std::fmt::Debug,
{
    table
        .iter()
        .map(|(net, reason)| {
            let net = net
                .parse()
                .unwrap_or_else(|err| panic!("bad built-in network {net}: {err:?}"));
            (net, *reason)
        })
        .collect()
}

fn v4_reason(ip: Ipv4Addr) -> Option<&'static str> {
    V4_NETS
        .iter()
        .find_map(|(net, reason)| net.contains(&ip).then_some(*reason))
}

fn v6_reason(ip: Ipv6Addr) -> Option<&'static str> {
    if let Some(v4) = embedded_v4(ip) {
        return v4_reason(v4);
    }
    V6_NETS
        .iter()
        .find_map(|(net, reason)| net.contains(&ip).then_some(*reason))
}

/// The IPv4 address an IPv6 address stands for, where the packet would go
/// there: IPv4-mapped `::ffff:a.b.c.d`, IPv4-translated
/// `::ffff:0:a.b.c.d` (SIIT), NAT64 `64:ff9b::a.b.c.d` and 6to4
/// `2002:aabb:ccdd::/48`.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let from =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    match s {
        [0, 0, 0, 0, 0, 0xffff, hi, lo] | [0, 0, 0, 0, 0xffff, 0, hi, lo] => Some(from(hi, lo)),
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => Some(from(hi, lo)),
        [0x2002, hi, lo, ..] => Some(from(hi, lo)),
        _ => None,
    }
}

/// reqwest's resolver: the system's answers, filtered by the guard.
pub struct GuardedResolver {
    pub guard: Arc<Guard>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = Arc::clone(&self.guard);
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|e| {
                    Box::new(ResolveFailed {
                        host: host.clone(),
                        reason: e.to_string(),
                    }) as Box<dyn std::error::Error + Send + Sync>
                })?
                .collect();
            if found.is_empty() {
                return Err(Box::new(ResolveFailed {
                    host,
                    reason: "no addresses".to_owned(),
                })
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            let allowed: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| guard.refuse(&host, a.ip()).is_none())
                .collect();
            if allowed.is_empty() && !found.is_empty() {
                let ips: Vec<IpAddr> = found.iter().map(SocketAddr::ip).collect();
                return Err(Box::new(BlockedByResolver::new(&host, &ips))
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One address inside each special-purpose block, and a public one
    /// just outside it.
    #[test]
    fn every_special_purpose_block_is_refused_and_its_neighbour_passes() {
        for (inside, outside) in [
            ("0.1.2.3", "1.0.0.1"),
            ("10.1.2.3", "11.0.0.1"),
            ("100.64.0.1", "100.128.0.1"),
            ("100.127.255.254", "100.63.255.254"),
            ("127.255.0.9", "128.0.0.1"),
            ("169.254.169.254", "169.255.0.1"),
            ("172.16.0.1", "172.32.0.1"),
            ("172.31.255.255", "172.15.255.255"),
            ("192.0.0.8", "192.0.1.1"),
            ("192.0.2.1", "192.0.3.1"),
            ("192.88.99.1", "192.88.100.1"),
            ("192.168.1.1", "192.169.0.1"),
            ("198.18.0.1", "198.20.0.1"),
            ("198.51.100.7", "198.51.101.7"),
            ("203.0.113.7", "203.0.114.7"),
            ("224.0.0.1", "223.255.255.1"),
            ("240.0.0.1", "223.1.1.1"),
            ("255.255.255.255", "8.8.8.8"),
            ("::1", "2606:4700::1111"),
            ("::", "2a00:1450::1"),
            ("::127.0.0.1", "2a00:1450::2"),
            ("::ffff:127.0.0.1", "::ffff:8.8.8.8"),
            ("::ffff:169.254.169.254", "::ffff:93.184.216.34"),
            ("::ffff:0:7f00:1", "::ffff:0:808:808"),
            ("64:ff9b::a9fe:a9fe", "64:ff9b::808:808"),
            ("64:ff9b:1::1", "64:ff9c::1"),
            ("100::1", "100:0:0:1::1"),
            ("2001::1", "2001:200::1"),
            ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:200::2"),
            ("2001:db8::1", "2001:db9::1"),
            ("2002:7f00:1::1", "2002:808:808::1"),
            ("2002:c0a8:101::1", "2002:5db8:d822::1"),
            ("3fff::1", "3ffe:ffff::1"),
            ("5f00::1", "5f01::1"),
            ("fc00::1", "fe00::1"),
            ("fd12:3456::1", "2a03:2880::1"),
            ("fe80::1", "fe7f::1"),
            ("fec0::1", "2c0f:fb50::1"),
            ("ff02::1", "2c0f:fb50::2"),
        ] {
            let ip: IpAddr = inside.parse().unwrap();
            assert!(
                non_public_reason(ip).is_some(),
                "{inside} should be refused"
            );
            let ip: IpAddr = outside.parse().unwrap();
            assert_eq!(non_public_reason(ip), None, "{outside} should pass");
        }
    }

    #[test]
    fn exemptions_are_normalised_and_bad_ones_refused() {
        let guard = Guard::new(
            false,
            &[
                "Mirror.Internal".to_owned(),
                "::1".to_owned(),
                "localhost.".to_owned(),
                "[fd00::5]".to_owned(),
            ],
        )
        .unwrap();
        let ip: IpAddr = "10.0.0.5".parse().unwrap();
        assert!(guard.refuse("mirror.internal", ip).is_none());
        assert!(guard.refuse("MIRROR.internal.", ip).is_none());
        assert!(guard.refuse("other.internal", ip).is_some());
        assert!(guard.refuse("[::1]", "::1".parse().unwrap()).is_none());
        assert!(guard.refuse("[0:0::1]", "::1".parse().unwrap()).is_none());
        assert!(
            guard
                .refuse("localhost", "127.0.0.1".parse().unwrap())
                .is_none()
        );
        assert!(
            guard
                .refuse("[fd00::5]", "fd00::5".parse().unwrap())
                .is_none()
        );
        for bad in [
            "",
            "http://x.example",
            "x.example:8080",
            "*.example",
            "a b",
            "x/y",
        ] {
            assert!(Guard::new(false, &[bad.to_owned()]).is_err(), "{bad:?}");
        }
        let open = Guard::new(true, &[]).unwrap();
        assert!(open.refuse("x", ip).is_none());
    }
}
