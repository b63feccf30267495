//! Exactly-once: consume-transform-produce in Kafka transactions.
//!
//! Outputs enter the open transaction in offset order (the tracker releases
//! them), and each commit sends the consumed positions to the same
//! transaction, so a record and the offset that produced it become visible
//! together or not at all. Consumers of the output topics must read with
//! `isolation.level=read_committed` (librdkafka's default, not Java's).
//!
//! A transaction that cannot commit is aborted and the worker stops: the
//! consumer has already moved past the aborted outputs, and a restart (the
//! container's) resumes from the last committed position.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rdkafka::consumer::ConsumerGroupMetadata;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::Producer as _;

use super::worker::Producer;
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};

use super::offsets::OffsetTracker;
use super::output::Output;

/// How long init, send-offsets, commit and abort may each take.
const TRANSACTION_CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// The transactional producer and the state of its open transaction.
pub struct Transactions {
    producer: Producer,
    /// Something entered the open transaction since the last commit.
    dirty: AtomicBool,
    /// The first error that ended transactional work.
    failure: Mutex<Option<KafkaError>>,
    failed: tokio::sync::Notify,
}

impl Transactions {
    /// Registers the transactional id (fencing any older producer with the
    /// same id and aborting its open transaction) and opens a transaction.
    pub fn begin(producer: Producer) -> Result<Transactions, KafkaError> {
        producer.init_transactions(TRANSACTION_CALL_TIMEOUT)?;
        producer.begin_transaction()?;
        Ok(Transactions {
            producer,
            dirty: AtomicBool::new(false),
            failure: Mutex::new(None),
            failed: tokio::sync::Notify::new(),
        })
    }

    /// Enqueues an output in the open transaction. The caller holds the
    /// tracker's lock, so no commit runs meanwhile. Blocks while
    /// librdkafka's queue is full.
    pub fn send(&self, output: &Output) -> Result<(), KafkaError> {
        if self.has_failed() {
            return Err(KafkaError::Canceled);
        }
        loop {
            // Delivery is confirmed by the commit, which fails if any
            // message of the transaction failed: the future is not needed.
            match self.producer.send_result(output.to_record()) {
                Ok(_delivery) => break,
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err((e, _)) => return Err(e),
            }
        }
        self.dirty.store(true, Ordering::Release);
        Ok(())
    }

    /// Marks the open transaction as having new positions to commit.
    pub fn touch(&self) {
        self.dirty.store(true, Ordering::Release);
    }

    /// Commits the open transaction with the tracker's positions and opens
    /// the next. The caller holds the tracker's lock. On failure the
    /// transaction is aborted and the error kept: see [`Transactions::failed`].
    pub fn commit<T>(&self, tracker: &OffsetTracker<T>, group: &ConsumerGroupMetadata) {
        if self.has_failed() || !self.dirty.swap(false, Ordering::AcqRel) {
            return;
        }
        let committed = self.try_commit(tracker, group);
        if let Err(e) = committed {
            tracing::error!(error = %e, "transaction failed: aborting it and stopping");
            if let Err(abort) = self.producer.abort_transaction(TRANSACTION_CALL_TIMEOUT) {
                tracing::error!(error = %abort, "transaction abort failed");
            }
            self.fail(e);
        }
    }

    fn try_commit<T>(
        &self,
        tracker: &OffsetTracker<T>,
        group: &ConsumerGroupMetadata,
    ) -> Result<(), KafkaError> {
        let mut positions = TopicPartitionList::new();
        for (topic, partition, position) in tracker.positions() {
            positions.add_partition_offset(topic, partition, Offset::Offset(position))?;
        }
        if positions.count() > 0 {
            self.producer.send_offsets_to_transaction(
                &positions,
                group,
                TRANSACTION_CALL_TIMEOUT,
            )?;
        }
        self.producer.commit_transaction(TRANSACTION_CALL_TIMEOUT)?;
        self.producer.begin_transaction()?;
        tracing::debug!(partitions = positions.count(), "transaction committed");
        Ok(())
    }

    /// Ends transactional work with `error`; the worker stops.
    pub fn fail(&self, error: KafkaError) {
        let mut failure = self.failure.lock().unwrap_or_else(|e| e.into_inner());
        if failure.is_none() {
            *failure = Some(error);
        }
        self.failed.notify_one();
    }

    pub fn has_failed(&self) -> bool {
        self.failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// Completes when transactional work has failed.
    pub async fn failed(&self) {
        if !self.has_failed() {
            self.failed.notified().await;
        }
    }

    /// The error that ended transactional work, if any.
    pub fn take_failure(&self) -> Option<KafkaError> {
        self.failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }
}
