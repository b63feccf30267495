//! The Kafka edge: messages in, records and dead letters out.
//!
//! [`message`], [`offsets`] and [`dead_letter`] are pure and unit-tested;
//! [`worker`] wires them to rdkafka's consumer and producer.

pub mod dead_letter;
pub mod message;
pub mod offsets;
pub mod worker;

pub use worker::{Worker, WorkerError};
