//! Classification work per article, for machines too noisy to time it:
//! classifies the benchmark's 5 KB articles (the bundled texts, as
//! `core/benches/classify.rs` builds them) `N` times, language detection
//! included. Count instructions with and without the loop and divide:
//!
//! ```text
//! cargo build --release --example classify_work
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/classify_work 0
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/classify_work 20
//! ```
//!
//! (the difference of the two "Collected" counts, over 20 x 6 articles).

use anyhow::{Context, Result, anyhow};
use newsworker::classify::Classifier;

#[path = "../core/benches/common/articles.rs"]
mod articles;

fn main() -> Result<()> {
    let rounds: usize = std::env::args()
        .nth(1)
        .context("usage: classify_work ROUNDS")?
        .parse()
        .context("ROUNDS must be a whole number")?;
    let texts = articles::articles().map_err(|e| anyhow!(e))?;
    let classifier = Classifier::built_in()?;
    let mut topics = 0;
    for _ in 0..rounds {
        for text in &texts {
            topics += classifier.classify_text("", text).1.topics.len();
        }
    }
    println!("{} articles, {topics} topics", rounds * texts.len());
    Ok(())
}
