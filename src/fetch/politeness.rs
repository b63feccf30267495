//! Politeness: at most `per_host_concurrency` requests in flight to a host,
//! and at least `per_host_delay` between the starts of two of them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Hosts idle this long are forgotten, so the map does not grow forever.
const FORGET_AFTER: Duration = Duration::from_secs(600);

struct HostGate {
    slots: Arc<Semaphore>,
    /// The earliest moment the next request may start.
    next_start: tokio::sync::Mutex<Instant>,
}

/// One gate per host.
pub struct Politeness {
    delay: Duration,
    concurrency: usize,
    gates: Mutex<HashMap<String, (Arc<HostGate>, Instant)>>,
}

/// Held while a request to the host is in flight.
pub struct Turn {
    _slot: Option<OwnedSemaphorePermit>,
}

impl Politeness {
    pub fn new(delay: Duration, concurrency: u32) -> Politeness {
        Politeness {
            delay,
            concurrency: usize::try_from(concurrency.max(1)).unwrap_or(1),
            gates: Mutex::new(HashMap::new()),
        }
    }

    fn gate(&self, host: &str) -> Arc<HostGate> {
        let now = Instant::now();
        let mut gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        if gates.len() > 1024 {
            gates.retain(|_, (gate, used)| {
                now.duration_since(*used) < FORGET_AFTER || Arc::strong_count(gate) > 1
            });
        }
        let (gate, used) = gates.entry(host.to_ascii_lowercase()).or_insert_with(|| {
            (
                Arc::new(HostGate {
                    slots: Arc::new(Semaphore::new(self.concurrency)),
                    next_start: tokio::sync::Mutex::new(now),
                }),
                now,
            )
        });
        *used = now;
        Arc::clone(gate)
    }

    /// Waits for a free slot and the host's delay; the turn ends when the
    /// returned value is dropped.
    pub async fn wait_turn(&self, host: &str) -> Turn {
        let gate = self.gate(host);
        // Acquiring fails only on a closed semaphore, and these never close.
        let slot = Arc::clone(&gate.slots).acquire_owned().await.ok();
        let mut next = gate.next_start.lock().await;
        let now = Instant::now();
        if *next > now {
            tokio::time::sleep_until(*next).await;
        }
        *next = Instant::now() + self.delay;
        Turn { _slot: slot }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn starts_to_one_host_are_spaced_and_other_hosts_are_not() {
        let p = Politeness::new(Duration::from_millis(1000), 1);
        let start = Instant::now();
        drop(p.wait_turn("a.example").await);
        drop(p.wait_turn("b.example").await);
        assert!(start.elapsed() < Duration::from_millis(10));
        drop(p.wait_turn("A.example").await);
        assert!(start.elapsed() >= Duration::from_millis(1000));
    }
}
