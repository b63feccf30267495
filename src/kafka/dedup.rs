//! The canonical URLs seen recently, so a URL repeated within the dedup
//! window is skipped rather than fetched again. Memory is bounded: URLs are
//! kept in two generations of at most half the capacity each; when the
//! current one is full or older than the window it becomes the previous
//! one, and the previous one is dropped. Under pressure a URL may thus be
//! forgotten before its window ends (fetched twice), never remembered
//! without bound.

use std::collections::HashMap;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct RecentUrls {
    ttl: Duration,
    generation_capacity: usize,
    current: HashMap<String, Instant>,
    current_since: Instant,
    previous: HashMap<String, Instant>,
}

impl RecentUrls {
    /// Remembers URLs for `ttl`, at most `capacity` of them.
    pub fn new(ttl: Duration, capacity: usize, now: Instant) -> RecentUrls {
        RecentUrls {
            ttl,
            generation_capacity: (capacity / 2).max(1),
            current: HashMap::new(),
            current_since: now,
            previous: HashMap::new(),
        }
    }

    /// Whether `url` was seen within the window; if not, remembers it now.
    pub fn check_and_insert(&mut self, url: &str, now: Instant) -> bool {
        if self.ttl.is_zero() {
            return false;
        }
        let seen_at = self.current.get(url).or_else(|| self.previous.get(url));
        if seen_at.is_some_and(|at| now.saturating_duration_since(*at) < self.ttl) {
            return true;
        }
        if self.current.len() >= self.generation_capacity
            || now.saturating_duration_since(self.current_since) >= self.ttl
        {
            self.previous = std::mem::take(&mut self.current);
            self.current_since = now;
        }
        self.current.insert(url.to_owned(), now);
        false
    }

    /// Forgets `url` (its fetch failed: let it be tried again).
    pub fn forget(&mut self, url: &str) {
        self.current.remove(url);
        self.previous.remove(url);
    }

    pub fn len(&self) -> usize {
        self.current.len() + self.previous.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn a_repeat_within_the_window_is_a_duplicate_and_after_it_is_not() {
        let t0 = Instant::now();
        let mut seen = RecentUrls::new(HOUR, 1000, t0);
        assert!(!seen.check_and_insert("a", t0));
        assert!(seen.check_and_insert("a", t0 + Duration::from_secs(10)));
        assert!(!seen.check_and_insert("a", t0 + HOUR + Duration::from_secs(1)));
    }

    #[test]
    fn memory_stays_within_capacity_however_many_urls_arrive() {
        let t0 = Instant::now();
        let mut seen = RecentUrls::new(HOUR, 100, t0);
        for i in 0..10_000 {
            seen.check_and_insert(&format!("u{i}"), t0);
            assert!(seen.len() <= 100, "{} at {i}", seen.len());
        }
        // The most recent URLs are still remembered.
        assert!(seen.check_and_insert("u9999", t0));
    }

    #[test]
    fn old_generations_are_dropped_after_the_window() {
        let t0 = Instant::now();
        let mut seen = RecentUrls::new(HOUR, 1000, t0);
        seen.check_and_insert("old", t0);
        seen.check_and_insert("newer", t0 + HOUR);
        seen.check_and_insert("newest", t0 + 2 * HOUR + Duration::from_secs(1));
        assert_eq!(seen.len(), 2, "the generation holding `old` is gone");
    }

    #[test]
    fn forgotten_urls_and_a_zero_window_never_match() {
        let t0 = Instant::now();
        let mut seen = RecentUrls::new(HOUR, 10, t0);
        seen.check_and_insert("a", t0);
        seen.forget("a");
        assert!(!seen.check_and_insert("a", t0));
        let mut off = RecentUrls::new(Duration::ZERO, 10, t0);
        off.check_and_insert("a", t0);
        assert!(!off.check_and_insert("a", t0));
        assert!(off.is_empty());
    }
}
