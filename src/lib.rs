//! newsworker: news URLs in, clean, geopolitically tagged article records out.
//!
//! The pure core is its own crate, [`newsworker_core`]: extraction
//! ([`extract`]), classification ([`classify`]) and the record ([`record`]),
//! re-exported here. This crate is the service around it: fetching
//! ([`fetch`]), the pipeline ([`pipeline`]), Kafka ([`kafka`]), URL
//! discovery from feeds and sitemaps ([`discover`]), the commands, configuration, metrics and the embedded mode.

pub use newsworker_core::{classify, extract, language, record, urlnorm};

pub mod cli;
pub mod commands;
pub mod config;
pub mod cpu_pool;
pub mod data_files;
pub mod discover;
pub mod embedded;
pub mod eval;
pub mod fetch;
pub mod kafka;
pub mod metrics;
pub mod pipeline;
