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
fn no_benchmark_page_leaks_banner_text() {
    let Some(shared) = shared() else {
        return;
    };
    // 22 of the 181 pages carry a server-rendered banner (CookieLawInfo,
    // Cookie Notice, Soledad's GDPR bar, Vox's privacy notice, sputnik's,
    // rt's...; shared/research/cookies.md). None may leak, and no other page
    // either. The only "cookie" in the ground truth is a chocolate chip one.
    let banner = regex::Regex::new(concat!(
        r"(?i)\b(?:we use cookies|(?:site|website) uses cookies|use of cookies|cookie policy|",
        r"accept (?:all )?cookies|utilizziamo i cookie|opt-out if you wish|cookie settings|",
        r"by continuing to (?:use|browse)|consent to (?:the use of )?cookies)\b"
    ))
    .unwrap();
    let mut leaks = Vec::new();
    for path in common::files_in(&shared.join("bench/scrapinghub/html")) {
        let article = common::extract_bytes(&std::fs::read(&path).unwrap(), None).unwrap();
        if let Some(m) = banner.find(&article.text) {
            leaks.push(format!("{}: {:?}", path.display(), m.as_str()));
        }
    }
    assert!(leaks.is_empty(), "banner text leaked: {leaks:#?}");
}

#[test]
fn classification_dev_set_does_not_regress() {
    let Some(shared) = shared() else {
        return;
    };
    let classifier = newsworker::classify::Classifier::built_in().unwrap();
    // Honest figures: each article classified by weights fitted to the
    // other four fifths of geo-dev-v2 (the built-in weights were fitted to
    // all of it). Held at what is reached (issue 12's bars are higher).
    let r = newsworker::eval::geo::cross_validate(
        newsworker::eval::geo::LabelSet::whole(&shared.join("data/geo-dev-v2.jsonl")),
        &classifier,
        5,
        Default::default(),
        None,
    )
    .unwrap();
    assert_eq!(r.documents, 1264);
    assert!(
        r.topic_micro.f1 >= 0.69,
        "topic micro-F1 {:.3}",
        r.topic_micro.f1
    );
    assert!(
        r.any_topic.precision >= 0.85,
        "any-topic precision {:.3}",
        r.any_topic.precision
    );
    assert!(r.countries.f1 >= 0.85, "country F1 {:.3}", r.countries.f1);
    let (quiet, given_none) = r.quiet_sections;
    assert!(
        given_none as f64 >= 0.98 * quiet as f64,
        "{given_none} of {quiet} untopical sport, culture and science articles without topics"
    );
    // The v1 set with the built-in weights: countries as before.
    let v1 = newsworker::eval::geo::classification(
        newsworker::eval::geo::LabelSet::whole(&shared.join("data/geo-dev.jsonl")),
        &classifier,
        None,
    )
    .unwrap();
    assert_eq!(v1.documents, 182);
    assert!(v1.countries.f1 >= 0.91, "country F1 {:.3}", v1.countries.f1);
    assert!(
        v1.any_topic.precision >= 0.95,
        "any-topic precision {:.3}",
        v1.any_topic.precision
    );
}
