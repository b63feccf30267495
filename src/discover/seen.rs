//! The URLs already published, so each goes out once: in memory as 64-bit
//! hashes of the canonical URL (about 27 bytes a URL, measured; see the
//! README), with the oldest forgotten past a capacity; across restarts and
//! replicas, in a compacted Kafka topic (`discover.seen_topic`, keyed by
//! the canonical URL) that is read at start-up and followed while running.
//!
//! Hashes, not URLs: 64 bits make a false "seen" (a URL never published)
//! about one in 3.6 million for ten million URLs held, against some 100
//! bytes a URL kept as text. The hash needs no stability across versions:
//! the set is rebuilt from the topic's keys, which are the URLs.

use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::Message;
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{Offset, TopicPartitionList};
use rustc_hash::FxBuildHasher;

/// The canonical URLs published, as hashes, oldest forgotten first.
pub struct SeenSet {
    set: HashSet<u64, FxBuildHasher>,
    order: VecDeque<u64>,
    capacity: usize,
}

/// The hash of a canonical URL: SipHash-1-3 with fixed keys (the standard
/// library's), whose 64 bits are spread well enough to be the key itself.
fn hash(url: &str) -> u64 {
    let mut hasher =
        std::hash::BuildHasherDefault::<std::hash::DefaultHasher>::default().build_hasher();
    hasher.write(url.as_bytes());
    hasher.finish()
}

