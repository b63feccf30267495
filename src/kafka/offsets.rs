//! Which offsets may be committed: per partition, everything below the
//! lowest offset still in flight. Messages finish out of order (fetches
//! take as long as they take); committing past an unfinished one would
//! lose it on a crash.

use std::collections::{BTreeSet, HashMap};

/// In-flight offsets of every partition this worker has taken messages from.
#[derive(Debug, Default)]
pub struct OffsetTracker {
    partitions: HashMap<(String, i32), Partition>,
}

#[derive(Debug, Default)]
struct Partition {
    in_flight: BTreeSet<i64>,
    /// The highest offset finished so far.
    highest_done: Option<i64>,
    /// The last commit position handed out (the next offset to consume);
    /// starts at the first offset taken, which is where consuming began.
    committed: Option<i64>,
}

impl OffsetTracker {
    /// A message was taken.
    pub fn start(&mut self, topic: &str, partition: i32, offset: i64) {
        let p = self
            .partitions
            .entry((topic.to_owned(), partition))
            .or_default();
        p.in_flight.insert(offset);
        if p.committed.is_none() {
            p.committed = Some(offset);
        }
    }

    /// A message's output (record or dead letter) was acknowledged. Returns
    /// the new commit position (the next offset to consume: Kafka's
    /// convention) if it moved.
    pub fn finish(&mut self, topic: &str, partition: i32, offset: i64) -> Option<i64> {
        let p = self.partitions.get_mut(&(topic.to_owned(), partition))?;
        if !p.in_flight.remove(&offset) {
            return None;
        }
        p.highest_done = Some(p.highest_done.map_or(offset, |h| h.max(offset)));
        let position = match p.in_flight.first() {
            // Everything below the oldest unfinished message is done.
            Some(&oldest) => oldest,
            None => p.highest_done? + 1,
        };
        if p.committed.is_some_and(|c| c >= position) {
            return None;
        }
        p.committed = Some(position);
        Some(position)
    }

    /// Forgets a partition that was revoked.
    pub fn revoke(&mut self, topic: &str, partition: i32) {
        self.partitions.remove(&(topic.to_owned(), partition));
    }

    /// Messages in flight across all partitions.
    pub fn in_flight(&self) -> usize {
        self.partitions.values().map(|p| p.in_flight.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_position_never_passes_an_unfinished_message() {
        let mut t = OffsetTracker::default();
        for o in 10..15 {
            t.start("in", 0, o);
        }
        assert_eq!(t.finish("in", 0, 12), None, "10 and 11 are still in flight");
        assert_eq!(t.finish("in", 0, 11), None);
        assert_eq!(t.finish("in", 0, 10), Some(13), "10..=12 done: next is 13");
        assert_eq!(t.finish("in", 0, 14), None, "13 still in flight");
        assert_eq!(t.finish("in", 0, 13), Some(15));
        assert_eq!(t.in_flight(), 0);
    }

    #[test]
    fn partitions_are_independent_and_revocation_forgets() {
        let mut t = OffsetTracker::default();
        t.start("in", 0, 5);
        t.start("in", 1, 7);
        assert_eq!(t.finish("in", 1, 7), Some(8));
        assert_eq!(t.in_flight(), 1);
        t.revoke("in", 0);
        assert_eq!(t.finish("in", 0, 5), None);
        assert_eq!(t.in_flight(), 0);
    }

    #[test]
    fn duplicates_and_unknown_offsets_are_ignored() {
        let mut t = OffsetTracker::default();
        t.start("in", 0, 1);
        assert_eq!(t.finish("in", 0, 1), Some(2));
        assert_eq!(t.finish("in", 0, 1), None);
        assert_eq!(t.finish("other", 3, 9), None);
    }
}
