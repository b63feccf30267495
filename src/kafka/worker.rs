//! The streaming worker: URLs in from a consumer group, one record or one
//! dead letter out per message, offsets committed only behind acknowledged
//! output.
//!
//! The loop takes a message only when the in-flight window has room, so
//! memory is bounded however far behind the worker is; each message runs as
//! its own task (fetching is I/O-bound). When a message's output is
//! acknowledged by the broker, the [`OffsetTracker`] moves the partition's
//! commit position up to the oldest message still in flight, and that
//! position is stored; librdkafka commits stored positions periodically, on
//! partition revocation, and at shutdown.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::ClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{
    BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance, StreamConsumer,
};
use rdkafka::error::KafkaError;
use rdkafka::message::{Header, Message, OwnedHeaders, OwnedMessage};
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};
use tokio::sync::Semaphore;
use tracing::Instrument;

use super::dead_letter::{self, Failure, Source};
use super::message::{self, Request};
use super::offsets::OffsetTracker;
use crate::config::{KafkaConfig, WorkerConfig};
use crate::metrics::{self, Metrics};
use crate::pipeline::Pipeline;
use crate::record::SCHEMA;

/// How long one produce may wait in librdkafka's queue before failing.
const PRODUCE_TIMEOUT: Duration = Duration::from_secs(60);

/// Why the worker could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("kafka: {0}")]
    Kafka(#[from] KafkaError),
}

/// Forgets revoked partitions' in-flight offsets: their new owner will
/// process them again (at least once), and our late acknowledgements must
/// not store positions for partitions we no longer hold.
struct WorkerContext {
    tracker: Arc<Mutex<OffsetTracker>>,
    metrics: Arc<Metrics>,
}

impl ClientContext for WorkerContext {
    fn stats(&self, statistics: rdkafka::Statistics) {
        self.metrics.record_statistics(&statistics);
    }
}

impl ConsumerContext for WorkerContext {
    fn post_rebalance(&self, _consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Revoke(list) => {
                let mut tracker = self.tracker.lock().unwrap_or_else(|e| e.into_inner());
                for el in list.elements() {
                    tracker.revoke(el.topic(), el.partition());
                }
                self.metrics
                    .assigned
                    .fetch_sub(list.count() as i64, Ordering::Relaxed);
                tracing::info!(partitions = list.count(), "partitions revoked");
            }
            Rebalance::Assign(list) => {
                self.metrics
                    .assigned
                    .fetch_add(list.count() as i64, Ordering::Relaxed);
                tracing::info!(partitions = list.count(), "partitions assigned");
            }
            Rebalance::Error(e) => tracing::warn!(error = %e, "rebalance error"),
        }
    }
}

/// The worker: a consumer, a producer and the pipeline.
pub struct Worker {
    consumer: Arc<StreamConsumer<WorkerContext>>,
    producer: FutureProducer,
    pipeline: Arc<Pipeline>,
    kafka: KafkaConfig,
    config: WorkerConfig,
    tracker: Arc<Mutex<OffsetTracker>>,
    seen: Arc<Mutex<HashMap<String, Instant>>>,
    pub metrics: Arc<Metrics>,
}

impl Worker {
    pub fn new(
        kafka: &KafkaConfig,
        config: &WorkerConfig,
        pipeline: Arc<Pipeline>,
        metrics: Arc<Metrics>,
    ) -> Result<Worker, WorkerError> {
        let tracker = Arc::new(Mutex::new(OffsetTracker::default()));
        let mut consumer_config = ClientConfig::new();
        consumer_config
            .set("bootstrap.servers", &kafka.brokers)
            .set("group.id", &kafka.group_id)
            // Offsets are stored by us, behind acknowledged output, and
            // committed by librdkafka: periodically, on revoke, on close.
            .set("enable.auto.commit", "true")
            .set("enable.auto.offset.store", "false")
            .set(
                "auto.commit.interval.ms",
                config.commit_interval_ms.to_string(),
            )
            .set("auto.offset.reset", "earliest")
            .set("enable.partition.eof", "false")
            .set("partition.assignment.strategy", "cooperative-sticky")
            // Cap librdkafka's prefetch: the in-flight window is the buffer.
            .set("queued.max.messages.kbytes", "4096")
            .set("queued.min.messages", "1000")
            // Consumer lag per partition, for the metrics.
            .set("statistics.interval.ms", "5000");
        if let Some(id) = &kafka.group_instance_id {
            consumer_config.set("group.instance.id", id);
        }
        let mut producer_config = ClientConfig::new();
        producer_config
            .set("bootstrap.servers", &kafka.brokers)
            .set("enable.idempotence", "true")
            .set("compression.type", "lz4")
            .set("linger.ms", "20");
        for (key, value) in &kafka.properties {
            consumer_config.set(key, value);
            producer_config.set(key, value);
        }
        let consumer: StreamConsumer<WorkerContext> =
            consumer_config.create_with_context(WorkerContext {
                tracker: Arc::clone(&tracker),
                metrics: Arc::clone(&metrics),
            })?;
        consumer.subscribe(&[&kafka.input_topic])?;
        let producer: FutureProducer = producer_config.create()?;
        Ok(Worker {
            consumer: Arc::new(consumer),
            producer,
            pipeline,
            kafka: kafka.clone(),
            config: config.clone(),
            tracker,
            seen: Arc::new(Mutex::new(HashMap::new())),
            metrics,
        })
    }

