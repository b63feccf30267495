//! Classification speed: articles per second on one core, language
//! detection included, for 5 KB articles.
//!
//! `cargo bench --bench classify`. The articles are the bundled plain-text
//! ones (the seed's paragraphs, and the example pages' texts in German,
//! Polish, French and Spanish), each cut or repeated to 5,000 bytes. Each
//! iteration classifies every article once, so the throughput line reads
//! as articles per second; the build of the matchers is outside the loop,
//! as in the worker, which builds them once at start-up.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use newsworker::classify::Classifier;
use newsworker::extract::{self, Options, Page};

/// Article size the target is stated for.
const ARTICLE_BYTES: usize = 5_000;

fn articles() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/pages");
    let mut texts =
        vec![std::fs::read_to_string(root.join("seed-paragraphs.txt")).expect("seed paragraphs")];
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("examples/pages")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    for page in pages {
        let bytes = std::fs::read(&page).expect("example page");
        let page = Page {
            bytes: &bytes,
            url: None,
            charset: None,
        };
        if let Ok(article) = extract::extract(page, &Options::default()) {
            texts.push(article.text);
        }
    }
    texts
        .into_iter()
        .map(|t| to_size(&t, ARTICLE_BYTES))
        .collect()
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

fn bench(c: &mut Criterion) {
    let classifier = Classifier::built_in().expect("built-in classifier");
    let articles = articles();
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
