//! `newsworker eval dates`: publication dates scored as htmldate's own
//! evaluation scores them (`shared/bench/score_dates.py`): a date is right
//! when its day equals the reference; no date on a page that has one is a
//! false negative; a page without a reference and without a date counts as
//! both a true and a false negative, as htmldate counts it. Pages are
//! judged without their URL.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::EvalError;
use crate::extract::{self, Options, Page};

#[derive(Deserialize)]
struct Reference {
    #[serde(default)]
    date: Option<String>,
}

/// What `eval dates` reports.
#[derive(Debug, Clone, Default)]
pub struct DatesReport {
    pub pages: usize,
    pub true_positives: u32,
    pub false_positives: u32,
    pub false_negatives: u32,
    pub true_negatives: u32,
    /// Wrong dates one day from the reference: what a time-zone conversion does.
    pub off_by_one_day: u32,
    /// Pages extracted per CPU-second (decoding, parsing, extraction).
    pub pages_per_cpu_second: f64,
    /// Per page: key, reference day, the date found.
    pub per_page: Vec<(String, Option<String>, Option<String>)>,
}

impl DatesReport {
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    pub fn accuracy(&self) -> f64 {
        ratio(
            self.true_positives + self.true_negatives,
            self.true_positives + self.true_negatives + self.false_positives + self.false_negatives,
        )
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        0.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

/// Extracts every page of a dates dataset (`ground-truth.json` with
/// `{key: {"date": "YYYY-MM-DD" or null}}`, `html/<key>.html.gz`) and scores
/// the publication dates found. `now` is the time the pages are judged at
/// (dates after it are refused).
pub fn dates(
    dataset: &Path,
    now: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<DatesReport, EvalError> {
    let truth: BTreeMap<String, Reference> = super::read_json(&dataset.join("ground-truth.json"))?;
    let options = Options {
        now,
        ..Options::default()
    };
    let mut report = DatesReport {
        pages: truth.len(),
        ..DatesReport::default()
    };
    let mut cpu = 0.0;
    for (key, reference) in &truth {
        let bytes = super::read(&dataset.join("html").join(format!("{key}.html.gz")))?;
        let start = super::cpu_seconds();
        let article = extract::extract(
            Page {
                bytes: &bytes,
                url: None,
                charset: None,
            },
            &options,
        );
        cpu += super::cpu_seconds() - start;
        let found = article
            .ok()
            .and_then(|a| a.published_at)
            .map(|d| d.to_rfc3339());
        let day = found.as_deref().map(|d| d.get(..10).unwrap_or(d));
        let reference = reference.date.as_deref();
        match (day, reference) {
            (None, None) => {
                report.true_negatives += 1;
                report.false_negatives += 1;
            }
            (None, Some(_)) => report.false_negatives += 1,
            (Some(d), Some(r)) if d == r => report.true_positives += 1,
            (Some(d), r) => {
                report.false_positives += 1;
                if let Some(r) = r
                    && one_day_apart(d, r)
                {
                    report.off_by_one_day += 1;
                }
            }
        }
        report
            .per_page
            .push((key.clone(), reference.map(str::to_owned), found));
    }
    report.pages_per_cpu_second = truth.len() as f64 / cpu.max(1e-9);
    Ok(report)
}

fn one_day_apart(a: &str, b: &str) -> bool {
    let parse = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    matches!((parse(a), parse(b)), (Some(a), Some(b)) if (a - b).num_days().abs() == 1)
}