impl SeenSet {
    pub fn new(capacity: usize) -> SeenSet {
        SeenSet {
            set: HashSet::with_hasher(FxBuildHasher),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    pub fn contains(&self, canonical: &str) -> bool {
        self.set.contains(&hash(canonical))
    }

    /// Remembers `canonical`; false when it was already there. Past the
    /// capacity the oldest URL is forgotten.
    pub fn insert(&mut self, canonical: &str) -> bool {
        let key = hash(canonical);
        if !self.set.insert(key) {
            return false;
        }
        self.order.push_back(key);
        while self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
        true
    }

    /// Forgets `canonical` (a reservation whose publication failed).
    pub fn remove(&mut self, canonical: &str) {
        self.set.remove(&hash(canonical));
    }

    pub fn len(&self) -> usize {
        self.set.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

/// After the watermarks are reached, the read goes on until no message has
/// come for this long.
const DRAIN_QUIET: Duration = Duration::from_millis(300);

/// Longest the start-up read of the seen topic may take.
pub const LOAD_TIMEOUT: Duration = Duration::from_secs(120);

/// The seen topic: created compacted when missing, read to its end into a
/// [`SeenSet`], then followed, so markers written by other replicas are
/// known here too.
pub struct SeenTopic {
    pub topic: String,
    consumer: StreamConsumer,
}

impl SeenTopic {
    /// Connects, creates the topic when missing and assigns every partition
    /// from the beginning.
    pub async fn open(client: &ClientConfig, topic: &str) -> Result<SeenTopic, KafkaError> {
        let consumer: StreamConsumer = client
            .clone()
            // No group: every replica reads the whole topic.
            .set(
                "group.id",
                format!("newsworker-discover-seen-{}", std::process::id()),
            )
            .set("enable.auto.commit", "false")
            .set("auto.offset.reset", "earliest")
            .create()?;
        let mut partitions = topic_partitions(&consumer, topic)?;
        if partitions.is_empty() {
            create_compacted(client, topic).await;
            partitions = topic_partitions(&consumer, topic)?;
        }
        if partitions.is_empty() {
            return Err(KafkaError::MetadataFetch(
                RDKafkaErrorCode::UnknownTopicOrPartition,
            ));
        }
        let mut assignment = TopicPartitionList::new();
        for p in &partitions {
            assignment.add_partition_offset(topic, *p, Offset::Beginning)?;
        }
        consumer.assign(&assignment)?;
        Ok(SeenTopic {
            topic: topic.to_owned(),
            consumer,
        })
    }

    /// Reads every partition to the end it had when the read began (its
    /// high watermark) into `seen`; the URLs read.
    pub async fn load(&self, seen: &std::sync::Mutex<SeenSet>) -> Result<usize, KafkaError> {
        let mut remaining: std::collections::HashMap<i32, i64> = std::collections::HashMap::new();
        for element in self.consumer.assignment()?.elements() {
            let partition = element.partition();
            let (low, high) = tokio::task::block_in_place(|| {
                self.consumer
                    .fetch_watermarks(&self.topic, partition, Duration::from_secs(30))
            })?;
            if high > low {
                remaining.insert(partition, high);
            }
        }
        let mut read = 0;
        let deadline = tokio::time::Instant::now() + LOAD_TIMEOUT;
        while !remaining.is_empty() {
            let m = tokio::time::timeout_at(deadline, self.consumer.recv())
                .await
                .map_err(|_| {
                    KafkaError::MessageConsumption(RDKafkaErrorCode::OperationTimedOut)
                })??;
            if remember(&m, seen) {
                read += 1;
            }
            if remaining
                .get(&m.partition())
                .is_some_and(|high| m.offset() + 1 >= *high)
            {
                remaining.remove(&m.partition());
            }
        }
        // Some brokers (tansu 0.6) report a high watermark short of the
        // last message: take what follows at once too, so the set is whole
        // before the first poll.
        while let Ok(Ok(m)) = tokio::time::timeout(DRAIN_QUIET, self.consumer.recv()).await {
            if remember(&m, seen) {
                read += 1;
            }
        }
        Ok(read)
    }

    /// Follows the topic after [`SeenTopic::load`], adding what other
    /// replicas publish, until the task is dropped.
    pub async fn follow(self, seen: std::sync::Arc<std::sync::Mutex<SeenSet>>) {
        loop {
            match self.consumer.recv().await {
                Ok(m) => {
                    remember(&m, &seen);
                }
                Err(e) => {
                    tracing::warn!(topic = %self.topic, error = %e, "reading the seen topic");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }
}

/// Adds a marker's URL (its key) to `seen`; false for a message that is
/// not a marker (no key, or a tombstone).
fn remember(marker: &impl Message, seen: &std::sync::Mutex<SeenSet>) -> bool {
    let Some(url) = marker.key().and_then(|k| std::str::from_utf8(k).ok()) else {
        return false;
    };
    if marker.payload().is_none() {
        return false;
    }
    seen.lock().unwrap_or_else(|e| e.into_inner()).insert(url);
    true
}

/// The partitions of `topic`; none when it does not exist.
fn topic_partitions(consumer: &StreamConsumer, topic: &str) -> Result<Vec<i32>, KafkaError> {
    // A metadata request blocks; a short one, on a runtime thread that may.
    let metadata = tokio::task::block_in_place(|| {
        consumer.fetch_metadata(Some(topic), Duration::from_secs(30))
    })?;
    Ok(metadata
        .topics()
        .iter()
        .filter(|t| t.name() == topic && t.error().is_none())
        .flat_map(|t| t.partitions().iter().map(|p| p.id()))
        .collect())
}

/// Creates `topic` with `cleanup.policy=compact` (it does not exist).
/// Failing to (no rights, a broker without the admin API) is only
/// logged: the topic may exist already, or be created by the operator.
async fn create_compacted(client: &ClientConfig, topic: &str) {
    let admin: AdminClient<DefaultClientContext> = match client.create() {
        Ok(admin) => admin,
        Err(e) => {
            tracing::warn!(topic, error = %e, "cannot create an admin client for the seen topic");
            return;
        }
    };
    let new = NewTopic::new(topic, 3, TopicReplication::Fixed(-1)).set("cleanup.policy", "compact");
    let options = AdminOptions::new()
        .operation_timeout(Some(Duration::from_secs(10)))
        .request_timeout(Some(Duration::from_secs(10)));
    match admin.create_topics([&new], &options).await {
        Ok(results) => {
            for result in results {
                match result {
                    Ok(_) => tracing::info!(topic, "created the compacted seen topic"),
                    Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
                    Err((_, code)) => {
                        tracing::warn!(topic, error = %code, "cannot create the seen topic");
                    }
                }
            }
        }
        Err(e) => tracing::warn!(topic, error = %e, "cannot create the seen topic"),
    }
}

/// Writes one marker per URL to the seen topic, keyed by the canonical URL,
/// valued with the time it was published (compaction keeps one per URL).
pub async fn mark(
    producer: &FutureProducer,
    topic: &str,
    canonical: &[String],
    at: &str,
) -> Result<(), KafkaError> {
    let sends: Vec<_> = canonical
        .iter()
        .map(|url| {
            producer.send(
                FutureRecord::to(topic).key(url.as_str()).payload(at),
                Duration::from_secs(30),
            )
        })
        .collect();
    for send in futures_util::future::join_all(sends).await {
        send.map_err(|(e, _)| e)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_and_forgets_the_oldest_past_capacity() {
        let mut seen = SeenSet::new(3);
        assert!(seen.insert("https://a.example/1"));
        assert!(!seen.insert("https://a.example/1"));
        for i in 2..=4 {
            assert!(seen.insert(&format!("https://a.example/{i}")));
        }
        assert_eq!(seen.len(), 3);
        assert!(!seen.contains("https://a.example/1"));
        assert!(seen.contains("https://a.example/4"));
    }
}
