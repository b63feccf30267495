//! The streaming worker: URLs in from a consumer group, one record or one
//! dead letter out per message, offsets committed only behind output.
//!
//! The loop takes a message only when the in-flight window has room, so
//! memory is bounded however far behind the worker is; each message runs as
//! its own task (fetching is I/O-bound). Two deliveries:
//!
//! - at least once (the default): each output is produced on its own; when
//!   the broker acknowledges it, the [`OffsetTracker`] moves the partition's
//!   position up to the oldest message still in flight, and that position
//!   is stored; one committer commits the stored positions every
//!   `worker.commit_interval_ms` or `worker.commit_every` stored messages,
//!   on partition revocation, and at shutdown, one commit at a time.
//! - exactly once (`kafka.exactly_once`): outputs wait in the tracker until
//!   every older message of their partition is done, then enter the open
//!   transaction in offset order; every `worker.commit_interval_ms` the
//!   positions are sent to the transaction and it commits (see
//!   [`Transactions`]).

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use rdkafka::ClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{
    BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance, StreamConsumer,
};
use rdkafka::error::KafkaError;
use rdkafka::message::{Message, OwnedMessage};
use rdkafka::producer::{FutureProducer, Producer as _};
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tracing::Instrument;

use super::dead_letter::{self, Failure, Source};
use super::dedup::RecentUrls;
use super::logs::QuietLogs;
use super::message;
use super::offsets::{OffsetTracker, SharedTracker};
use super::output::Output;
use super::transaction::Transactions;
use crate::config::{KafkaConfig, WorkerConfig};
use crate::fetch::Target;
use crate::metrics::{self, Metrics};
use crate::pipeline::Pipeline;

/// The producer, its librdkafka lines rate-limited.
pub type Producer = FutureProducer<QuietLogs>;

/// How long one produce may wait in librdkafka's queue before failing.
const PRODUCE_TIMEOUT: Duration = Duration::from_secs(60);

/// Why the worker could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("kafka: {0}")]
    Kafka(#[from] KafkaError),
    #[error("transaction failed, the worker stopped (a restart resumes from the last commit): {0}")]
    Transaction(KafkaError),
}

/// What a finished message leaves in the tracker: under exactly-once its
/// output, waiting for its turn, and its window slot, so outputs waiting
/// count against `worker.max_in_flight`.
#[derive(Default)]
struct Held {
    output: Option<Output>,
    _slot: Option<OwnedSemaphorePermit>,
}

type Tracker = Arc<SharedTracker<Held>>;

/// What a message came to, before anything is produced.
enum Outcome {
    Record {
        id: String,
        payload: Vec<u8>,
    },
    DeadLetter(Failure),
    /// A duplicate within the dedup window: nothing to produce.
    Skipped,
}

/// Keeps the tracker to the assigned partitions. A revoked partition's
/// in-flight offsets are forgotten: its new owner will process them again,
/// and our late outputs must not store positions (or enter a transaction)
/// for partitions we no longer hold. Under
/// exactly-once the open transaction commits first, so what was released
/// for those partitions lands with its offsets.
struct WorkerContext {
    tracker: Tracker,
    transactions: Option<Arc<Transactions>>,
    metrics: Arc<Metrics>,
    logs: QuietLogs,
    /// Held while offsets are committed: one commit at a time, in order.
    commit_lock: Arc<Mutex<()>>,
}

impl ClientContext for WorkerContext {
    fn stats(&self, statistics: rdkafka::Statistics) {
        self.metrics.record_statistics(&statistics);
    }

    fn log(&self, level: rdkafka::config::RDKafkaLogLevel, fac: &str, log_message: &str) {
        self.logs.log_line(level, fac, log_message);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        self.logs.global_error(&error, reason);
    }
}

