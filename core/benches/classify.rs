//! Classification speed: articles per second on one core, language
//! detection included, for 5 KB articles.
//!
//! `cargo bench -p newsworker-core --bench classify`. The articles are the bundled plain-text
//! ones (the seed's paragraphs, and the example pages' texts in German,
//! Polish, French and Spanish), each cut or repeated to 5,000 bytes. Each
//! iteration classifies every article once, so the throughput line reads
//! as articles per second; the build of the matchers is outside the loop,
//! as in the worker, which builds them once at start-up.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use newsworker_core::classify::Classifier;

#[path = "common/articles.rs"]
mod articles;

fn bench(c: &mut Criterion) {
    let classifier = Classifier::built_in().expect("built-in classifier");
    let articles = articles::articles().expect("the bundled articles");
    let mut group = c.benchmark_group("classify_5kb");
    group.throughput(Throughput::Elements(articles.len() as u64));
    // What `classify` and `eval classification` do: detect, then classify.
    group.bench_function("language_and_geo", |b| {
        b.iter(|| {
            for text in &articles {
                black_box(classifier.classify_text("", black_box(text)));
            }
        })
    });
    // What the worker does: the extractor has already named the language.
    let languages: Vec<Option<&str>> = articles
        .iter()
        .map(|text| classifier.classify_text("", text).0)
        .collect();
    group.bench_function("geo_given_language", |b| {
        b.iter(|| {
            for (text, language) in articles.iter().zip(&languages) {
                black_box(classifier.classify("", black_box(text), *language));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
