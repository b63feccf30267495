//! The fetching edge: polite, safe and bounded HTTP.
//!
//! [`Fetcher::fetch`] takes a URL from the outside world and returns the
//! page's bytes or a typed [`FetchError`]. In order: the URL is parsed and
//! made canonical ([`crate::urlnorm`]); robots.txt is consulted; the host's
//! politeness gate is waited for; the request goes out through a resolver
//! that refuses non-public addresses ([`guard`]); redirects are followed by
//! hand, each hop checked like the first; the body is read up to a limit
//! counted after decompression. Timeouts, connection failures, 408, 429 and
//! 5xx are retried with backoff, honouring `Retry-After`.

pub mod error;
pub mod guard;
pub mod politeness;
pub mod retry;
pub mod robots;

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{CONTENT_TYPE, LOCATION, RETRY_AFTER};
use url::{Host, Url};

pub use error::FetchError;

use crate::config::FetchConfig;
use error::BlockedByResolver;
use guard::{Guard, GuardedResolver};
use politeness::Politeness;
use retry::Backoff;
use robots::{Entry, RobotsCache, Rules};

/// Longest URL accepted: beyond it, a message is not a news link.
pub const MAX_URL_BYTES: usize = 8 * 1024;

/// Media types the extractor reads.
const HTML_TYPES: &[&str] = &["text/html", "application/xhtml+xml"];

/// A fetched page.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The canonical form of the requested URL.
    pub url: Url,
    /// Where the last redirect led.
    pub final_url: Url,
    pub status: u16,
    pub content_type: Option<String>,
    /// The `charset` parameter of `Content-Type`, if any.
    pub charset: Option<String>,
    /// The body, decompressed.
    pub body: Vec<u8>,
    pub fetched_at: DateTime<Utc>,
    /// Requests made for the page, retries included.
    pub attempts: u32,
}

/// A fetch that failed, after `attempts` tries.
#[derive(Debug, Clone, PartialEq)]
pub struct Failed {
    pub error: FetchError,
    pub attempts: u32,
}

/// One attempt's failure, with the server's `Retry-After` if it sent one.
struct AttemptError {
    error: FetchError,
    retry_after: Option<Duration>,
}

impl From<FetchError> for AttemptError {
    fn from(error: FetchError) -> AttemptError {
        AttemptError {
            error,
            retry_after: None,
        }
    }
}

/// Why the fetcher could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot build the HTTP client: {0}")]
pub struct BuildError(String);

/// The HTTP client with its guard, politeness gates and robots cache;
/// built once and shared by every request.
pub struct Fetcher {
    client: reqwest::Client,
    guard: Arc<Guard>,
    politeness: Politeness,
    robots: RobotsCache,
    backoff: Backoff,
    config: FetchConfig,
}

