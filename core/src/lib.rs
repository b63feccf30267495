//! newsworker-core: the pure core of newsworker. Page bytes become an
//! [`extract::Article`], [`classify`] tags it with topics, countries and
//! actors, and [`record`] shapes both into the schema-v1 record.
//!
//! Pure by construction: this crate depends on no network, Kafka, async
//! runtime or clock, and reads no files: the taxonomy, gazetteer, actors
//! and weights come in as text (the built-in ones are compiled in), and
//! the time a page is dated against comes in [`extract::Options`].

pub mod classify;
pub mod extract;
pub mod language;
pub mod record;
pub mod urlnorm;
