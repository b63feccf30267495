//! `newsworker eval`: the quality and speed figures the README quotes,
//! computed on the benchmark sets in `shared/bench`.

pub mod dates;
pub mod geo;
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
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot parse {path}: {source}")]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
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
    /// Scores of the record's `text`, as delivered.
    pub scores: Scores,
    /// Scores of `text` followed by the embedded posts' text: the benchmark's
    /// ground truth keeps embedded tweets in the body, our records move them
    /// to `embeds`.
    pub scores_with_embeds: Scores,
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
    fs::read(path).map_err(|source| EvalError::Read {
        path: path.to_owned(),
        source,
    })
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, EvalError> {
    serde_json::from_slice(&read(path)?).map_err(|source| EvalError::Json {
        path: path.to_owned(),
        source,
    })
}

/// CPU time of the calling thread, in seconds (precise to the nanosecond,
/// unlike `getrusage`'s tick accounting).
pub fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes into the timespec we pass it.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0.0;
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

/// CPU time of the whole process (user + system, every thread), in
/// seconds: what a user pays for a run.
pub fn process_cpu_seconds() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage only writes into the struct we pass it.
    let usage = unsafe {
        if libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) != 0 {
            return 0.0;
        }
        usage.assume_init()
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// Timing rounds: each page's bare parse and extraction are timed side by
/// side, and each keeps its fastest round, so machine noise hits both alike.
pub const TIMING_ROUNDS: usize = 4;

/// Runs the extractor over a ScrapingHub-style dataset (`ground-truth.json`
/// and `html/<id>.html.gz`) and scores it. `predictions` receives the texts.
pub fn extraction(
    dataset: &Path,
    predictions: Option<&Path>,
    rounds: usize,
) -> Result<ExtractionReport, EvalError> {
    let truth: BTreeMap<String, TruthItem> = read_json(&dataset.join("ground-truth.json"))?;
    let options = Options::default();
    // Pages are stored gzipped; both timings below start from the inflated
    // bytes, so decompression (an artefact of storage) is in neither.
    let mut pages = Vec::with_capacity(truth.len());
    for id in truth.keys() {
        let path = dataset.join("html").join(format!("{id}.html.gz"));
        let raw = read(&path)?;
        let inflated = extract::decode::gunzip_if_needed(&raw, options.max_bytes)
            .map(|b| b.into_owned())
            .unwrap_or(raw);
        pages.push(inflated);
    }

    let urls: Vec<Option<url::Url>> = truth
        .values()
        .map(|t| t.url.as_deref().and_then(|u| url::Url::parse(u).ok()))
        .collect();
    let extract_page = |i: usize| {
        extract::extract(
            Page {
                bytes: &pages[i],
                url: urls[i].as_ref(),
                charset: None,
            },
            &options,
        )
    };
    // One-time set-up (compiling the pattern tables) is not per-page work.
    let _ = extract_page(0);

    let mut outputs: Vec<Option<extract::Article>> = vec![None; pages.len()];
    let mut best_parse = vec![f64::INFINITY; pages.len()];
    let mut best_extract = vec![f64::INFINITY; pages.len()];
    for round in 0..rounds.max(1) {
        for i in 0..pages.len() {
            // Bare parsing starts from the decoded text, as a caller of scraper would.
            let text = extract::decode::decode_html(&pages[i], None)
                .map(|d| d.text.to_string())
                .unwrap_or_default();
            let time_parse = |best: &mut f64| {
                let start = cpu_seconds();
                std::hint::black_box(scraper::Html::parse_document(&text));
                *best = best.min(cpu_seconds() - start);
            };
            // Alternate which goes first, so neither gains from a warm cache.
            if round % 2 == 1 {
                time_parse(&mut best_parse[i]);
            }
            let start = cpu_seconds();
            let result = extract_page(i);
            best_extract[i] = best_extract[i].min(cpu_seconds() - start);
            outputs[i] = result.ok();
            if round % 2 == 0 {
                time_parse(&mut best_parse[i]);
            }
        }
    }
    let parse_cpu_s: f64 = best_parse.iter().sum();
    let extract_cpu_s: f64 = best_extract.iter().sum();

    let mut counts: Vec<PageCounts> = Vec::with_capacity(truth.len());
    let mut counts_with_embeds: Vec<PageCounts> = Vec::with_capacity(truth.len());
    let mut per_page = Vec::new();
    let mut out_json = serde_json::Map::new();
    for ((id, item), output) in truth.iter().zip(&outputs) {
        let text = output.as_ref().map_or("", |a| a.text.as_str());
        let c = metric::compare(&item.article_body, text);
        per_page.push((id.clone(), c.precision(), c.recall()));
        counts.push(c);
        let mut with_embeds = text.to_owned();
        for embed in output.iter().flat_map(|a| &a.embeds) {
            if let Some(t) = &embed.text {
                with_embeds.push_str("\n\n");
                with_embeds.push_str(t);
            }
        }
        counts_with_embeds.push(metric::compare(&item.article_body, &with_embeds));
        out_json.insert(id.clone(), serde_json::json!({ "articleBody": text }));
    }
    if let Some(path) = predictions {
        let body = serde_json::to_vec_pretty(&out_json).map_err(|source| EvalError::Json {
            path: path.to_owned(),
            source,
        })?;
        fs::write(path, body).map_err(|source| EvalError::Write {
            path: path.to_owned(),
            source,
        })?;
    }
    Ok(ExtractionReport {
        scores: metric::aggregate(&counts),
        scores_with_embeds: metric::aggregate(&counts_with_embeds),
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
    /// F1 of the same base articles extracted from their banner-free pages:
    /// the banner must not make it drop.
    pub f1_base_pages: Option<f64>,
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
        let text = extract::extract(
            Page {
                bytes: &bytes,
                url: None,
                charset: None,
            },
            &options,
        )
        .map(|a| a.text)
        .unwrap_or_default();
        let words = word_key(&text);
        if item
            .must_not_contain
            .iter()
            .any(|s| words.contains(&word_key(s)))
        {
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
    let (mut f1_vs_base, mut f1_base_pages) = (None, None);
    if let Some(path) = truth.filter(|p| p.exists()) {
        let truth: BTreeMap<String, TruthItem> = read_json(path)?;
        let base_html = path.parent().map(|d| d.join("html"));
        let mut with_banner = Vec::new();
        let mut without_banner = Vec::new();
        for (key, item) in &manifest {
            let t = truth
                .get(&item.base)
                .map_or("", |t| t.article_body.as_str());
            with_banner.push(metric::compare(
                t,
                texts.get(key).map_or("", String::as_str),
            ));
            if let Some(dir) = &base_html {
                let bytes = read(&dir.join(format!("{}.html.gz", item.base)))?;
                let url = truth
                    .get(&item.base)
                    .and_then(|t| t.url.as_deref())
                    .and_then(|u| url::Url::parse(u).ok());
                let base_text = extract::extract(
                    Page {
                        bytes: &bytes,
                        url: url.as_ref(),
                        charset: None,
                    },
                    &options,
                )
                .map(|a| a.text)
                .unwrap_or_default();
                without_banner.push(metric::compare(t, &base_text));
            }
        }
        f1_vs_base = Some(metric::aggregate(&with_banner).f1);
        if without_banner.len() == with_banner.len() {
            f1_base_pages = Some(metric::aggregate(&without_banner).f1);
        }
    }
    Ok(ConsentReport {
        pages: manifest.len(),
        leaks,
        controls,
        controls_lost: lost,
        f1_vs_base,
        f1_base_pages,
    })
}