    /// Runs until `shutdown` completes, then stops taking messages, lets
    /// in-flight ones finish within `worker.shutdown_timeout_ms`, flushes
    /// the producer and commits.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<(), WorkerError> {
        let window = usize::try_from(self.config.max_in_flight)
            .unwrap_or(1)
            .max(1);
        let slots = Arc::new(Semaphore::new(window));
        let this = Arc::new(self);
        let checker = tokio::spawn(check_producer(
            this.producer.clone(),
            Arc::clone(&this.metrics),
        ));
        tokio::pin!(shutdown);
        loop {
            let slot = tokio::select! {
                biased;
                _ = &mut shutdown => break,
                slot = Arc::clone(&slots).acquire_owned() => match slot {
                    Ok(slot) => slot,
                    Err(_) => break,
                },
            };
            let message = tokio::select! {
                biased;
                _ = &mut shutdown => break,
                m = this.consumer.recv() => m,
            };
            let message = match message {
                Ok(m) => m.detach(),
                Err(e) => {
                    tracing::warn!(error = %e, "consume failed");
                    continue;
                }
            };
            this.metrics.consumed.inc();
            this.metrics.in_flight.inc();
            this.lock_tracker()
                .start(message.topic(), message.partition(), message.offset());
            let span = tracing::info_span!(
                "message",
                topic = message.topic(),
                partition = message.partition(),
                offset = message.offset()
            );
            let worker = Arc::clone(&this);
            tokio::spawn(
                async move {
                    worker.handle(message).await;
                    worker.metrics.in_flight.dec();
                    drop(slot);
                }
                .instrument(span),
            );
        }
        checker.abort();
        this.drain(&slots, window).await;
        Ok(())
    }

    /// Shutdown: wait for in-flight work, flush, commit.
    async fn drain(&self, slots: &Arc<Semaphore>, window: usize) {
        let timeout = Duration::from_millis(self.config.shutdown_timeout_ms);
        let all = u32::try_from(window).unwrap_or(u32::MAX);
        match tokio::time::timeout(timeout, slots.acquire_many(all)).await {
            Ok(_) => tracing::info!("in-flight messages finished"),
            Err(_) => tracing::warn!(
                in_flight = self.lock_tracker().in_flight(),
                "shutdown timeout: abandoning in-flight messages (they are not committed)"
            ),
        }
        let producer = self.producer.clone();
        let consumer = Arc::clone(&self.consumer);
        // Both calls block: keep them off the async threads.
        let done = tokio::task::spawn_blocking(move || {
            if let Err(e) = producer.flush(Duration::from_secs(10)) {
                tracing::warn!(error = %e, "producer flush failed");
            }
            match consumer.commit_consumer_state(CommitMode::Sync) {
                Ok(())
                | Err(KafkaError::ConsumerCommit(rdkafka::types::RDKafkaErrorCode::NoOffset)) => {}
                Err(e) => tracing::warn!(error = %e, "final commit failed"),
            }
            // Leave the group now, so the partitions move to the other
            // replicas at once rather than after the session timeout.
            consumer.unsubscribe();
        })
        .await;
        if let Err(e) = done {
            tracing::warn!(error = %e, "shutdown task failed");
        }
    }

    fn lock_tracker(&self) -> std::sync::MutexGuard<'_, OffsetTracker> {
        self.tracker.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One message to one output; its offset is stored once the output is
    /// acknowledged.
    async fn handle(&self, message: OwnedMessage) {
        let source = Source {
            topic: message.topic(),
            partition: message.partition(),
            offset: message.offset(),
        };
        let written = match message::decode(message.payload()) {
            Err(poison) => {
                let failure = Failure {
                    class: poison.class().to_owned(),
                    message: poison.to_string(),
                    stage: "decode",
                    attempts: 0,
                };
                self.dead_letter(&message, &failure, &source).await
            }
            Ok(request) if self.is_duplicate(&request) => {
                self.metrics.skipped_duplicates.inc();
                tracing::debug!(url = %request.url, "duplicate skipped");
                true
            }
            Ok(request) => self.process(&message, &request, &source).await,
        };
        if written {
            let position =
                self.lock_tracker()
                    .finish(source.topic, source.partition, source.offset);
            if let Some(position) = position {
                let mut tpl = TopicPartitionList::new();
                let stored = tpl
                    .add_partition_offset(source.topic, source.partition, Offset::Offset(position))
                    .and_then(|()| self.consumer.store_offsets(&tpl));
                if let Err(e) = stored {
                    // A partition revoked meanwhile: its new owner replays.
                    tracing::debug!(error = %e, "offset not stored");
                }
            }
        } else {
            self.metrics.lost_outputs.inc();
        }
    }

    /// Whether the canonical URL was seen within `worker.dedup_ttl_secs`;
    /// records it as seen.
    fn is_duplicate(&self, request: &Request) -> bool {
        let Ok(url) = crate::fetch::parse_target(&request.url) else {
            return false;
        };
        let ttl = Duration::from_secs(self.config.dedup_ttl_secs);
        if ttl.is_zero() {
            return false;
        }
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() > 100_000 {
            seen.retain(|_, at| now.duration_since(*at) < ttl);
        }
        match seen.get(url.as_str()) {
            Some(at) if now.duration_since(*at) < ttl => true,
            _ => {
                seen.insert(url.to_string(), now);
                false
            }
        }
    }

    /// The pipeline, then the record or a dead letter. Returns whether an
    /// output was acknowledged.
    async fn process(
        &self,
        message: &OwnedMessage,
        request: &Request,
        source: &Source<'_>,
    ) -> bool {
        let record = match self.pipeline.process(&request.url).await {
            Ok(record) => record,
            Err(e) => {
                // The URL may have failed for now; let it be tried again later.
                self.forget(request);
                let failure = Failure {
                    class: e.class().to_owned(),
                    message: e.to_string(),
                    stage: e.stage(),
                    attempts: e.attempts(),
                };
                return self.dead_letter(message, &failure, source).await;
            }
        };
        let mut record = record;
        record.request = Some(serde_json::json!({
            "id": request.id,
            "source": request.source,
            "meta": request.meta,
        }));
        let payload = match serde_json::to_vec(&record) {
            Ok(p) => p,
            Err(e) => {
                let failure = Failure {
                    class: "encode".to_owned(),
                    message: e.to_string(),
                    stage: "produce",
                    attempts: 1,
                };
                return self.dead_letter(message, &failure, source).await;
            }
        };
        let headers = OwnedHeaders::new()
            .insert(Header {
                key: "content-type",
                value: Some("application/json"),
            })
            .insert(Header {
                key: "schema",
                value: Some(SCHEMA),
            });
        let sent = self
            .producer
            .send(
                FutureRecord::to(&self.kafka.output_topic)
                    .key(&record.id)
                    .payload(&payload)
                    .headers(headers),
                PRODUCE_TIMEOUT,
            )
            .await;
        match sent {
            Ok(_) => {
                self.metrics.produced.inc();
                true
            }
            Err((e, _)) => {
                tracing::warn!(error = %e, "record not produced");
                let failure = Failure {
                    class: "produce".to_owned(),
                    message: e.to_string(),
                    stage: "produce",
                    attempts: 1,
                };
                self.dead_letter(message, &failure, source).await
            }
        }
    }

    fn forget(&self, request: &Request) {
        if let Ok(url) = crate::fetch::parse_target(&request.url) {
            self.seen
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(url.as_str());
        }
    }

    /// The original key and value to the dead-letter topic. Returns whether
    /// the broker acknowledged it.
    async fn dead_letter(
        &self,
        message: &OwnedMessage,
        failure: &Failure,
        source: &Source<'_>,
    ) -> bool {
        tracing::warn!(
            class = %failure.class,
            stage = failure.stage,
            attempts = failure.attempts,
            message = %failure.message,
            "dead letter"
        );
        let mut record = FutureRecord::to(&self.kafka.dlq_topic)
            .headers(dead_letter::kafka_headers(failure, source));
        if let Some(key) = message.key() {
            record = record.key(key);
        }
        if let Some(payload) = message.payload() {
            record = record.payload(payload);
        }
        match self.producer.send(record, PRODUCE_TIMEOUT).await {
            Ok(_) => {
                self.metrics.dead_letter(&failure.class);
                true
            }
            Err((e, _)) => {
                tracing::error!(error = %e, "dead letter not produced: the message will be replayed");
                false
            }
        }
    }
}

/// Keeps `/readyz` honest about the producer: can it reach a broker?
async fn check_producer(producer: FutureProducer, metrics: Arc<Metrics>) {
    loop {
        let p = producer.clone();
        // A metadata request blocks: off the async threads.
        let up = tokio::task::spawn_blocking(move || {
            p.client()
                .fetch_metadata(None, Duration::from_secs(5))
                .is_ok()
        })
        .await
        .unwrap_or(false);
        metrics.producer_up.store(up, Ordering::Relaxed);
        tokio::time::sleep(metrics::PRODUCER_CHECK_EVERY).await;
    }
}