impl ConsumerContext for WorkerContext {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Revoke(list) = rebalance {
            let mut tracker = self.tracker.lock();
            if let (Some(transactions), Some(group)) =
                (&self.transactions, consumer.group_metadata())
            {
                transactions.commit(&tracker, &group);
            }
            if self.transactions.is_none() {
                // What was stored for these partitions lands before their
                // new owner starts from the committed position.
                commit_stored_offsets(consumer, &self.commit_lock);
            }
            for el in list.elements() {
                tracker.revoke(el.topic(), el.partition());
            }
        }
    }

    fn post_rebalance(&self, _consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Revoke(list) => {
                // Logged before the count drops: the drain waits for the
                // count, and the worker's last line is then its own.
                tracing::info!(partitions = list.count(), "partitions revoked");
                self.metrics
                    .assigned
                    .fetch_sub(list.count() as i64, Ordering::Relaxed);
            }
            Rebalance::Assign(list) => {
                let mut tracker = self.tracker.lock();
                for el in list.elements() {
                    tracker.assign(el.topic(), el.partition());
                }
                drop(tracker);
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
    producer: Producer,
    /// `Some` under exactly-once: `producer` is transactional.
    transactions: Option<Arc<Transactions>>,
    pipeline: Arc<Pipeline>,
    kafka: KafkaConfig,
    config: WorkerConfig,
    tracker: Tracker,
    seen: Mutex<RecentUrls>,
    /// librdkafka's lines and the worker's own about the broker, repeats
    /// held back.
    logs: QuietLogs,
    /// Positions stored since the last commit [`Worker::commit_if_due`]
    /// asked for.
    stored_since_commit: std::sync::atomic::AtomicU64,
    /// Wakes the committer when `worker.commit_every` positions are stored.
    commit_due: tokio::sync::Notify,
    /// Held while offsets are committed: one commit at a time, in order.
    commit_lock: Arc<Mutex<()>>,
    pub metrics: Arc<Metrics>,
}

impl Worker {
    /// Connects the consumer and producer and subscribes; under
    /// exactly-once also registers the transactional id, which fences a
    /// previous incarnation and aborts its open transaction.
    pub fn new(
        kafka: &KafkaConfig,
        config: &WorkerConfig,
        pipeline: Arc<Pipeline>,
        metrics: Arc<Metrics>,
    ) -> Result<Worker, WorkerError> {
        let tracker = Tracker::default();
        let mut consumer_config = ClientConfig::new();
        consumer_config
            .set("bootstrap.servers", &kafka.brokers)
            .set("group.id", &kafka.group_id)
            .set("auto.offset.reset", "earliest")
            .set("enable.partition.eof", "false")
            .set("partition.assignment.strategy", "cooperative-sticky")
            // Never read records of aborted upstream transactions.
            .set("isolation.level", "read_committed")
            // Cap librdkafka's prefetch: the in-flight window is the buffer.
            .set("queued.max.messages.kbytes", "4096")
            .set("queued.min.messages", "1000")
            // Consumer lag per partition, for the metrics.
            .set("statistics.interval.ms", "5000");
        // Offsets are committed by the worker alone: inside transactions
        // under exactly-once; otherwise the positions stored behind
        // acknowledged output, by one committer at a time (see
        // [`Worker::commit_stored`]). librdkafka's auto-commit beside a
        // commit of our own could land an older position after a newer
        // one, which librdkafka then takes as committed for good.
        consumer_config
            .set("enable.auto.commit", "false")
            .set("enable.auto.offset.store", "false");
        if let Some(id) = &kafka.group_instance_id {
            consumer_config.set("group.instance.id", id);
        }
        let mut producer_config = ClientConfig::new();
        producer_config
            .set("bootstrap.servers", &kafka.brokers)
            .set("enable.idempotence", "true")
            .set("compression.type", "lz4")
            .set("linger.ms", "20");
        if kafka.exactly_once {
            producer_config.set("transactional.id", kafka.transactional_id());
        }
        for (key, value) in &kafka.properties {
            consumer_config.set(key, value);
            producer_config.set(key, value);
        }
        let logs = QuietLogs::default();
        let commit_lock = Arc::new(Mutex::new(()));
        let producer: Producer = producer_config.create_with_context(logs.clone())?;
        let transactions = if kafka.exactly_once {
            Some(Arc::new(Transactions::begin(producer.clone())?))
        } else {
            None
        };
        let consumer: StreamConsumer<WorkerContext> =
            consumer_config.create_with_context(WorkerContext {
                tracker: Arc::clone(&tracker),
                transactions: transactions.clone(),
                metrics: Arc::clone(&metrics),
                logs: logs.clone(),
                commit_lock: Arc::clone(&commit_lock),
            })?;
        consumer.subscribe(&[&kafka.input_topic])?;
        Ok(Worker {
            consumer: Arc::new(consumer),
            producer,
            transactions,
            pipeline,
            kafka: kafka.clone(),
            config: config.clone(),
            tracker,
            seen: Mutex::new(RecentUrls::new(
                Duration::from_secs(config.dedup_ttl_secs),
                config.dedup_capacity,
                Instant::now(),
            )),
            logs,
            stored_since_commit: std::sync::atomic::AtomicU64::new(0),
            commit_due: tokio::sync::Notify::new(),
            commit_lock,
            metrics,
        })
    }

    /// Runs until `shutdown` completes, then stops taking messages, lets
    /// in-flight ones finish within `worker.shutdown_timeout_ms`, flushes
    /// the producer and commits. Under exactly-once it also stops, with an
    /// error, when a transaction fails.
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
        let committer = if this.transactions.is_some() {
            tokio::spawn(Arc::clone(&this).commit_periodically())
        } else {
            tokio::spawn(Arc::clone(&this).commit_stored_periodically())
        };
        let transaction_failed = async {
            match &this.transactions {
                Some(t) => t.failed().await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(shutdown, transaction_failed);
        loop {
            let slot = tokio::select! {
                biased;
                _ = &mut shutdown => break,
                _ = &mut transaction_failed => break,
                slot = Arc::clone(&slots).acquire_owned() => match slot {
                    Ok(slot) => slot,
                    Err(_) => break,
                },
            };
            let message = tokio::select! {
                biased;
                _ = &mut shutdown => break,
                _ = &mut transaction_failed => break,
                m = this.consumer.recv() => m,
            };
            let message = match message {
                Ok(m) => m.detach(),
                Err(e) => {
                    // A broker down reports itself on every poll.
                    let line = e.to_string();
                    if let Some(held) = this.logs.admit(&line) {
                        tracing::warn!(error = %line, repeats_held_back = held, "consume failed");
                    }
                    continue;
                }
            };
            let taken =
                this.lock_tracker()
                    .start(message.topic(), message.partition(), message.offset());
            if !taken {
                // Revoked since it was fetched: its new owner processes it.
                tracing::debug!(
                    topic = message.topic(),
                    partition = message.partition(),
                    offset = message.offset(),
                    "message of a revoked partition left to its new owner"
                );
                continue;
            }
            this.metrics.consumed.inc();
            this.metrics.in_flight.inc();
            let span = tracing::info_span!(
                "message",
                topic = message.topic(),
                partition = message.partition(),
                offset = message.offset()
            );
            let worker = Arc::clone(&this);
            tokio::spawn(
                async move {
                    let outcome = AssertUnwindSafe(worker.outcome(&message))
                        .catch_unwind()
                        .await
                        .unwrap_or_else(|panic| worker.panicked(&message, panic.as_ref()));
                    worker.deliver(message, outcome, slot).await;
                    worker.metrics.in_flight.dec();
                }
                .instrument(span),
            );
        }
        checker.abort();
        committer.abort();
        this.drain(&slots, window).await;
        match this.transactions.as_ref().and_then(|t| t.take_failure()) {
            Some(e) => Err(WorkerError::Transaction(e)),
            None => Ok(()),
        }
    }

    /// Shutdown: wait for in-flight work, flush, commit, leave the group.
    async fn drain(self: &Arc<Self>, slots: &Arc<Semaphore>, window: usize) {
        let timeout = Duration::from_millis(self.config.shutdown_timeout_ms);
        let all = u32::try_from(window).unwrap_or(u32::MAX);
        let failed = self.transactions.as_ref().is_some_and(|t| t.has_failed());
        if !failed {
            match tokio::time::timeout(timeout, slots.acquire_many(all)).await {
                Ok(_) => tracing::info!("in-flight messages finished"),
                Err(_) => tracing::warn!(
                    in_flight = self.lock_tracker().in_flight(),
                    "shutdown timeout: abandoning in-flight messages (they are not committed)"
                ),
            }
        }
        let worker = Arc::clone(self);
        // These calls block: keep them off the async threads.
        let done = tokio::task::spawn_blocking(move || {
            if worker.transactions.is_some() {
                worker.commit_transaction();
            } else {
                if let Err(e) = worker.producer.flush(Duration::from_secs(10)) {
                    tracing::warn!(error = %e, "producer flush failed");
                }
                // No commit follows this one: retry it through a rebalance.
                for _ in 0..FINAL_COMMIT_TRIES {
                    if commit_stored_offsets(worker.consumer.as_ref(), &worker.commit_lock) {
                        break;
                    }
                    std::thread::sleep(FINAL_COMMIT_PAUSE);
                }
            }
            // Leave the group now, so the partitions move to the other
            // replicas at once rather than after the session timeout.
            worker.consumer.unsubscribe();
        })
        .await;
        if let Err(e) = done {
            tracing::warn!(error = %e, "shutdown task failed");
        }
        // Leaving the group revokes the partitions in a callback that only
        // a poll serves; unserved, it ran whenever the consumer was dropped,
        // after the process had said it stopped. Messages still buffered
        // are not processed here: their offsets were not committed, so the
        // partitions' next owner reads them.
        let left = async {
            while self.metrics.assigned.load(Ordering::Relaxed) > 0 {
                let _ = tokio::time::timeout(Duration::from_millis(50), self.consumer.recv()).await;
            }
        };
        if tokio::time::timeout(LEAVE_TIMEOUT, left).await.is_err() {
            tracing::warn!("the group's revoke did not arrive before shutdown");
        }
    }

    fn lock_tracker(&self) -> std::sync::MutexGuard<'_, OffsetTracker<Held>> {
        self.tracker.lock()
    }

    /// Exactly-once: commits the open transaction every
    /// `worker.commit_interval_ms`.
    async fn commit_periodically(self: Arc<Self>) {
        let every = Duration::from_millis(self.config.commit_interval_ms.max(10));
        loop {
            tokio::time::sleep(every).await;
            let worker = Arc::clone(&self);
            if tokio::task::spawn_blocking(move || worker.commit_transaction())
                .await
                .is_err()
            {
                return;
            }
        }
    }

    /// Blocks: sends the positions to the open transaction and commits it.
    fn commit_transaction(&self) {
        let Some(transactions) = &self.transactions else {
            return;
        };
        let tracker = self.lock_tracker();
        match self.consumer.group_metadata() {
            Some(group) => transactions.commit(&tracker, &group),
            None => tracing::warn!("no consumer group metadata: transaction not committed"),
        }
    }

    /// What one message comes to: a record, a dead letter, or nothing.
    async fn outcome(&self, message: &OwnedMessage) -> Outcome {
        let request = match message::decode(message.payload()) {
            Ok(request) => request,
            Err(poison) => {
                return Outcome::DeadLetter(Failure {
                    class: poison.class().to_owned(),
                    message: poison.to_string(),
                    stage: "decode",
                    attempts: 0,
                });
            }
        };
        // Parsed once: the dedup window keys on its canonical form, the
        // fetcher requests it as given.
        let target = match Target::parse(&request.url) {
            Ok(target) => target,
            Err(e) => {
                return Outcome::DeadLetter(Failure {
                    class: e.class().to_owned(),
                    message: e.to_string(),
                    stage: "fetch",
                    attempts: 0,
                });
            }
        };
        if self.is_duplicate(&target) {
            self.metrics.skipped_duplicates.inc();
            tracing::debug!(url = %request.url, "duplicate skipped");
            return Outcome::Skipped;
        }
        let mut record = match self.pipeline.process_target(&target).await {
            Ok(record) => record,
            Err(e) => {
                // The URL may have failed for now; let it be tried again later.
                self.forget(&target);
                return Outcome::DeadLetter(Failure {
                    class: e.class().to_owned(),
                    message: e.to_string(),
                    stage: e.stage(),
                    attempts: e.attempts(),
                });
            }
        };
        record.request = Some(serde_json::json!({
            "id": request.id,
            "source": request.source,
            "meta": request.meta,
        }));
        match serde_json::to_vec(&record) {
            Ok(payload) => Outcome::Record {
                id: record.id,
                payload,
            },
            Err(e) => Outcome::DeadLetter(Failure {
                class: "encode".to_owned(),
                message: e.to_string(),
                stage: "produce",
                attempts: 1,
            }),
        }
    }

    /// A message whose work panicked (a bug, or a value that slipped past
    /// validation) still ends: a dead letter of class `internal`, an
    /// error-level log with its URL and offset, and a metric, so it is
    /// neither lost nor left holding its partition's commit.
    fn panicked(&self, message: &OwnedMessage, panic: &(dyn std::any::Any + Send)) -> Outcome {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        let url = message::decode(message.payload())
            .map(|request| request.url)
            .unwrap_or_default();
        self.metrics.panics.inc();
        tracing::error!(
            url = %dead_letter::cap(&url, 512),
            topic = message.topic(),
            partition = message.partition(),
            offset = message.offset(),
            panic = %dead_letter::cap(&what, 512),
            "processing panicked: the message goes to the dead letters"
        );
        Outcome::DeadLetter(Failure {
            class: "internal".to_owned(),
            message: format!("processing panicked: {what}"),
            stage: "process",
            attempts: 1,
        })
    }

    /// The outcome to its topic, then the offset forward.
    async fn deliver(
        self: &Arc<Self>,
        message: OwnedMessage,
        outcome: Outcome,
        slot: OwnedSemaphorePermit,
    ) {
        let output = match outcome {
            Outcome::Record { id, payload } => {
                Some(Output::record(&self.kafka.output_topic, &id, payload))
            }
            Outcome::DeadLetter(failure) => Some(self.dead_letter(&message, &failure)),
            Outcome::Skipped => None,
        };
        if self.transactions.is_some() {
            let worker = Arc::clone(self);
            let released = tokio::task::spawn_blocking(move || {
                worker.release(
                    &message,
                    Held {
                        output,
                        _slot: Some(slot),
                    },
                );
            })
            .await;
            if let Err(e) = released {
                tracing::error!(error = %e, "release task failed");
            }
            return;
        }
        let written = match output {
            None => true,
            Some(output) => self.produce(&message, output).await,
        };
        if !written {
            self.metrics.lost_outputs.inc();
            return;
        }
        let consumer = &self.consumer;
        let stored = self.tracker.finish_and_store(
            message.topic(),
            message.partition(),
            message.offset(),
            Held::default(),
            |position| {
                let mut tpl = TopicPartitionList::new();
                tpl.add_partition_offset(
                    message.topic(),
                    message.partition(),
                    Offset::Offset(position),
                )?;
                consumer.store_offsets(&tpl)
            },
        );
        match stored {
            Some(Ok(_)) => self.commit_if_due(),
            // A partition revoked meanwhile: its new owner replays.
            // Worth a warning: the commit lags until that owner does.
            Some(Err(e)) => tracing::warn!(
                error = %e,
                topic = message.topic(),
                partition = message.partition(),
                offset = message.offset(),
                "offset not stored"
            ),
            None => {}
        }
        drop(slot);
    }

    /// At least once: every `worker.commit_every` stored positions wake
    /// the committer early (besides its `worker.commit_interval_ms`). What
    /// a crash replays is what was acknowledged since the last commit: at
    /// most about this many messages, however fast they go.
    fn commit_if_due(&self) {
        let every = u64::from(self.config.commit_every);
        let stored = self.stored_since_commit.fetch_add(1, Ordering::Relaxed) + 1;
        if stored >= every {
            self.stored_since_commit.store(0, Ordering::Relaxed);
            self.commit_due.notify_one();
        }
    }

    /// At least once: commits the stored positions every
    /// `worker.commit_interval_ms`, or sooner when [`Worker::commit_if_due`]
    /// says `worker.commit_every` were stored; one commit at a time.
    async fn commit_stored_periodically(self: Arc<Self>) {
        let every = Duration::from_millis(self.config.commit_interval_ms.max(10));
        loop {
            tokio::select! {
                () = tokio::time::sleep(every) => {}
                () = self.commit_due.notified() => {}
            }
            let worker = Arc::clone(&self);
            // A synchronous commit waits for the broker: off the async threads.
            let committed = tokio::task::spawn_blocking(move || {
                // No commit follows this one: retry it through a rebalance.
                for _ in 0..FINAL_COMMIT_TRIES {
                    if commit_stored_offsets(worker.consumer.as_ref(), &worker.commit_lock) {
                        break;
                    }
                    std::thread::sleep(FINAL_COMMIT_PAUSE);
                }
            })
            .await;
            if committed.is_err() {
                return;
            }
        }
    }

    /// At least once: produces the output and waits for the broker. A
    /// record the broker refuses becomes a dead letter; a dead letter it
    /// refuses becomes a minimal one (no value), so no message is stuck
    /// behind an output that can never be written. Returns whether an
    /// output was acknowledged; `false` (the broker unreachable) replays.
    async fn produce(&self, message: &OwnedMessage, output: Output) -> bool {
        let refused = match self.send(&output).await {
            Ok(()) => return true,
            Err(e) => e,
        };
        if output.is_record() {
            tracing::warn!(error = %refused, "record not produced");
            let failure = Failure {
                class: "produce".to_owned(),
                message: refused.to_string(),
                stage: "produce",
                attempts: 1,
            };
            return self.produce_dead_letter(message, &failure).await;
        }
        let Some(failure) = output.failure() else {
            return false;
        };
        tracing::warn!(error = %refused, "dead letter refused: sending a minimal one");
        self.produce_minimal(message, failure, &refused).await
    }

    /// A dead letter, and the minimal one if the broker refuses it.
    async fn produce_dead_letter(&self, message: &OwnedMessage, failure: &Failure) -> bool {
        match self.send(&self.dead_letter(message, failure)).await {
            Ok(()) => true,
            Err(refused) => {
                tracing::warn!(error = %refused, "dead letter refused: sending a minimal one");
                self.produce_minimal(message, failure, &refused).await
            }
        }
    }

    async fn produce_minimal(
        &self,
        message: &OwnedMessage,
        failure: &Failure,
        refused: &KafkaError,
    ) -> bool {
        let letter = dead_letter::minimal(
            message.key(),
            message.payload(),
            failure,
            &source_of(message),
            &refused.to_string(),
        );
        let output = Output::dead_letter(&self.kafka.dlq_topic, &letter, failure);
        match self.send(&output).await {
            Ok(()) => true,
            Err(e) => {
                tracing::error!(
                    error = %e,
                    topic = message.topic(),
                    partition = message.partition(),
                    offset = message.offset(),
                    "dead letter not produced: the message will be replayed"
                );
                false
            }
        }
    }

    /// One output, waiting for the broker's acknowledgement; counted once
    /// acknowledged.
    async fn send(&self, output: &Output) -> Result<(), KafkaError> {
        self.producer
            .send(output.to_record(), PRODUCE_TIMEOUT)
            .await
            .map_err(|(e, _)| e)?;
        output.count(&self.metrics);
        Ok(())
    }

    /// Exactly once, blocking: hands the finished message to the tracker
    /// and puts what it releases, in offset order, into the open
    /// transaction.
    fn release(&self, message: &OwnedMessage, held: Held) {
        let Some(transactions) = &self.transactions else {
            return;
        };
        let mut tracker = self.lock_tracker();
        let Some(released) =
            tracker.finish(message.topic(), message.partition(), message.offset(), held)
        else {
            return;
        };
        for held in released.items {
            let Some(output) = held.output else { continue };
            match transactions.send(&output) {
                Ok(()) => output.count(&self.metrics),
                Err(e) => {
                    tracing::error!(error = %e, "output not sent in the transaction");
                    transactions.fail(e);
                    return;
                }
            }
        }
        transactions.touch();
    }

    /// Whether the canonical URL was seen within `worker.dedup_ttl_secs`;
    /// records it as seen.
    fn is_duplicate(&self, target: &Target) -> bool {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .check_and_insert(target.canonical.as_str(), Instant::now())
    }

    fn forget(&self, target: &Target) {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .forget(target.canonical.as_str());
    }

    /// The dead letter for `message`, logged.
    fn dead_letter(&self, message: &OwnedMessage, failure: &Failure) -> Output {
        tracing::warn!(
            class = %failure.class,
            stage = failure.stage,
            attempts = failure.attempts,
            message = %dead_letter::cap(&failure.message, dead_letter::MAX_HEADER_BYTES),
            offset = message.offset(),
            "dead letter"
        );
        let letter = dead_letter::letter(
            message.key(),
            message.payload(),
            failure,
            &source_of(message),
        );
        Output::dead_letter(&self.kafka.dlq_topic, &letter, failure)
    }
}

/// Commits the positions stored behind acknowledged output, waiting for
/// the broker, under `lock`: the committer, a revocation and the shutdown
/// never commit at once, so an older position never lands after a newer.
/// Returns whether the broker has them (or nothing was stored since).
fn commit_stored_offsets<C: ConsumerContext>(
    consumer: &impl Consumer<C>,
    lock: &Mutex<()>,
) -> bool {
    let _one_at_a_time = lock.lock().unwrap_or_else(|e| e.into_inner());
    match consumer.commit_consumer_state(CommitMode::Sync) {
        // Nothing stored since the last commit.
        Ok(()) | Err(KafkaError::ConsumerCommit(rdkafka::types::RDKafkaErrorCode::NoOffset)) => {
            true
        }
        Err(e) => {
            tracing::warn!(error = %e, "offsets not committed; the next commit carries them");
            false
        }
    }
}

/// How long the final commit is retried: a commit refused during a group
/// rebalance (a departed member's session ending) succeeds once it is over.
const FINAL_COMMIT_TRIES: u32 = 20;
const FINAL_COMMIT_PAUSE: Duration = Duration::from_millis(250);
/// How long the shutdown waits for the group to take its partitions back.
const LEAVE_TIMEOUT: Duration = Duration::from_secs(2);

/// Where `message` was read.
fn source_of(message: &OwnedMessage) -> Source<'_> {
    Source {
        topic: message.topic(),
        partition: message.partition(),
        offset: message.offset(),
    }
}

/// Keeps `/readyz` honest about the producer: can it reach a broker?
async fn check_producer(producer: Producer, metrics: Arc<Metrics>) {
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
