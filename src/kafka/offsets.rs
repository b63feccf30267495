//! Which offsets may be committed: per partition, everything below the
//! lowest offset still in flight. Messages finish out of order (fetches
//! take as long as they take); committing past an unfinished one would
//! lose it on a crash.
//!
//! Only partitions currently assigned are tracked: a message of a revoked
//! partition that was already fetched is refused, because its new owner
//! processes it, and a late position for it could never be stored.
//!
//! Each finished message may leave an item behind (`T`). The tracker hands
//! items back in offset order once everything before them is done: under
//! exactly-once the item is the message's output, which may only enter a
//! transaction together with its offset.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard};

/// The tracker shared by the message tasks and the consumer's rebalance
/// callbacks.
#[derive(Debug)]
pub struct SharedTracker<T = ()>(Mutex<OffsetTracker<T>>);

impl<T> Default for SharedTracker<T> {
    fn default() -> Self {
        SharedTracker(Mutex::new(OffsetTracker::default()))
    }
}

impl<T> SharedTracker<T> {
    /// The tracker, even after a panic elsewhere while it was held: its
    /// state is updated in single steps that a panic cannot leave half
    /// done.
    pub fn lock(&self) -> MutexGuard<'_, OffsetTracker<T>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Finishes a message and, if that moved its partition's position,
    /// hands the new position to `store` before letting go of the tracker.
    ///
    /// Why under the lock: two messages finishing at once release rising
    /// positions, and stores made after the lock is released can land in
    /// either order. librdkafka keeps the last position stored, so a lower
    /// one stored last would hold the partition's commit behind its end for
    /// good (seen as a partition committed a few offsets short after a
    /// clean shutdown). Storing a position is a local, non-blocking call.
    pub fn finish_and_store<E>(
        &self,
        topic: &str,
        partition: i32,
        offset: i64,
        item: T,
        store: impl FnOnce(i64) -> Result<(), E>,
    ) -> Option<Result<i64, E>> {
        let mut tracker = self.lock();
        let position = tracker.finish(topic, partition, offset, item)?.position;
        Some(store(position).map(|()| position))
    }
}

/// In-flight offsets of every partition this worker has taken messages from.
#[derive(Debug)]
pub struct OffsetTracker<T = ()> {
    partitions: HashMap<(String, i32), Partition<T>>,
}

impl<T> Default for OffsetTracker<T> {
    fn default() -> Self {
        OffsetTracker {
            partitions: HashMap::new(),
        }
    }
}

#[derive(Debug)]
struct Partition<T> {
    in_flight: BTreeSet<i64>,
    /// Finished messages not yet released: an older one is still in flight.
    done: BTreeMap<i64, T>,
    /// The last position handed out (the next offset to consume); starts at
    /// the first offset taken, which is where consuming began.
    position: Option<i64>,
}

impl<T> Default for Partition<T> {
    fn default() -> Self {
        Partition {
            in_flight: BTreeSet::new(),
            done: BTreeMap::new(),
            position: None,
        }
    }
}

/// What finishing a message released: the new commit position and the
/// items of the messages below it, in offset order.
#[derive(Debug, PartialEq)]
pub struct Released<T> {
    pub position: i64,
    pub items: Vec<T>,
}

impl<T> OffsetTracker<T> {
    /// A partition was assigned to this worker.
    pub fn assign(&mut self, topic: &str, partition: i32) {
        self.partitions
            .entry((topic.to_owned(), partition))
            .or_default();
    }

    /// A message was taken. Returns false, and tracks nothing, when its
    /// partition is not assigned (revoked since it was fetched) or the
    /// offset is already in flight.
    pub fn start(&mut self, topic: &str, partition: i32, offset: i64) -> bool {
        let Some(p) = self.partitions.get_mut(&(topic.to_owned(), partition)) else {
            return false;
        };
        p.position.get_or_insert(offset);
        p.in_flight.insert(offset)
    }

    /// A message's work is done (at least once: its output acknowledged).
    /// Returns what it released, if the commit position moved; `None` for
    /// an offset not in flight (a revoked partition, a repeat).
    pub fn finish(
        &mut self,
        topic: &str,
        partition: i32,
        offset: i64,
        item: T,
    ) -> Option<Released<T>> {
        let p = self.partitions.get_mut(&(topic.to_owned(), partition))?;
        if !p.in_flight.remove(&offset) {
            return None;
        }
        p.done.insert(offset, item);
        // Everything below the oldest unfinished message is released.
        let keep = match p.in_flight.first() {
            Some(&oldest) => p.done.split_off(&oldest),
            None => BTreeMap::new(),
        };
        let released = std::mem::replace(&mut p.done, keep);
        let (&last, _) = released.last_key_value()?;
        let position = p.position.map_or(last + 1, |at| at.max(last + 1));
        p.position = Some(position);
        Some(Released {
            position,
            items: released.into_values().collect(),
        })
    }

    /// Forgets a partition that was revoked, with its unreleased items.
    pub fn revoke(&mut self, topic: &str, partition: i32) {
        self.partitions.remove(&(topic.to_owned(), partition));
    }

    /// The commit position of every partition held that has one.
    pub fn positions(&self) -> impl Iterator<Item = (&str, i32, i64)> {
        self.partitions
            .iter()
            .filter_map(|((topic, partition), p)| Some((topic.as_str(), *partition, p.position?)))
    }

