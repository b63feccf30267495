//! When to try again: exponential backoff with jitter, and `Retry-After`.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// The retry schedule of `fetch.retries`, `fetch.retry_base_ms` and
/// `fetch.retry_max_ms`.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub retries: u32,
    pub base: Duration,
    pub max: Duration,
}

impl Backoff {
    /// The pause before retry number `retry` (1 for the first): base times
    /// 2^(retry-1), capped, then scaled by a random factor in [0.5, 1.0] so
    /// that workers retrying one host do not return in lockstep.
    pub fn delay(&self, retry: u32) -> Duration {
        let exponential = self
            .base
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16))
            .min(self.max);
        exponential.mul_f64(0.5 + fastrand::f64() * 0.5)
    }
}

/// A `Retry-After` header's wait: delta-seconds or an HTTP date, relative
/// to `now`. `None` when absent or unreadable.
pub fn retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&Utc) - now;
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_caps() {
        let b = Backoff {
            retries: 5,
            base: Duration::from_millis(100),
            max: Duration::from_millis(1000),
        };
        for _ in 0..50 {
            let first = b.delay(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = b.delay(3);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            assert!(b.delay(30) <= Duration::from_millis(1000));
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = DateTime::parse_from_rfc2822("Sat, 28 Nov 2026 10:00:00 GMT")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(
            retry_after("Sat, 28 Nov 2026 10:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after("Sat, 28 Nov 2026 09:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
    }
}
