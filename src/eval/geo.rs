//! `newsworker eval classification`: the metrics of
//! `shared/bench/score_geo.py` on a labelled set, computed in-process.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::EvalError;
use crate::classify::{Classifier, Geo};
use crate::error::ExtractError;
use crate::extract::{self, Options, Page};
use url::Url;

#[derive(Deserialize)]
struct Label {
    id: String,
    source: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    optional_topics: Vec<String>,
    #[serde(default)]
    countries: Vec<String>,
}

/// One labelled article, as the classifier reads it.
struct Document {
    title: String,
    body: String,
    /// From the page's markup, when the source is HTML.
    language: Option<String>,
}

/// An entry of a ground-truth file keyed by id: ScrapingHub's `articleBody`,
/// or a `text`/`body` with a `headline`/`title`.
fn from_json(entry: &serde_json::Value) -> Document {
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| entry[*n].as_str())
            .unwrap_or("")
            .to_owned()
    };
    Document {
        title: field(&["headline", "title"]),
        body: field(&["articleBody", "text", "body"]),
        language: None,
    }
}

/// A plain text file: the first line is the title.
fn from_text(text: &str) -> Document {
    let (title, body) = text.split_once('\n').unwrap_or(("", text));
    Document {
        title: title.to_owned(),
        body: body.to_owned(),
        language: None,
    }
}

/// A saved page goes through the extractor first, as a fetched one does.
fn from_html(bytes: &[u8], url: Option<&str>) -> Result<Document, ExtractError> {
    let url = url.and_then(|u| Url::parse(u).ok());
    let page = Page {
        bytes,
        url: url.as_ref(),
        charset: None,
    };
    let article = extract::extract(page, &Options::default())?;
    Ok(Document {
        title: article.title.unwrap_or_default(),
        body: article.text,
        // "en-GB" is English: the taxonomy's terms are grouped by language.
        language: article
            .language
            .and_then(|l| l.split(['-', '_']).next().map(str::to_ascii_lowercase)),
    })
}

fn looks_like_html(source: &str, bytes: &[u8]) -> bool {
    let lower = source.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        return true;
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// Precision, recall and F1 of one count triple.
#[derive(Debug, Clone, Copy, Default)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn prf(tp: u32, fp: u32, fn_: u32) -> Prf {
    let p = if tp + fp > 0 {
        f64::from(tp) / f64::from(tp + fp)
    } else {
        0.0
    };
    let r = if tp + fn_ > 0 {
        f64::from(tp) / f64::from(tp + fn_)
    } else {
        0.0
    };
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    Prf {
        precision: p,
        recall: r,
        f1,
    }
}

/// What `eval classification` reports.
#[derive(Debug, Clone, Default)]
pub struct GeoReport {
    pub documents: usize,
    pub topic_micro: Prf,
    /// Mean F1 over topics with at least 3 labelled documents.
    pub topic_macro_f1: f64,
    pub macro_topics: usize,
    pub any_topic: Prf,
    pub countries: Prf,
    /// Per topic: (id, support, scores).
    pub per_topic: Vec<(String, u32, Prf)>,
    /// Articles classified per CPU-second (language detection included).
    pub docs_per_cpu_second: f64,
    /// One line per document whose topics or countries differ from the labels.
    pub mistakes: Vec<String>,
}

