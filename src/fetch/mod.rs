//! The fetching edge: polite, safe and bounded HTTP.
//!
//! [`Fetcher::fetch`] takes a URL from the outside world and returns the
//! page's bytes or a typed [`FetchError`]. In order: the URL is parsed into
//! a [`Target`] (as given, for the request; canonical, via
//! [`crate::urlnorm`], for the record); robots.txt is consulted; the host's
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
use reqwest::header::{
    CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, LOCATION, RETRY_AFTER,
};
use url::{Host, Url};

pub use error::FetchError;

use crate::config::FetchConfig;
use error::{BlockedByResolver, ResolveFailed};
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

/// Validators from an earlier answer (`ETag`, `Last-Modified`), sent back
/// so that an unchanged feed or sitemap costs a 304 and no body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    fn from_headers(headers: &reqwest::header::HeaderMap) -> Validators {
        let text = |name| {
            headers
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .filter(|v| !v.is_empty() && v.len() <= 1024)
                .map(str::to_owned)
        };
        Validators {
            etag: text(ETAG),
            last_modified: text(LAST_MODIFIED),
        }
    }

    fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// A document fetched for discovery (a feed, a sitemap, a home page): its
/// body and new validators, or the server's word that nothing changed.
#[derive(Debug, Clone)]
pub enum Document {
    Changed {
        fetched: Box<Fetched>,
        validators: Validators,
    },
    NotModified,
}

/// What one request wants: pages for the extractor (HTML only) or any
/// document, up to a size, conditional on validators.
#[derive(Clone, Copy)]
struct Want<'a> {
    html_only: bool,
    max_bytes: u64,
    validators: Option<&'a Validators>,
}

/// One attempt's answer.
enum Answer {
    Body(Box<Fetched>, Validators),
    NotModified,
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
        let guard = Arc::new(
            Guard::new(config.allow_private_networks, &config.allow_hosts).map_err(BuildError)?,
        );
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

    /// Fetches `raw`, retrying transient failures. The URL is requested as
    /// given (trimmed, without its fragment): sites differ on `?a` and
    /// `?a=`, or `%20` and `+`. The canonical form is only the record's.
    pub async fn fetch(&self, raw: &str) -> Result<Fetched, Failed> {
        let target = Target::parse(raw).map_err(|error| Failed { error, attempts: 0 })?;
        self.fetch_target(&target).await
    }

    /// Fetches an already parsed [`Target`]: the worker parses each
    /// message's URL once, for its dedup window and for this.
    pub async fn fetch_target(&self, target: &Target) -> Result<Fetched, Failed> {
        let want = Want {
            html_only: true,
            max_bytes: self.config.max_body_bytes,
            validators: None,
        };
        match self.fetch_with(target, want).await? {
            (Answer::Body(fetched, _), _) => Ok(*fetched),
            // Only sent to conditional requests, which pages never are.
            (Answer::NotModified, attempts) => Err(Failed {
                error: FetchError::HttpStatus { status: 304 },
                attempts,
            }),
        }
    }

    /// Fetches a feed, sitemap, home page or robots.txt for discovery:
    /// any media type, at most `max_bytes` after decompression, through
    /// the same guard, robots rules, politeness and retries as pages.
    /// With `validators` from the last answer, an unchanged document comes
    /// back as [`Document::NotModified`] without a body.
    pub async fn fetch_document(
        &self,
        target: &Target,
        validators: &Validators,
        max_bytes: u64,
    ) -> Result<Document, Failed> {
        let want = Want {
            html_only: false,
            max_bytes,
            validators: (!validators.is_empty()).then_some(validators),
        };
        Ok(match self.fetch_with(target, want).await?.0 {
            Answer::Body(fetched, validators) => Document::Changed {
                fetched,
                validators,
            },
            Answer::NotModified => Document::NotModified,
        })
    }

