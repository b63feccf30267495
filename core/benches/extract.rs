//! Extraction speed beside bare parsing and dom_smoothie, on the same pages.
//!
//! `cargo bench -p newsworker-core --bench extract` runs the ScrapingHub benchmark pages from
//! `../shared/bench/scrapinghub/html` (or the bundled example pages when
//! that is absent). Each benchmark processes every page once per iteration,
//! so the throughput line reads as pages per second.

use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use newsworker_core::extract::{self, Options, Page, decode};

fn pages() -> Vec<Vec<u8>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let shared = root.join("../shared/bench/scrapinghub/html");
    let dir = if shared.is_dir() {
        shared
    } else {
        root.join("examples/pages")
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.to_string_lossy().contains(".htm"));
    files.sort();
    files
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .filter_map(|b| {
            decode::gunzip_if_needed(&b, extract::DEFAULT_MAX_BYTES)
                .ok()
                .map(|b| b.into_owned())
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let pages = pages();
    let texts: Vec<String> = pages
        .iter()
        .filter_map(|b| {
            decode::decode_html(b, None)
                .ok()
                .map(|d| d.text.to_string())
        })
        .collect();
    let options = Options::default();
    let mut group = c.benchmark_group("pages");
    group.throughput(Throughput::Elements(pages.len() as u64));
    group.sample_size(10);
    group.bench_function("bare_parse", |b| {
        b.iter(|| {
            for text in &texts {
                std::hint::black_box(scraper::Html::parse_document(text));
            }
        })
    });
    group.bench_function("newsworker_extract", |b| {
        b.iter(|| {
            for bytes in &pages {
                let _ = std::hint::black_box(extract::extract(
                    Page {
                        bytes,
                        url: None,
                        charset: None,
                    },
                    &options,
                ));
            }
        })
    });
    group.bench_function("dom_smoothie", |b| {
        b.iter(|| {
            for text in &texts {
                if let Ok(mut readability) =
                    dom_smoothie::Readability::new(text.as_str(), None, None)
                {
                    let _ = std::hint::black_box(readability.parse());
                }
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