impl Fetcher {
    pub fn new(config: &FetchConfig) -> Result<Fetcher, BuildError> {
        let guard = Arc::new(Guard {
            allow_private: config.allow_private_networks,
            allow_hosts: config
                .allow_hosts
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
        });
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(Duration::from_millis(config.connect_timeout_ms))
            .read_timeout(Duration::from_millis(config.read_timeout_ms))
            .timeout(Duration::from_millis(config.timeout_ms))
            // Redirects are followed by hand: every hop goes through the guard.
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(GuardedResolver {
                guard: Arc::clone(&guard),
            }))
            // A proxy would resolve names where the guard cannot see them.
            .no_proxy()
            .gzip(true)
            .brotli(true)
            .deflate(true)
            .zstd(true)
            .build()
            .map_err(|e| BuildError(e.to_string()))?;
        Ok(Fetcher {
            client,
            guard,
            politeness: Politeness::new(
                Duration::from_millis(config.per_host_delay_ms),
                config.per_host_concurrency,
            ),
            robots: RobotsCache::default(),
            backoff: Backoff {
                retries: config.retries,
                base: Duration::from_millis(config.retry_base_ms),
                max: Duration::from_millis(config.retry_max_ms),
            },
            config: config.clone(),
        })
    }

    /// Fetches `raw`, retrying transient failures.
    pub async fn fetch(&self, raw: &str) -> Result<Fetched, Failed> {
        let url = parse_target(raw).map_err(|error| Failed { error, attempts: 0 })?;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let total = Duration::from_millis(self.config.timeout_ms);
            let outcome = match tokio::time::timeout(total, self.fetch_once(&url)).await {
                Ok(outcome) => outcome,
                Err(_) => Err(AttemptError::from(FetchError::Timeout(format!(
                    "no complete response within {} ms",
                    self.config.timeout_ms
                )))),
            };
            match outcome {
                Ok(mut fetched) => {
                    fetched.attempts = attempts;
                    return Ok(fetched);
                }
                Err(e) if e.error.retryable() && attempts <= self.backoff.retries => {
                    let mut wait = self.backoff.delay(attempts);
                    if let Some(asked) = e.retry_after {
                        if asked > self.backoff.max {
                            // Longer than we wait in-process: the caller
                            // may try again later.
                            return Err(Failed {
                                error: e.error,
                                attempts,
                            });
                        }
                        wait = wait.max(asked);
                    }
                    tracing::debug!(
                        url = %url,
                        attempt = attempts,
                        class = e.error.class(),
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                }
                Err(e) => {
                    return Err(Failed {
                        error: e.error,
                        attempts,
                    });
                }
            }
        }
    }

    /// One attempt: the redirect chain, each hop checked.
    async fn fetch_once(&self, url: &Url) -> Result<Fetched, AttemptError> {
        let mut current = url.clone();
        let mut chain: Vec<Url> = vec![current.clone()];
        let mut seen: HashSet<Url> = HashSet::from([current.clone()]);
        for _ in 0..=self.config.max_redirects {
            self.check_address(&current)?;
            if self.config.respect_robots {
                self.check_robots(&current).await?;
            }
            let host = current.host_str().unwrap_or_default().to_owned();
            let turn = self.politeness.wait_turn(&host).await;
            let response = self
                .client
                .get(current.clone())
                .send()
                .await
                .map_err(|e| AttemptError::from(classify_reqwest(&e, &host)))?;
            let status = response.status();
            if status.is_redirection()
                && let Some(location) = response.headers().get(LOCATION)
            {
                drop(turn);
                let location = location.to_str().map_err(|_| {
                    FetchError::InvalidUrl(format!(
                        "redirect from {current} to a non-text Location"
                    ))
                })?;
                let mut next = current.join(location).map_err(|e| {
                    FetchError::InvalidUrl(format!("redirect from {current} to {location:?}: {e}"))
                })?;
                next.set_fragment(None);
                check_scheme(&next)?;
                chain.push(next.clone());
                if !seen.insert(next.clone()) {
                    return Err(FetchError::TooManyRedirects(format!(
                        "redirect loop: {}",
                        display_chain(&chain)
                    ))
                    .into());
                }
                current = next;
                continue;
            }
            if !status.is_success() {
                let retry_after = response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| retry::retry_after(v, Utc::now()));
                return Err(AttemptError {
                    error: FetchError::HttpStatus {
                        status: status.as_u16(),
                    },
                    retry_after,
                });
            }
            let content_type = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            if let Some(ct) = &content_type {
                let media = ct
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                if !HTML_TYPES.contains(&media.as_str()) {
                    return Err(FetchError::UnsupportedContentType(media).into());
                }
            }
            let body = read_limited(response, self.config.max_body_bytes, &host).await?;
            drop(turn);
            return Ok(Fetched {
                url: url.clone(),
                final_url: current,
                status: status.as_u16(),
                charset: content_type.as_deref().and_then(charset_of),
                content_type,
                body,
                fetched_at: Utc::now(),
                attempts: 0,
            });
        }
        Err(FetchError::TooManyRedirects(format!(
            "more than {} redirects: {}",
            self.config.max_redirects,
            display_chain(&chain)
        ))
        .into())
    }

    /// IP literals never reach the resolver: check them here.
    fn check_address(&self, url: &Url) -> Result<(), FetchError> {
        let ip: IpAddr = match url.host() {
            Some(Host::Ipv4(ip)) => ip.into(),
            Some(Host::Ipv6(ip)) => ip.into(),
            Some(Host::Domain(_)) => return Ok(()),
            None => return Err(FetchError::InvalidUrl(format!("{url} has no host"))),
        };
        let host = url.host_str().unwrap_or_default();
        match self.guard.refuse(host, ip) {
            Some(reason) => Err(FetchError::BlockedAddress {
                host: host.to_owned(),
                reason: reason.to_owned(),
            }),
            None => Ok(()),
        }
    }

    /// Obeys the origin's robots.txt, fetching it when not cached.
    async fn check_robots(&self, url: &Url) -> Result<(), FetchError> {
        let slot = self.robots.slot(url);
        let mut entry = slot.lock().await;
        let fresh = entry
            .as_ref()
            .is_some_and(|e| e.expires > tokio::time::Instant::now());
        if !fresh {
            let rules = self.fetch_robots(url).await?;
            let ttl = match rules {
                Rules::Unreachable(_) => robots::UNREACHABLE_TTL,
                _ => Duration::from_secs(self.config.robots_ttl_secs),
            };
            *entry = Some(Entry {
                rules,
                expires: tokio::time::Instant::now() + ttl,
            });
        }
        let origin = url.origin().ascii_serialization();
        match entry.as_ref().map(|e| &e.rules) {
            Some(Rules::Unreachable(why)) => Err(FetchError::RobotsDisallowed {
                origin,
                reason: format!("could not be read ({why}), so nothing may be fetched yet"),
                retryable: true,
            }),
            Some(rules) if !rules.allows(&self.config.robots_agent, url) => {
                Err(FetchError::RobotsDisallowed {
                    origin,
                    reason: format!("disallows {} for {}", url.path(), self.config.robots_agent),
                    retryable: false,
                })
            }
            _ => Ok(()),
        }
    }

    /// GET /robots.txt, following up to five redirects (RFC 9309), through
    /// the guard and the host's politeness gate. A server that answers 5xx
    /// gives [`Rules::Unreachable`]; one that cannot be reached gives the
    /// network error.
    async fn fetch_robots(&self, url: &Url) -> Result<Rules, FetchError> {
        let Some(mut current) = robots::robots_url(url) else {
            return Ok(Rules::AllowAll);
        };
        for _ in 0..5 {
            self.check_address(&current)?;
            let host = current.host_str().unwrap_or_default().to_owned();
            let _turn = self.politeness.wait_turn(&host).await;
            // A host that cannot be reached at all fails the page with the
            // network's own error class; nothing is cached.
            let response = self
                .client
                .get(current.clone())
                .send()
                .await
                .map_err(|e| classify_reqwest(&e, &host))?;
            let status = response.status();
            if status.is_redirection()
                && let Some(next) = response
                    .headers()
                    .get(LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| current.join(l).ok())
            {
                check_scheme(&next)?;
                current = next;
                continue;
            }
            if status.is_client_error() {
                return Ok(Rules::AllowAll);
            }
            if !status.is_success() {
                return Ok(Rules::Unreachable(format!(
                    "HTTP status {}",
                    status.as_u16()
                )));
            }
            return match read_limited(response, robots::MAX_ROBOTS_BYTES, &host).await {
                Ok(body) => Ok(Rules::Text(String::from_utf8_lossy(&body).into_owned())),
                // An oversized file: its first 512 KiB are what counts.
                Err(AttemptError {
                    error: FetchError::TooLarge { .. },
                    ..
                }) => Ok(Rules::AllowAll),
                Err(e) => Ok(Rules::Unreachable(e.error.to_string())),
            };
        }
        Ok(Rules::Unreachable("too many redirects".to_owned()))
    }
}

