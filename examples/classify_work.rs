//! Classification work per article, for machines too noisy to time it:
//! classifies the benchmark's 5 KB articles (the bundled texts, as
//! `benches/classify.rs` builds them) `N` times, language detection
//! included. Count instructions with and without the loop and divide:
//!
//! ```text
//! cargo build --release --example classify_work
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/classify_work 0
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/classify_work 20
//! ```
//!
//! (the difference of the two "Collected" counts, over 20 x 6 articles).

use std::path::PathBuf;

use anyhow::{Context, Result};
use newsworker::classify::Classifier;
use newsworker::extract::{self, Options, Page};

/// The size the speed target is stated for.
const ARTICLE_BYTES: usize = 5_000;

fn main() -> Result<()> {
    let rounds: usize = std::env::args()
        .nth(1)
        .context("usage: classify_work ROUNDS")?
        .parse()
        .context("ROUNDS must be a whole number")?;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/pages");
    let mut texts = vec![std::fs::read_to_string(root.join("seed-paragraphs.txt"))?];
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&root)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    for page in pages {
        let bytes = std::fs::read(&page)?;
        let page = Page {
            bytes: &bytes,
            url: None,
            charset: None,
        };
        texts.push(extract::extract(page, &Options::default())?.text);
    }
    let texts: Vec<String> = texts.iter().map(|t| to_size(t, ARTICLE_BYTES)).collect();
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

/// The text repeated or cut (at a char boundary) to `bytes`.
fn to_size(text: &str, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 4);
    while out.len() < bytes {
        out.push_str(text);
        out.push_str("\n\n");
    }
    let mut end = bytes;
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    out.truncate(end);
    out
}
