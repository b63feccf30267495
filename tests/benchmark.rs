//! The quality bars on the shared benchmark sets, when `../shared` is there
//! (CI lays it beside the checkout). Speed is not asserted here: it is
//! measured by `newsworker eval` and `cargo bench`, and reported.

mod common;

use common::{assert_valid_record, record_json, shared};

#[test]
fn scrapinghub_main_text_meets_the_bar() {
    let Some(shared) = shared() else {
        eprintln!("../shared not found: skipping the benchmark bars");
        return;
    };
    let report = newsworker::eval::extraction(&shared.join("bench/scrapinghub"), None, 1).unwrap();
    let s = report.scores;
    eprintln!(
        "f1={:.4} precision={:.4} recall={:.4}",
        s.f1, s.precision, s.recall
    );
    assert_eq!(report.failures, 0);
    assert!(s.f1 >= 0.975, "F1 {:.4} under 0.975", s.f1);
    assert!(
        s.precision >= 0.96,
        "precision {:.4} under 0.96",
        s.precision
    );
    assert!(s.recall >= 0.98, "recall {:.4} under 0.98", s.recall);
}

#[test]
fn consent_banners_never_leak_and_cost_no_f1() {
    let Some(shared) = shared() else {
        return;
    };
    let report = newsworker::eval::consent(
        &shared.join("bench/consent"),
        Some(&shared.join("bench/scrapinghub/ground-truth.json")),
    )
    .unwrap();
    assert!(
        report.leaks.is_empty(),
        "banner text leaked on {:?}",
        report.leaks
    );
    assert_eq!(report.controls_lost, 0);
    let (with, without) = (report.f1_vs_base.unwrap(), report.f1_base_pages.unwrap());
    assert!(
        with >= without - 1e-9,
        "the banners cost F1: {with:.4} < {without:.4}"
    );
}

#[test]
fn every_benchmark_record_matches_the_schema() {
    let Some(shared) = shared() else {
        return;
    };
    for path in common::files_in(&shared.join("bench/scrapinghub/html")) {
        let bytes = std::fs::read(&path).unwrap();
        let article = common::extract_bytes(&bytes, Some("https://example.com/article")).unwrap();
        assert_valid_record(&record_json(article, Some("https://example.com/article")));
    }
}

#[test]
fn real_banner_pages_leak_nothing() {
    let Some(shared) = shared() else {
        return;
    };
    // The 22 pages of the benchmark that carry a server-rendered banner
    // (shared/research/cookies.md), by id prefix.
    let ids = [
        "30b771a40a4e",
        "612cd2982662",
        "0e014df693f1",
        "4219d096902d",
        "20b2b64916b0",
        "b6fb53e9fb04",
        "16c30add7e96",
        "785affa2c34e",
        "6a72de37e8f9",
        "4a44ab3e4c41",
        "1f765c487806",
        "39d5c43beb60",
        "c90731f051d0",
        "b0cf2bbf0192",
        "e1c7023ee214",
    ];
    let banner_words = regex::Regex::new(
        r"(?i)\b(?:we use cookies|uses cookies|use of cookies|cookie policy|accept (?:all )?cookies|utilizziamo i cookie|opt-out if you wish)\b",
    )
    .unwrap();
    let dir = shared.join("bench/scrapinghub/html");
    for path in common::files_in(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !ids.iter().any(|id| name.starts_with(id)) {
            continue;
        }
        let article = common::extract_bytes(&std::fs::read(&path).unwrap(), None).unwrap();
        assert!(
            !banner_words.is_match(&article.text),
            "{name} leaks: {}",
            article.text
        );
    }
}