    /// The retry loop around [`Fetcher::fetch_once`]; the answer and the
    /// attempts it took.
    async fn fetch_with(&self, target: &Target, want: Want<'_>) -> Result<(Answer, u32), Failed> {
        let url = target.requested.clone();
        let mut attempts = 0;
        loop {
            attempts += 1;
            // `timeout_ms` runs from the host's turn on (see `follow`):
            // time queued behind the same host's other pages is politeness,
            // not a slow server.
            match self.fetch_once(&url, want).await {
                Ok(Answer::Body(mut fetched, validators)) => {
                    fetched.attempts = attempts;
                    fetched.url = target.canonical.clone();
                    return Ok((Answer::Body(fetched, validators), attempts));
                }
                Ok(Answer::NotModified) => return Ok((Answer::NotModified, attempts)),
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

    /// One attempt: the redirect chain, each hop checked, then the body.
    async fn fetch_once(&self, url: &Url, want: Want<'_>) -> Result<Answer, AttemptError> {
        let Landed {
            url: current,
            response,
            turn,
            deadline,
        } = self
            .follow(
                url,
                self.config.max_redirects,
                self.config.respect_robots,
                want.validators,
            )
            .await?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_MODIFIED && want.validators.is_some() {
            return Ok(Answer::NotModified);
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
        if let Some(ct) = content_type.as_ref().filter(|_| want.html_only) {
            let media = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if !HTML_TYPES.contains(&media.as_str()) {
                return Err(FetchError::UnsupportedContentType(shorten(&media)).into());
            }
        }
        let validators = Validators::from_headers(response.headers());
        let body = tokio::time::timeout_at(deadline, read_limited(response, want.max_bytes))
            .await
            .map_err(|_| self.timed_out())??;
        drop(turn);
        let fetched = Fetched {
            url: url.clone(),
            final_url: current,
            status: status.as_u16(),
            charset: content_type.as_deref().and_then(charset_of),
            content_type,
            body,
            fetched_at: Utc::now(),
            attempts: 0,
        };
        Ok(Answer::Body(Box::new(fetched), validators))
    }

    /// Follows redirects from `start` to the first answer that is not one,
    /// at most `max_hops` of them, the one follower for pages and
    /// robots.txt: every hop is checked like the first (scheme, length,
    /// guard, robots.txt when `obey_robots`), a loop is refused, and each
    /// request waits its host's turn, held until the body is read.
    async fn follow(
        &self,
        start: &Url,
        max_hops: u32,
        obey_robots: bool,
        validators: Option<&Validators>,
    ) -> Result<Landed, AttemptError> {
        let mut current = start.clone();
        // Set when the first hop's turn comes: the attempt's time limit.
        let mut deadline: Option<tokio::time::Instant> = None;
        let mut chain: Vec<Url> = vec![current.clone()];
        let mut seen: HashSet<Url> = HashSet::from([current.clone()]);
        for _ in 0..=max_hops {
            self.check_address(&current)?;
            if obey_robots {
                self.check_robots(&current).await?;
            }
            let host = current.host_str().unwrap_or_default().to_owned();
            let turn = self.politeness.wait_turn(&host).await;
            let deadline = *deadline.get_or_insert_with(|| {
                tokio::time::Instant::now() + Duration::from_millis(self.config.timeout_ms)
            });
            let mut request = self.client.get(current.clone());
            if let Some(v) = validators {
                if let Some(etag) = &v.etag {
                    request = request.header(IF_NONE_MATCH, etag);
                }
                if let Some(date) = &v.last_modified {
                    request = request.header(IF_MODIFIED_SINCE, date);
                }
            }
            let response = tokio::time::timeout_at(deadline, request.send())
                .await
                .map_err(|_| self.timed_out())?
                .map_err(|e| AttemptError::from(classify_reqwest(&e)))?;
            let Some(location) = response
                .status()
                .is_redirection()
                .then(|| response.headers().get(LOCATION))
                .flatten()
            else {
                return Ok(Landed {
                    url: current,
                    response,
                    turn,
                    deadline,
                });
            };
            drop(turn);
            let next = redirect_target(&current, location.as_bytes())?;
            chain.push(next.clone());
            if !seen.insert(next.clone()) {
                return Err(FetchError::TooManyRedirects(format!(
                    "redirect loop: {}",
                    display_chain(&chain)
                ))
                .into());
            }
            current = next;
        }
        Err(FetchError::TooManyRedirects(format!(
            "more than {max_hops} redirects: {}",
            display_chain(&chain)
        ))
        .into())
    }

    /// The error of an attempt past `timeout_ms`.
    fn timed_out(&self) -> AttemptError {
        AttemptError::from(FetchError::Timeout(format!(
            "no complete response within {} ms",
            self.config.timeout_ms
        )))
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
            // Boxed: robots.txt is fetched through the same redirect
            // follower that calls this check for pages.
            let rules = Box::pin(self.fetch_robots(url)).await?;
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
    /// network error; more redirects than that, or a loop, mean no usable
    /// file, as a 4xx does (RFC 9309, 2.3.1.2).
    async fn fetch_robots(&self, url: &Url) -> Result<Rules, FetchError> {
        let Some(robots) = robots::robots_url(url) else {
            return Ok(Rules::AllowAll);
        };
        let landed = match self
            .follow(&robots, robots::MAX_REDIRECTS, false, None)
            .await
        {
            Ok(landed) => landed,
            Err(AttemptError {
                error: FetchError::TooManyRedirects(_),
                ..
            }) => return Ok(Rules::AllowAll),
            // A host that cannot be reached at all fails the page with the
            // network's own error class; nothing is cached.
            Err(e) => return Err(e.error),
        };
        let status = landed.response.status();
        if status.is_client_error() || status.is_redirection() {
            return Ok(Rules::AllowAll);
        }
        if !status.is_success() {
            return Ok(Rules::Unreachable(format!(
                "HTTP status {}",
                status.as_u16()
            )));
        }
        match read_prefix(landed.response, robots::MAX_ROBOTS_BYTES).await {
            Ok(body) => Ok(Rules::Text(robots::usable_text(&body))),
            Err(e) => Ok(Rules::Unreachable(e.error.to_string())),
        }
    }
}

/// Where a redirect chain ended: the last URL, its response, the host's
/// turn, held while the body is read, and when the attempt's time is up.
struct Landed {
    url: Url,
    response: reqwest::Response,
    turn: politeness::Turn,
    deadline: tokio::time::Instant,
}

/// The URL a `Location` header leads to from `from`, checked like a URL
/// from the input: text, at most [`MAX_URL_BYTES`], http(s). Errors quote
/// at most the start of it: a hostile server can send 300 KB.
fn redirect_target(from: &Url, location: &[u8]) -> Result<Url, FetchError> {
    if location.len() > MAX_URL_BYTES {
        return Err(FetchError::InvalidUrl(format!(
            "redirect from {} to a Location of {} bytes, over the limit of {MAX_URL_BYTES}",
            shorten(from.as_str()),
            location.len()
        )));
    }
    let location = std::str::from_utf8(location).map_err(|_| {
        FetchError::InvalidUrl(format!(
            "redirect from {} to a non-text Location",
            shorten(from.as_str())
        ))
    })?;
    let mut next = from.join(location).map_err(|e| {
        FetchError::InvalidUrl(format!(
            "redirect from {} to {:?}: {e}",
            shorten(from.as_str()),
            shorten(location)
        ))
    })?;
    next.set_fragment(None);
    if next.as_str().len() > MAX_URL_BYTES {
        return Err(FetchError::InvalidUrl(format!(
            "redirect from {} leads to a URL over the limit of {MAX_URL_BYTES} bytes",
            shorten(from.as_str())
        )));
    }
    check_scheme(&next)?;
    Ok(next)
}

/// A URL from the outside world, parsed once: as given (for the request)
/// and canonical (for the record id, dedup and metrics).
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Trimmed and parsed, without its fragment, otherwise as given.
    pub requested: Url,
    /// [`crate::urlnorm::canonicalize`]d.
    pub canonical: Url,
}

impl Target {
    /// Absolute http(s) with a host, at most [`MAX_URL_BYTES`].
    pub fn parse(raw: &str) -> Result<Target, FetchError> {
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
        let mut url =
            Url::parse(raw).map_err(|e| FetchError::InvalidUrl(format!("{raw:?}: {e}")))?;
        check_scheme(&url)?;
        if url.host_str().is_none_or(str::is_empty) {
            return Err(FetchError::InvalidUrl(format!("{raw:?} has no host")));
        }
        url.set_fragment(None);
        let canonical = crate::urlnorm::canonicalize(&url);
        Ok(Target {
            requested: url,
            canonical,
        })
    }
}

fn check_scheme(url: &Url) -> Result<(), FetchError> {
    match url.scheme() {
        "http" | "https" => Ok(()),
        other => Err(FetchError::InvalidUrl(format!(
            "{}: scheme {:?} is not http or https",
            shorten(url.as_str()),
            shorten(other)
        ))),
    }
}

/// Reads the body, decompressed, refusing it past `limit` bytes: a gzip
/// bomb stops at the limit instead of filling memory.
async fn read_limited(
    mut response: reqwest::Response,
    limit: u64,
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
            Err(e) => return Err(classify_reqwest(&e).into()),
        }
    }
}

/// Reads at most `limit` bytes of the body, decompressed, and stops there:
/// for robots.txt, whose first 500 KiB count however long (or however
/// well compressed) the file is.
async fn read_prefix(mut response: reqwest::Response, limit: u64) -> Result<Vec<u8>, AttemptError> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut body: Vec<u8> = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = limit - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if body.len() == limit {
                    return Ok(body);
                }
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(classify_reqwest(&e).into()),
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

/// Most characters of one URL an error message quotes.
const QUOTED_CHARS: usize = 200;
/// Most hops a redirect error lists: the first ones and the last.
const QUOTED_HOPS: usize = 6;

/// `text` cut to [`QUOTED_CHARS`] characters, marked when cut: error
/// messages quote what servers send, and must stay short.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}... ({} bytes)", &text[..end], text.len()),
    }
}

