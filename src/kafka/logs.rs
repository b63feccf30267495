//! librdkafka's log lines and global errors, into `tracing`, with repeats
//! held back: an unreachable broker makes librdkafka report the same
//! failure for every connection attempt (a hundred lines in a few
//! seconds), which buries everything else in the log.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::error::KafkaError;

/// How long the same line is held back after it was written.
pub const REPEAT_WINDOW: Duration = Duration::from_secs(30);
/// Distinct lines remembered; beyond, the oldest windows are forgotten.
const MAX_KEYS: usize = 256;

/// Which lines may be written now.
#[derive(Debug, Default)]
pub struct RepeatLimiter {
    /// Per line (digits left out): when its window opened, and how many
    /// repeats were held back in it.
    windows: Mutex<HashMap<String, (Instant, u64)>>,
}

impl RepeatLimiter {
    /// `None` if `line` repeats one written within [`REPEAT_WINDOW`];
    /// otherwise `Some(n)`, `n` being the repeats held back before it.
    pub fn admit(&self, line: &str, now: Instant) -> Option<u64> {
        let key = repeat_key(line);
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((opened, held)) = windows.get_mut(&key) {
            if now.duration_since(*opened) < REPEAT_WINDOW {
                *held += 1;
                return None;
            }
            let before = *held;
            *opened = now;
            *held = 0;
            return Some(before);
        }
        if windows.len() >= MAX_KEYS {
            windows.retain(|_, (opened, _)| now.duration_since(*opened) < REPEAT_WINDOW);
        }
        if windows.len() < MAX_KEYS {
            windows.insert(key, (now, 0));
        }
        Some(0)
    }
}

/// What a repeat has in common with the first line: the text without
/// numbers (ports, "after 0ms", counts) and without parenthesised asides
/// ("1 identical error(s) suppressed").
fn repeat_key(line: &str) -> String {
    let mut key = String::with_capacity(line.len());
    let mut depth = 0usize;
    for c in line.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 && !c.is_ascii_digit() => key.push(c),
            _ => {}
        }
    }
    key
}

/// A client context that writes librdkafka's lines through a
/// [`RepeatLimiter`], shared by the worker's consumer and producer (both
/// report the same broker failure). Global errors (a broker down, a
/// transport failure) are warnings: librdkafka retries them itself, and
/// what the worker cannot recover from surfaces as an error of its own.
#[derive(Debug, Default, Clone)]
pub struct QuietLogs {
    limiter: Arc<RepeatLimiter>,
}

impl QuietLogs {
    /// Whether a line of the worker's own about the broker may be written
    /// now, and how many repeats were held back before it.
    pub fn admit(&self, line: &str) -> Option<u64> {
        self.limiter.admit(line, Instant::now())
    }

    pub fn log_line(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        let Some(held) = self
            .limiter
            .admit(&format!("{fac} {message}"), Instant::now())
        else {
            return;
        };
        match level {
            RDKafkaLogLevel::Emerg
            | RDKafkaLogLevel::Alert
            | RDKafkaLogLevel::Critical
            | RDKafkaLogLevel::Error => {
                tracing::error!(target: "librdkafka", fac, repeats_held_back = held, "{message}");
            }
            RDKafkaLogLevel::Warning => {
                tracing::warn!(target: "librdkafka", fac, repeats_held_back = held, "{message}");
            }
            RDKafkaLogLevel::Notice | RDKafkaLogLevel::Info => {
                tracing::info!(target: "librdkafka", fac, repeats_held_back = held, "{message}");
            }
            RDKafkaLogLevel::Debug => {
                tracing::debug!(target: "librdkafka", fac, repeats_held_back = held, "{message}");
            }
        }
    }

    pub fn global_error(&self, error: &KafkaError, reason: &str) {
        let line = format!("{error}: {reason}");
        if let Some(held) = self.limiter.admit(&line, Instant::now()) {
            tracing::warn!(target: "librdkafka", repeats_held_back = held, "{line}");
        }
    }
}

impl ClientContext for QuietLogs {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, log_message: &str) {
        self.log_line(level, fac, log_message);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        self.global_error(&error, reason);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_held_back_for_the_window_then_counted() {
        let limiter = RepeatLimiter::default();
        let t0 = Instant::now();
        let line = |ms: u32| format!("Connect to 127.0.0.1:9092 failed (after {ms}ms)");
        assert_eq!(limiter.admit(&line(0), t0), Some(0));
        for i in 1..112 {
            let at = t0 + Duration::from_millis(u64::from(i) * 50);
            assert_eq!(limiter.admit(&line(i), at), None, "repeat {i}");
        }
        assert_eq!(limiter.admit("another failure", t0), Some(0));
        assert_eq!(limiter.admit(&line(3), t0 + REPEAT_WINDOW), Some(111));
        assert_eq!(limiter.admit(&line(4), t0 + REPEAT_WINDOW), None);
        let aside = "Connect to 127.0.0.1:9092 failed (after 0ms, 1 identical error(s) suppressed)";
        assert_eq!(limiter.admit(aside, t0 + REPEAT_WINDOW), None);
    }
}