    /// Messages in flight across all partitions.
    pub fn in_flight(&self) -> usize {
        self.partitions.values().map(|p| p.in_flight.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(r: Option<Released<()>>) -> Option<i64> {
        r.map(|r| r.position)
    }

    #[test]
    fn the_position_never_passes_an_unfinished_message() {
        let mut t = OffsetTracker::default();
        t.assign("in", 0);
        for o in 10..15 {
            t.start("in", 0, o);
        }
        assert_eq!(
            position(t.finish("in", 0, 12, ())),
            None,
            "10, 11 in flight"
        );
        assert_eq!(position(t.finish("in", 0, 11, ())), None);
        assert_eq!(position(t.finish("in", 0, 10, ())), Some(13), "next is 13");
        assert_eq!(position(t.finish("in", 0, 14, ())), None, "13 in flight");
        assert_eq!(position(t.finish("in", 0, 13, ())), Some(15));
        assert_eq!(t.in_flight(), 0);
    }

    #[test]
    fn items_come_back_in_offset_order_once_unblocked() {
        let mut t = OffsetTracker::default();
        t.assign("in", 0);
        for o in 0..4 {
            t.start("in", 0, o);
        }
        assert_eq!(t.finish("in", 0, 2, "c"), None);
        assert_eq!(t.finish("in", 0, 1, "b"), None);
        assert_eq!(
            t.finish("in", 0, 0, "a"),
            Some(Released {
                position: 3,
                items: vec!["a", "b", "c"]
            })
        );
        assert_eq!(
            t.finish("in", 0, 3, "d"),
            Some(Released {
                position: 4,
                items: vec!["d"]
            })
        );
    }

    #[test]
    fn partitions_are_independent_and_revocation_forgets() {
        let mut t = OffsetTracker::default();
        t.assign("in", 0);
        t.assign("in", 1);
        t.start("in", 0, 5);
        t.start("in", 1, 7);
        assert_eq!(position(t.finish("in", 1, 7, ())), Some(8));
        assert_eq!(t.in_flight(), 1);
        t.revoke("in", 0);
        assert_eq!(position(t.finish("in", 0, 5, ())), None);
        assert_eq!(t.in_flight(), 0);
        assert_eq!(t.positions().collect::<Vec<_>>(), vec![("in", 1, 8)]);
    }

    #[test]
    fn duplicates_and_unknown_offsets_are_ignored() {
        let mut t = OffsetTracker::default();
        t.assign("in", 0);
        assert!(t.start("in", 0, 1));
        assert!(!t.start("in", 0, 1), "already in flight");
        assert_eq!(position(t.finish("in", 0, 1, ())), Some(2));
        assert_eq!(position(t.finish("in", 0, 1, ())), None);
        assert_eq!(position(t.finish("other", 3, 9, ())), None);
    }

    #[test]
    fn a_partition_starts_where_consuming_began() {
        let mut t: OffsetTracker = OffsetTracker::default();
        t.assign("in", 0);
        assert_eq!(t.positions().count(), 0, "nothing taken yet");
        t.start("in", 0, 40);
        assert_eq!(t.positions().collect::<Vec<_>>(), vec![("in", 0, 40)]);
    }

    #[test]
    fn positions_are_stored_in_rising_order_when_messages_finish_at_once() {
        const MESSAGES: i64 = 20_000;
        let tracker: SharedTracker = SharedTracker::default();
        tracker.lock().assign("in", 0);
        for o in 0..MESSAGES {
            tracker.lock().start("in", 0, o);
        }
        // Four threads finish the offsets, each block of eight in reverse
        // (a block's first offset releases all eight at once), as the
        // worker's tasks do; each store is logged in the order it happened.
        let order: Vec<i64> = (0..MESSAGES).map(|n| n - n % 8 + (7 - n % 8)).collect();
        let stored = Mutex::new(Vec::new());
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                let (tracker, stored, next, order) = (&tracker, &stored, &next, &order);
                scope.spawn(move || {
                    while let Some(&offset) =
                        order.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                    {
                        tracker.finish_and_store("in", 0, offset, (), |position| {
                            stored.lock().unwrap().push(position);
                            Ok::<(), ()>(())
                        });
                    }
                });
            }
        });
        let stored = stored.into_inner().unwrap();
        assert!(
            stored.windows(2).all(|w| w[0] < w[1]),
            "a position stored after a higher one"
        );
        assert_eq!(stored.last(), Some(&MESSAGES), "the last store is the end");
        assert_eq!(tracker.lock().in_flight(), 0);
    }

    #[test]
    fn a_store_that_fails_is_reported_with_nothing_released_twice() {
        let tracker: SharedTracker = SharedTracker::default();
        tracker.lock().assign("in", 0);
        tracker.lock().start("in", 0, 7);
        tracker.lock().start("in", 0, 8);
        assert_eq!(
            tracker.finish_and_store("in", 0, 8, (), |_| Ok::<(), ()>(())),
            None,
            "7 still in flight: nothing to store"
        );
        assert_eq!(
            tracker.finish_and_store("in", 0, 7, (), |_| Err("revoked")),
            Some(Err("revoked"))
        );
        assert_eq!(
            tracker.finish_and_store("in", 0, 7, (), |_| Ok::<(), ()>(())),
            None
        );
    }

    #[test]
    fn messages_of_a_revoked_partition_are_refused_until_it_returns() {
        let mut t: OffsetTracker = OffsetTracker::default();
        assert!(!t.start("in", 0, 3), "never assigned");
        t.assign("in", 0);
        assert!(t.start("in", 0, 3));
        t.revoke("in", 0);
        assert!(!t.start("in", 0, 4), "fetched before the revocation");
        assert_eq!(position(t.finish("in", 0, 3, ())), None);
        t.assign("in", 0);
        assert!(t.start("in", 0, 3), "redelivered to the new assignment");
        assert_eq!(position(t.finish("in", 0, 3, ())), Some(4));
    }
}
