//! newsworker: news URLs in, clean, geopolitically tagged article records out.
//!
//! The pure core ([`extract`]) turns page bytes into an [`extract::Article`];
//! [`record`] shapes it into the schema-v1 record. I/O lives at the edges
//! ([`commands`], [`eval`]); the pure modules never import them.

pub mod classify;
pub mod commands;
pub mod config;
pub mod embedded;
pub mod error;
pub mod eval;
pub mod extract;
pub mod fetch;
pub mod kafka;
pub mod metrics;
pub mod pipeline;
pub mod record;
pub mod urlnorm;
