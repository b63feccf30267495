//! `newsworker eval`: the quality and speed figures the README quotes,
//! computed on the benchmark sets in `shared/bench`.

pub mod metric;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

use crate::extract::{self, Options, Page};
use metric::{PageCounts, Scores};

/// Why an evaluation could not run.
#[derive(Debug, Error)]
pub enum EvalError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot parse {path}: {source}")]
    Json { path: PathBuf, source: serde_json::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

#[derive(Deserialize)]
struct TruthItem {
    #[serde(rename = "articleBody", default)]
    article_body: String,
    #[serde(default)]
    url: Option<String>,
}

/// Results of `eval extraction`.
#[derive(Debug, Clone)]
pub struct ExtractionReport {
    pub scores: Scores,
    pub pages: usize,
    pub failures: usize,
    /// CPU seconds spent extracting, and spent by bare parsing of the same pages.
    pub extract_cpu_s: f64,
    pub parse_cpu_s: f64,
    /// Per page: id, precision, recall.
    pub per_page: Vec<(String, f64, f64)>,
}

impl ExtractionReport {
    pub fn pages_per_cpu_second(&self) -> f64 {
        self.pages as f64 / self.extract_cpu_s.max(1e-9)
    }

    pub fn parse_pages_per_cpu_second(&self) -> f64 {
        self.pages as f64 / self.parse_cpu_s.max(1e-9)
    }
}

fn read(path: &Path) -> Result<Vec<u8>, EvalError> {
    fs::read(path).map_err(|source| EvalError::Read { path: path.to_owned(), source })
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, EvalError> {
    serde_json::from_slice(&read(path)?).map_err(|source| EvalError::Json { path: path.to_owned(), source })
}

/// Process CPU time (user + system), in seconds.
pub fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the struct we pass it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF with a valid pointer is always defined.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    if rc != 0 {
        return 0.0;
    }
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Runs the extractor over a ScrapingHub-style dataset (`ground-truth.json`
/// and `html/<id>.html.gz`) and scores it. `predictions` receives the texts.
pub fn extraction(dataset: &Path, predictions: Option<&Path>) -> Result<ExtractionReport, EvalError> {
    let truth: BTreeMap<String, TruthItem> = read_json(&dataset.join("ground-truth.json"))?;
    let mut pages = Vec::with_capacity(truth.len());
    for id in truth.keys() {
        pages.push(read(&dataset.join("html").join(format!("{id}.html.gz")))?);
    }
    let options = Options::default();

    // Bare parsing of the same pages, for the speed ratio.
    let decoded: Vec<String> = pages
        .iter()
        .filter_map(|bytes| {
            let raw = extract::decode::gunzip_if_needed(bytes, options.max_bytes).ok()?;
            extract::decode::decode_html(&raw, None).ok().map(|d| d.text)
        })
        .collect();
    let start = cpu_seconds();
    for text in &decoded {
        std::hint::black_box(scraper::Html::parse_document(text));
    }
    let parse_cpu_s = cpu_seconds() - start;

    let urls: Vec<Option<url::Url>> = truth
        .values()
        .map(|t| t.url.as_deref().and_then(|u| url::Url::parse(u).ok()))
        .collect();
    let start = cpu_seconds();
    let outputs: Vec<Option<String>> = pages
        .iter()
        .zip(&urls)
        .map(|(bytes, url)| {
            extract::extract(Page { bytes, url: url.as_ref(), charset: None }, &options)
                .ok()
                .map(|a| a.text)
        })
        .collect();
    let extract_cpu_s = cpu_seconds() - start;

    let mut counts: Vec<PageCounts> = Vec::with_capacity(truth.len());
    let mut per_page = Vec::new();
    let mut out_json = serde_json::Map::new();
    for ((id, item), output) in truth.iter().zip(&outputs) {
        let text = output.as_deref().unwrap_or("");
        let c = metric::compare(&item.article_body, text);
        per_page.push((id.clone(), c.precision(), c.recall()));
        counts.push(c);
        out_json.insert(id.clone(), serde_json::json!({ "articleBody": text }));
    }
    if let Some(path) = predictions {
        let body = serde_json::to_vec_pretty(&out_json).map_err(|source| EvalError::Json { path: path.to_owned(), source })?;
        fs::write(path, body).map_err(|source| EvalError::Write { path: path.to_owned(), source })?;
    }
    Ok(ExtractionReport {
        scores: metric::aggregate(&counts),
        pages: pages.len(),
        failures: outputs.iter().filter(|o| o.is_none()).count(),
        extract_cpu_s,
        parse_cpu_s,
        per_page,
    })
}

#[derive(Deserialize)]
struct ConsentItem {
    base: String,
    must_not_contain: Vec<String>,
    #[serde(default)]
    must_contain: Vec<String>,
}

/// Results of `eval consent`.
#[derive(Debug, Clone)]
pub struct ConsentReport {
    pub pages: usize,
    pub leaks: Vec<String>,
    pub controls: usize,
    pub controls_lost: usize,
    /// Shingle F1 against the base articles, when their ground truth is found.
    pub f1_vs_base: Option<f64>,
}

fn word_key(s: &str) -> String {
    metric::words(&s.to_lowercase()).join(" ")
}

/// Runs the extractor over the consent corpus (`manifest.json`, `html/`) and
/// counts banner sentences that survive. `truth` is the base articles' ground truth.
pub fn consent(dataset: &Path, truth: Option<&Path>) -> Result<ConsentReport, EvalError> {
    let manifest: BTreeMap<String, ConsentItem> = read_json(&dataset.join("manifest.json"))?;
    let options = Options::default();
    let mut leaks = Vec::new();
    let (mut controls, mut lost) = (0, 0);
    let mut texts = BTreeMap::new();
    for (key, item) in &manifest {
        let bytes = read(&dataset.join("html").join(format!("{key}.html.gz")))?;
        let text = extract::extract(Page { bytes: &bytes, url: None, charset: None }, &options)
            .map(|a| a.text)
            .unwrap_or_default();
        let words = word_key(&text);
        if item.must_not_contain.iter().any(|s| words.contains(&word_key(s))) {
            leaks.push(key.clone());
        }
        for s in &item.must_contain {
            controls += 1;
            if !words.contains(&word_key(s)) {
                lost += 1;
            }
        }
        texts.insert(key.clone(), text);
    }
    let f1_vs_base = match truth {
        Some(path) if path.exists() => {
            let truth: BTreeMap<String, TruthItem> = read_json(path)?;
            let counts: Vec<PageCounts> = manifest
                .iter()
                .map(|(key, item)| {
                    let t = truth.get(&item.base).map_or("", |t| t.article_body.as_str());
                    metric::compare(t, texts.get(key).map_or("", String::as_str))
                })
                .collect();
            Some(metric::aggregate(&counts).f1)
        }
        _ => None,
    };
    Ok(ConsentReport { pages: manifest.len(), leaks, controls, controls_lost: lost, f1_vs_base })
}
