//! The Kafka edge: messages in, records and dead letters out.
//!
//! [`message`], [`offsets`], [`output`], [`dedup`] and [`dead_letter`] are pure and
//! unit-tested; [`worker`] wires them to rdkafka's consumer and producer,
//! and [`transaction`] to Kafka transactions under exactly-once.

pub mod dead_letter;
pub mod dedup;
pub mod logs;
pub mod message;
pub mod offsets;
pub mod output;
pub mod transaction;
pub mod worker;

pub use worker::{Worker, WorkerError};
