//! Any bytes through the whole extraction engine: decode, prescan, parse,
//! clean, render, metadata, then classification. Run with
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run extract -- -max_total_time=600`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsworker_core::extract::{Options, Page, extract};

static CLASSIFIER: std::sync::LazyLock<newsworker_core::classify::Classifier> =
    std::sync::LazyLock::new(|| newsworker_core::classify::Classifier::built_in().expect("built-in classifier"));

fuzz_target!(|data: &[u8]| {
    let url = url::Url::parse("https://news.example.com/world/2023/07/12/article").ok();
    // A small limit keeps the fuzzer on structure rather than size.
    let options = Options { max_bytes: 1 << 20, ..Options::default() };
    if let Ok(article) = extract(Page { bytes: data, url: url.as_ref(), charset: None }, &options) {
        assert!(!article.text.trim().is_empty());
        let geo = CLASSIFIER.classify_article(&article, None);
        let record = newsworker_core::record::Record::from_article(article, url.as_ref(), geo);
        assert!(serde_json::to_string(&record).is_ok());
    }
});