/// Parses a URL from the outside world: absolute http(s) with a host, at most
/// [`MAX_URL_BYTES`], returned in canonical form (no fragment, no tracking
/// parameters), which is what the record id hashes.
pub fn parse_target(raw: &str) -> Result<Url, FetchError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FetchError::InvalidUrl("empty URL".to_owned()));
    }
    if raw.len() > MAX_URL_BYTES {
        return Err(FetchError::InvalidUrl(format!(
            "URL is {} bytes, over the limit of {MAX_URL_BYTES}",
            raw.len()
        )));
    }
    let url = Url::parse(raw).map_err(|e| FetchError::InvalidUrl(format!("{raw:?}: {e}")))?;
    check_scheme(&url)?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(FetchError::InvalidUrl(format!("{raw:?} has no host")));
    }
    Ok(crate::urlnorm::canonicalize(&url))
}

fn check_scheme(url: &Url) -> Result<(), FetchError> {
    match url.scheme() {
        "http" | "https" => Ok(()),
        other => Err(FetchError::InvalidUrl(format!(
            "{url}: scheme {other:?} is not http or https"
        ))),
    }
}

/// Reads the body, decompressed, refusing it past `limit` bytes: a gzip
/// bomb stops at the limit instead of filling memory.
async fn read_limited(
    mut response: reqwest::Response,
    limit: u64,
    host: &str,
) -> Result<Vec<u8>, AttemptError> {
    let mut body: Vec<u8> = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() as u64 + chunk.len() as u64 > limit {
                    return Err(FetchError::TooLarge { limit }.into());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(classify_reqwest(&e, host).into()),
        }
    }
}