/// Classifies every labelled document and scores it. Sources are paths
/// relative to the labels file's parent folder (`shared/`); a source that
/// is a ScrapingHub ground-truth file is looked up by id.
pub fn classification(labels_path: &Path, output: Option<&Path>) -> Result<GeoReport, EvalError> {
    let text = std::fs::read_to_string(labels_path).map_err(|source| EvalError::Read {
        path: labels_path.to_owned(),
        source,
    })?;
    // Sources are relative to `shared/` (the labels file's grandparent), as
    // in the dev set, or else to the labels file's own folder.
    let labels_dir = labels_path.parent().unwrap_or(Path::new("."));
    let shared_root = labels_dir.parent().unwrap_or(Path::new("."));
    let mut labels = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let label: Label = serde_json::from_str(line).map_err(|source| EvalError::Json {
            path: labels_path.to_owned(),
            source,
        })?;
        labels.push(label);
    }
    let mut bodies: HashMap<String, serde_json::Value> = HashMap::new();
    let mut documents: Vec<Document> = Vec::new();
    for label in &labels {
        let path = [
            shared_root.join(&label.source),
            labels_dir.join(&label.source),
        ]
        .into_iter()
        .find(|p| p.exists())
        .unwrap_or_else(|| shared_root.join(&label.source));
        let document = if label.source.ends_with(".json") {
            let json = match bodies.get(&label.source) {
                Some(v) => v,
                None => {
                    let v: serde_json::Value = super::read_json(&path)?;
                    bodies.entry(label.source.clone()).or_insert(v)
                }
            };
            from_json(&json[&label.id])
        } else {
            let bytes = super::read(&path)?;
            if looks_like_html(&label.source, &bytes) {
                from_html(&bytes, label.url.as_deref())
                    .map_err(|e| EvalError::Invalid(format!("{}: {e}", path.display())))?
            } else {
                from_text(&String::from_utf8_lossy(&bytes))
            }
        };
        documents.push(document);
    }

    let classifier = Classifier::built_in().map_err(|e| EvalError::Invalid(e.to_string()))?;
    let start = super::cpu_seconds();
    // With the language the classifier used: the page's markup named it, as
    // the worker's pages do, or it was detected.
    let geos: Vec<(Option<String>, Geo)> = documents
        .iter()
        .map(|d| match &d.language {
            Some(language) => (
                Some(language.clone()),
                classifier.classify(&d.title, &d.body, Some(language)),
            ),
            None => {
                let (language, geo) = classifier.classify_text(&d.title, &d.body);
                (language.map(str::to_owned), geo)
            }
        })
        .collect();
    let cpu = super::cpu_seconds() - start;
    let predictions: Vec<(HashSet<String>, HashSet<String>)> = geos
        .iter()
        .map(|(_, geo)| {
            (
                geo.topics.iter().map(|t| t.id.clone()).collect(),
                geo.countries.iter().map(|c| c.code.clone()).collect(),
            )
        })
        .collect();
    if let Some(output) = output {
        let map: serde_json::Map<String, serde_json::Value> = labels
            .iter()
            .zip(&predictions)
            .map(|(label, (topics, countries))| {
                let mut topics: Vec<&String> = topics.iter().collect();
                let mut countries: Vec<&String> = countries.iter().collect();
                topics.sort();
                countries.sort();
                (
                    label.id.clone(),
                    serde_json::json!({ "topics": topics, "countries": countries }),
                )
            })
            .collect();
        let json = serde_json::to_string_pretty(&map).map_err(|source| EvalError::Json {
            path: output.to_owned(),
            source,
        })?;
        std::fs::write(output, json).map_err(|source| EvalError::Write {
            path: output.to_owned(),
            source,
        })?;
    }
    // Why each topic scored what it did, below the threshold too.
    let evidence: Vec<String> = documents
        .iter()
        .zip(&geos)
        .map(|(d, (lang, _))| {
            classifier
                .topic_matcher()
                .scores(&d.title, &d.body, lang.as_deref())
                .iter()
                .map(|t| {
                    let terms: Vec<String> = t
                        .evidence
                        .iter()
                        .map(|e| format!("{}x{}", e.term, e.count))
                        .collect();
                    format!("{}={:.2}[{}]", t.id, t.score, terms.join(","))
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();

    let mut per: BTreeMap<String, [u32; 3]> = BTreeMap::new();
    let mut support: BTreeMap<String, u32> = BTreeMap::new();
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let (mut any_tp, mut any_fp, mut any_fn) = (0, 0, 0);
    let (mut ctp, mut cfp, mut cfn) = (0, 0, 0);
    let mut mistakes = Vec::new();
    for ((label, (topics, countries)), why) in labels.iter().zip(&predictions).zip(&evidence) {
        for t in &label.topics {
            *support.entry(t.clone()).or_default() += 1;
        }
        let gold: HashSet<&String> = label.topics.iter().collect();
        let optional: HashSet<&String> = label.optional_topics.iter().collect();
        let got: HashSet<&String> = topics.iter().filter(|t| !optional.contains(t)).collect();
        for t in got.union(&gold) {
            let counts = per.entry((*t).clone()).or_default();
            match (got.contains(t), gold.contains(t)) {
                (true, true) => {
                    tp += 1;
                    counts[0] += 1;
                }
                (true, false) => {
                    fp += 1;
                    counts[1] += 1;
                }
                _ => {
                    fn_ += 1;
                    counts[2] += 1;
                }
            }
        }
        match (!gold.is_empty(), !got.is_empty()) {
            (true, true) => any_tp += 1,
            (false, true) => any_fp += 1,
            (true, false) => any_fn += 1,
            _ => {}
        }
        let gold_c: HashSet<&String> = label.countries.iter().collect();
        let got_c: HashSet<&String> = countries.iter().collect();
        if got != gold || gold_c != got_c {
            let sorted = |set: &HashSet<&String>| {
                let mut v: Vec<&str> = set.iter().map(|s| s.as_str()).collect();
                v.sort_unstable();
                v.join(",")
            };
            mistakes.push(format!(
                "{} {}\n  topics: missed [{}] extra [{}] {}\n  countries: missed [{}] extra [{}]",
                &label.id[..label.id.len().min(16)],
                label.url.as_deref().unwrap_or(&label.source),
                sorted(&gold.difference(&got).copied().collect()),
                sorted(&got.difference(&gold).copied().collect()),
                why,
                sorted(&gold_c.difference(&got_c).copied().collect()),
                sorted(&got_c.difference(&gold_c).copied().collect()),
            ));
        }
        ctp += gold_c.intersection(&got_c).count() as u32;
        cfp += got_c.difference(&gold_c).count() as u32;
        cfn += gold_c.difference(&got_c).count() as u32;
    }
    let per_topic: Vec<(String, u32, Prf)> = support
        .iter()
        .map(|(t, n)| {
            let c = per.get(t).copied().unwrap_or_default();
            (t.clone(), *n, prf(c[0], c[1], c[2]))
        })
        .collect();
    let macro_rows: Vec<f64> = per_topic
        .iter()
        .filter(|(_, n, _)| *n >= 3)
        .map(|(_, _, p)| p.f1)
        .collect();
    Ok(GeoReport {
        documents: labels.len(),
        topic_micro: prf(tp, fp, fn_),
        topic_macro_f1: macro_rows.iter().sum::<f64>() / macro_rows.len().max(1) as f64,
        macro_topics: macro_rows.len(),
        any_topic: prf(any_tp, any_fp, any_fn),
        countries: prf(ctp, cfp, cfn),
        per_topic,
        docs_per_cpu_second: labels.len() as f64 / cpu.max(1e-9),
        mistakes,
    })
}
