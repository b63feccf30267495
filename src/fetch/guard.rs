//! The SSRF guard: which addresses the worker may connect to.
//!
//! A URL from the input topic must never reach the cluster's own services or
//! the cloud metadata endpoint. Host names are checked after DNS, on the
//! addresses actually returned, and the connection goes to a checked address
//! (this resolver is reqwest's), so DNS rebinding cannot slip a private
//! address in between check and connect. IP literals, which reqwest does not
//! resolve, are checked before each request, on every redirect hop.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::error::{BlockedByResolver, ResolveFailed};

/// Which hosts and addresses may be reached.
#[derive(Debug, Clone)]
pub struct Guard {
    /// `fetch.allow_private_networks`: everything goes.
    pub allow_private: bool,
    /// `fetch.allow_hosts`, lower-case.
    pub allow_hosts: Vec<String>,
}

impl Guard {
    /// Whether `host` is exempt from the address check.
    pub fn host_exempt(&self, host: &str) -> bool {
        self.allow_private
            || self
                .allow_hosts
                .iter()
                .any(|h| h.eq_ignore_ascii_case(host.trim_end_matches('.')))
    }

    /// Why an address may not be reached, or `None` if it may.
    pub fn refuse(&self, host: &str, ip: IpAddr) -> Option<&'static str> {
        if self.host_exempt(host) {
            return None;
        }
        non_public_reason(ip)
    }
}

/// Why `ip` is not a public unicast address, if it is not.
pub fn non_public_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_reason(v4),
        IpAddr::V6(v6) => {
            // ::ffff:127.0.0.1 and friends are IPv4 in disguise.
            if let Some(v4) = v6.to_ipv4_mapped() {
                return v4_reason(v4);
            }
            v6_reason(v6)
        }
    }
}

fn v4_reason(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, _, _] = ip.octets();
    if ip.is_loopback() {
        Some("loopback address")
    } else if ip.is_private() {
        Some("private address (RFC 1918)")
    } else if ip.is_link_local() {
        Some("link-local address (cloud metadata lives here)")
    } else if a == 100 && (64..128).contains(&b) {
        Some("carrier-grade NAT address")
    } else if ip.is_multicast() {
        Some("multicast address")
    } else if ip.is_unspecified() || a == 0 {
        Some("unspecified address")
    } else if ip.is_broadcast()
        || a >= 240
        || ip.is_documentation()
        || (a == 198 && (b == 18 || b == 19))
        || (a == 192 && b == 0)
    {
        Some("reserved address")
    } else {
        None
    }
}

fn v6_reason(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    if ip.is_loopback() {
        Some("loopback address")
    } else if ip.is_unspecified() {
        Some("unspecified address")
    } else if ip.is_multicast() {
        Some("multicast address")
    } else if first & 0xfe00 == 0xfc00 {
        Some("unique-local address")
    } else if first & 0xffc0 == 0xfe80 {
        Some("link-local address")
    } else if ip.segments()[..6] == [0, 0, 0, 0, 0, 0] {
        // The deprecated IPv4-compatible form ::a.b.c.d.
        Some("IPv4-compatible address")
    } else if first == 0x2001 && ip.segments()[1] == 0x0db8 {
        Some("documentation address")
    } else if first == 0x0064 && ip.segments()[1] == 0xff9b {
        // NAT64 maps IPv4 into 64:ff9b::/96: check the embedded address.
        let s = ip.segments();
        let v4 = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
        v4_reason(v4)
    } else {
        None
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

    fn blocked(s: &str) -> bool {
        non_public_reason(s.parse().unwrap()).is_some()
    }

    #[test]
    fn every_non_public_range_is_refused() {
        for ip in [
            "127.0.0.1",
            "127.255.0.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "224.0.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(blocked(ip), "{ip} should be blocked");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "64:ff9b::808:808",
        ] {
            assert!(!blocked(ip), "{ip} should pass");
        }
    }

    #[test]
    fn exemptions() {
        let guard = Guard {
            allow_private: false,
            allow_hosts: vec!["mirror.internal".to_owned()],
        };
        let ip: IpAddr = "10.0.0.5".parse().unwrap();
        assert!(guard.refuse("mirror.internal", ip).is_none());
        assert!(guard.refuse("MIRROR.internal.", ip).is_none());
        assert!(guard.refuse("other.internal", ip).is_some());
        let open = Guard {
            allow_private: true,
            allow_hosts: Vec::new(),
        };
        assert!(open.refuse("x", ip).is_none());
    }
}