/// The `charset` parameter of a `Content-Type` value.
fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_owned())
            .filter(|v| !v.is_empty())
    })
}

fn display_chain(chain: &[Url]) -> String {
    chain
        .iter()
        .map(Url::as_str)
        .collect::<Vec<_>>()
        .join(" -> ")
}

/// Maps reqwest's error to our classes, looking through its causes.
fn classify_reqwest(error: &reqwest::Error, host: &str) -> FetchError {
    let mut causes: Vec<String> = Vec::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(blocked) = e.downcast_ref::<BlockedByResolver>() {
            return FetchError::BlockedAddress {
                host: blocked.host.clone(),
                reason: format!(
                    "resolves only to non-public addresses ({})",
                    blocked.addresses
                ),
            };
        }
        let text = e.to_string();
        if !causes.contains(&text) {
            causes.push(text);
        }
        source = e.source();
    }
    let message = causes.join(": ");
    if error.is_timeout() {
        FetchError::Timeout(message)
    } else if error.is_decode() || error.is_body() && message.contains("decod") {
        FetchError::Decode(message)
    } else if message.contains("dns error")
        || message.contains("failed to lookup address")
        || message.contains("Name or service not known")
    {
        FetchError::Dns {
            host: host.to_owned(),
            message,
        }
    } else {
        FetchError::Connect(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_parsed_checked_and_canonical() {
        let u = parse_target(" https://News.Example.com/a?utm_source=x&id=3#top ").unwrap();
        assert_eq!(u.as_str(), "https://news.example.com/a?id=3");
        for bad in [
            "",
            "file:///etc/passwd",
            "ftp://example.com/x",
            "not a url",
            "http://",
            "mailto:a@example.com",
        ] {
            let e = parse_target(bad).unwrap_err();
            assert_eq!(e.class(), "invalid_url", "{bad}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_BYTES));
        assert_eq!(parse_target(&long).unwrap_err().class(), "invalid_url");
        // Hex and decimal IPv4 forms are normalised by the URL parser, so
        // the guard sees 127.0.0.1.
        let hex = parse_target("http://0x7f000001/").unwrap();
        assert_eq!(hex.host(), Some(Host::Ipv4([127, 0, 0, 1].into())));
    }

    #[test]
    fn charset_parameter() {
        assert_eq!(
            charset_of("text/html; charset=\"ISO-8859-1\""),
            Some("ISO-8859-1".to_owned())
        );
        assert_eq!(charset_of("text/html"), None);
        assert_eq!(
            charset_of("text/html; Charset=utf-8; q=1"),
            Some("utf-8".to_owned())
        );
    }
}