/// A redirect chain for an error message: each URL shortened, and the
/// middle of a long chain left out.
fn display_chain(chain: &[Url]) -> String {
    let shown: Vec<String> = if chain.len() <= QUOTED_HOPS {
        chain.iter().map(|u| shorten(u.as_str())).collect()
    } else {
        let head = chain[..QUOTED_HOPS - 2].iter().map(|u| shorten(u.as_str()));
        let skipped = format!("({} more)", chain.len() - QUOTED_HOPS + 1);
        let tail = shorten(chain[chain.len() - 1].as_str());
        head.chain([skipped, tail]).collect()
    };
    shown.join(" -> ")
}

/// Maps reqwest's error to our classes by the types in its chain of
/// causes (the guard's and resolver's own errors, hyper's error kinds, I/O
/// error kinds), never by the wording of a message.
fn classify_reqwest(error: &reqwest::Error) -> FetchError {
    let mut causes: Vec<String> = Vec::new();
    let mut io_kind: Option<std::io::ErrorKind> = None;
    let mut hyper_error: Option<&hyper::Error> = None;
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
        if let Some(failed) = e.downcast_ref::<ResolveFailed>() {
            return FetchError::Dns {
                host: failed.host.clone(),
                message: shorten(&failed.reason),
            };
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            io_kind = io_kind.or(Some(io.kind()));
        }
        if let Some(h) = e.downcast_ref::<hyper::Error>() {
            hyper_error = hyper_error.or(Some(h));
        }
        let text = e.to_string();
        if !causes.contains(&text) {
            causes.push(text);
        }
        source = e.source();
    }
    let message = shorten(&causes.join(": "));
    use std::io::ErrorKind as Kind;
    let lost = matches!(
        io_kind,
        Some(
            Kind::ConnectionReset
                | Kind::ConnectionAborted
                | Kind::BrokenPipe
                | Kind::UnexpectedEof
                | Kind::NotConnected
        )
    );
    if error.is_timeout() || io_kind == Some(Kind::TimedOut) {
        FetchError::Timeout(message)
    } else if hyper_error.is_some_and(hyper::Error::is_parse) {
        FetchError::Protocol(message)
    } else if lost || hyper_error.is_some_and(|h| h.is_incomplete_message() || h.is_closed()) {
        // Before the decode check: reqwest reports a body cut short as a
        // decoding error when it decompresses.
        FetchError::ConnectionLost(message)
    } else if error.is_decode() || error.is_body() {
        FetchError::Decode(message)
    } else {
        FetchError::Connect(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_parsed_checked_and_canonical() {
        let u = Target::parse(" https://News.Example.com/a?utm_source=x&id=3#top ")
            .unwrap()
            .canonical;
        assert_eq!(u.as_str(), "https://news.example.com/a?id=3");
        for bad in [
            "",
            "file:///etc/passwd",
            "ftp://example.com/x",
            "not a url",
            "http://",
            "mailto:a@example.com",
        ] {
            let e = Target::parse(bad).unwrap_err();
            assert_eq!(e.class(), "invalid_url", "{bad}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_BYTES));
        assert_eq!(Target::parse(&long).unwrap_err().class(), "invalid_url");
        // Hex and decimal IPv4 forms are normalised by the URL parser, so
        // the guard sees 127.0.0.1.
        let hex = Target::parse("http://0x7f000001/").unwrap().canonical;
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
