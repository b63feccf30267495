//! robots.txt, fetched once per origin, cached for `fetch.robots_ttl_secs`,
//! and obeyed. Parsing and matching are Google's rules, by the `robotstxt`
//! crate (a port of Google's own parser).
//!
//! What an unreadable robots.txt means follows RFC 9309: a 4xx answer means
//! no rules ("allow all"); a 5xx answer means "disallow all" for now,
//! asked again after a short while rather than the whole TTL. A host that
//! does not answer at all fails the page with the network error instead.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;
use url::Url;

/// How long an unreachable robots.txt blocks its origin before we ask again.
pub const UNREACHABLE_TTL: Duration = Duration::from_secs(60);
/// How much of a robots.txt counts: RFC 9309 asks parsers to read at
/// least 500 KiB; a longer file (or a gzip bomb) is read that far and its
/// rules there obeyed, not taken as "allow all".
pub const MAX_ROBOTS_BYTES: u64 = 500 * 1024;
/// Redirects followed for robots.txt (RFC 9309: at least five).
pub const MAX_REDIRECTS: u32 = 5;

/// The text of a robots.txt body read up to [`MAX_ROBOTS_BYTES`]: a line
/// cut by the limit is dropped, so half a rule never counts.
pub fn usable_text(body: &[u8]) -> String {
    let complete = if body.len() as u64 >= MAX_ROBOTS_BYTES {
        body.iter()
            .rposition(|&b| b == b'\n')
            .map_or(&body[..0], |end| &body[..end])
    } else {
        body
    };
    String::from_utf8_lossy(complete).into_owned()
}

/// What an origin's robots.txt says.
#[derive(Debug, Clone, PartialEq)]
pub enum Rules {
    /// No robots.txt (4xx): everything may be fetched.
    AllowAll,
    /// robots.txt could not be read (5xx): nothing, for now.
    Unreachable(String),
    /// The file's text.
    Text(String),
}

impl Rules {
    /// Whether `agent` may fetch `url`.
    pub fn allows(&self, agent: &str, url: &Url) -> bool {
        match self {
            Rules::AllowAll => true,
            Rules::Unreachable(_) => false,
            Rules::Text(body) => {
                let mut matcher = robotstxt::DefaultMatcher::default();
                matcher.one_agent_allowed_by_robots(body, agent, url.as_str())
            }
        }
    }
}

/// A cached answer.
#[derive(Debug, Clone)]
pub struct Entry {
    pub rules: Rules,
    pub expires: Instant,
}

/// The per-origin cache. Each origin has its own lock, so concurrent
/// requests to one site wait for a single robots.txt fetch.
#[derive(Default)]
pub struct RobotsCache {
    origins: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<Entry>>>>>,
}

impl RobotsCache {
    /// The slot of `url`'s origin (scheme, host and port).
    pub fn slot(&self, url: &Url) -> Arc<tokio::sync::Mutex<Option<Entry>>> {
        let origin = url.origin().ascii_serialization();
        let mut origins = self.origins.lock().unwrap_or_else(|e| e.into_inner());
        if origins.len() > 10_000 {
            // Drop slots nobody is using; they are refetched on demand.
            origins.retain(|_, slot| Arc::strong_count(slot) > 1);
        }
        Arc::clone(origins.entry(origin).or_default())
    }
}

/// The robots.txt URL of `url`'s origin.
pub fn robots_url(url: &Url) -> Option<Url> {
    url.join("/robots.txt").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_robots_txt_keeps_its_complete_lines() {
        let mut body = b"User-agent: *\nDisallow: /private/\n".to_vec();
        body.resize(MAX_ROBOTS_BYTES as usize - 5, b'#');
        body.extend_from_slice(b"\nDisa");
        let text = usable_text(&body);
        assert!(text.starts_with("User-agent: *\nDisallow: /private/"));
        assert!(!text.ends_with("Disa"));
        assert_eq!(usable_text(b"Disallow: /x"), "Disallow: /x");
    }

    #[test]
    fn rules_follow_the_file() {
        let rules = Rules::Text(
            "User-agent: *\nDisallow: /private/\n\nUser-agent: newsworker\nDisallow: /no-bots/\n"
                .to_owned(),
        );
        let url = |p: &str| Url::parse(&format!("https://news.example{p}")).unwrap();
        assert!(rules.allows("newsworker", &url("/world/article")));
        assert!(!rules.allows("newsworker", &url("/no-bots/x")));
        // A group for our agent replaces the * group.
        assert!(rules.allows("newsworker", &url("/private/x")));
        assert!(!rules.allows("otherbot", &url("/private/x")));
        assert!(Rules::AllowAll.allows("newsworker", &url("/x")));
        assert!(!Rules::Unreachable("503".to_owned()).allows("newsworker", &url("/x")));
    }
}
