//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use newsworker::extract::{self, Article, Options, Page};
use newsworker::record::Record;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared`, next to the checkout, when it is there.
pub fn shared() -> Option<PathBuf> {
    let dir = repo().join("../shared");
    dir.is_dir().then_some(dir)
}

pub fn example_page(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("examples/pages").join(name)).expect("example page")
}

pub fn extract_bytes(
    bytes: &[u8],
    url: Option<&str>,
) -> Result<Article, newsworker::extract::ExtractError> {
    let url = url.map(|u| url::Url::parse(u).expect("test url"));
    extract::extract(
        Page {
            bytes,
            url: url.as_ref(),
            charset: None,
        },
        &Options::default(),
    )
}

/// The record schema, compiled once per test binary.
pub fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let text =
            std::fs::read_to_string(repo().join("docs/record.schema.json")).expect("schema file");
        let schema: serde_json::Value = serde_json::from_str(&text).expect("schema json");
        jsonschema::validator_for(&schema).expect("valid schema")
    })
}

/// Panics with every violation when `value` does not match the record schema.
pub fn assert_valid_record(value: &serde_json::Value) {
    let errors: Vec<String> = validator()
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "record violates docs/record.schema.json: {errors:#?}"
    );
}

pub fn record_json(article: Article, url: Option<&str>) -> serde_json::Value {
    let url = url.map(|u| url::Url::parse(u).expect("test url"));
    let geo = classifier().classify_article(&article, url.as_ref().map(url::Url::as_str));
    serde_json::to_value(Record::from_article(article, url.as_ref(), geo))
        .expect("record serialises")
}

/// The built-in classifier, compiled once for all tests of a binary.
pub fn classifier() -> &'static newsworker::classify::Classifier {
    static CLASSIFIER: std::sync::OnceLock<newsworker::classify::Classifier> =
        std::sync::OnceLock::new();
    CLASSIFIER.get_or_init(|| {
        newsworker::classify::Classifier::built_in().expect("built-in classifier loads")
    })
}

pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// The real broker `.ci/test` starts (`NEWSWORKER_TEST_BROKERS`); `None`,
/// with a line saying so, when a developer runs without one. Under CI its
/// absence is a failure, not a skip.
pub fn test_brokers() -> Option<String> {
    match std::env::var("NEWSWORKER_TEST_BROKERS") {
        Ok(b) if !b.is_empty() => Some(b),
        _ if std::env::var_os("CI").is_some() => {
            panic!(
                "NEWSWORKER_TEST_BROKERS is not set: run the suite with `bash .ci/test`, which starts the broker"
            )
        }
        _ => {
            eprintln!("skipped: no broker (NEWSWORKER_TEST_BROKERS); `bash .ci/test` starts one");
            None
        }
    }
}
