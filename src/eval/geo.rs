//! `newsworker eval classification`: the metrics of
//! `shared/bench/score_geo.py` on a labelled set, computed in-process.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::EvalError;
use crate::classify::train::{Example, Regularization, fit, fold_of};
use crate::classify::{CandidateFeatures, Classifier, Geo, TopicModel};
use crate::extract::ExtractError;
use crate::extract::{self, Options, Page};
use url::Url;

#[derive(Deserialize, Clone)]
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
    /// The publisher's section, where known ("Sport", "Kultur").
    #[serde(default)]
    section: Option<String>,
    /// The part of the labelled set the article belongs to ("v1", "de-news").
    #[serde(default)]
    set: Option<String>,
}

/// One labelled article, as the classifier reads it.
struct Document {
    title: String,
    body: String,
    /// From the page's markup, when the source is HTML.
    language: Option<String>,
    /// The page's canonical URL, else the label's `url`: a story that
    /// names no country is placed by its domain, as the worker does.
    url: Option<String>,
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
        url: None,
    }
}

/// A plain text file: the first line is the title.
fn from_text(text: &str) -> Document {
    // A text of one line (a paragraph ending in a newline) has no title
    // line: it is all body (geo-dev-v2's German news: "lead and body in
    // one paragraph, no title line").
    let (title, body) = match text.split_once('\n') {
        Some((title, body)) if !body.trim().is_empty() => (title, body),
        _ => ("", text),
    };
    Document {
        title: title.to_owned(),
        body: body.to_owned(),
        language: None,
        url: None,
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
        url: article.canonical_url,
        title: article.title.unwrap_or_default(),
        body: article.text,
        // "en-GB" is English: the taxonomy's terms are grouped by language.
        language: article
            .language
            .as_deref()
            .and_then(crate::language::primary),
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
    /// The threshold the topics were reported at.
    pub threshold: f64,
    /// The same model at other thresholds: (threshold, topic micro scores,
    /// "has any topic" scores, per topic F1 in `per_topic`'s order).
    pub trade: Vec<(f64, Prf, Prf, Vec<f64>)>,
    /// Whether the topics came from models that never saw the article
    /// (cross-validation), so the figures are honest.
    pub cross_validated: Option<usize>,
    /// Articles of the publisher's non-political sections (Sport, Kultur,
    /// Wissenschaft) that the labels give no topic: how many, and how many
    /// of them the classifier gave none either.
    pub quiet_sections: (usize, usize),
    /// Per part of the set (the labels' `set` field), when it has several:
    /// (set, articles, topic micro, has any topic, countries).
    pub per_set: Vec<(String, usize, Prf, Prf, Prf)>,
}

/// Sections whose untopical articles must stay without topics.
pub const QUIET_SECTIONS: [&str; 3] = ["Sport", "Kultur", "Wissenschaft"];

/// Thresholds the precision-recall trade is shown at.
pub const TRADE_THRESHOLDS: [f64; 7] = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];

/// One labelled article, read and (for HTML) extracted.
pub struct Labelled {
    label: Label,
    document: Document,
}

/// A labelled set to read: its file, and how much of each article its
/// annotators read.
#[derive(Debug, Clone, Copy)]
pub struct LabelSet<'a> {
    /// JSON lines with id, source, topics, countries.
    pub path: &'a Path,
    /// Keep only the first this many words of each article's body: labels
    /// made on a cut text (geo-dev-v2's guide: "read whole, cut at 600
    /// words") do not name what only the rest says, so scoring the whole
    /// text counts its later countries and topics as false.
    pub read_words: Option<usize>,
}

impl<'a> LabelSet<'a> {
    /// Every article whole.
    pub fn whole(path: &'a Path) -> LabelSet<'a> {
        LabelSet {
            path,
            read_words: None,
        }
    }
}

/// The first `words` whitespace-separated words of `text`, as written.
fn first_words(text: &str, words: usize) -> &str {
    let mut seen = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if in_word && seen == words {
                return &text[..i];
            }
            in_word = false;
        } else if !in_word {
            in_word = true;
            seen += 1;
        }
    }
    text
}

/// Reads a labelled set: JSON lines with id, source, topics, countries.
/// Sources are paths relative to the labels file's grandparent (`shared/`)
/// or its own folder; a source that is a ground-truth JSON file is looked
/// up by id.
pub fn load(labels: LabelSet<'_>) -> Result<Vec<Labelled>, EvalError> {
    let labels_path = labels.path;
    let text = std::fs::read_to_string(labels_path).map_err(|source| EvalError::Read {
        path: labels_path.to_owned(),
        source,
    })?;
    let labels_dir = labels_path.parent().unwrap_or(Path::new("."));
    let shared_root = labels_dir.parent().unwrap_or(Path::new("."));
    let mut bodies: HashMap<String, serde_json::Value> = HashMap::new();
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let label: Label = serde_json::from_str(line).map_err(|source| EvalError::Json {
            path: labels_path.to_owned(),
            source,
        })?;
        let path = [
            shared_root.join(&label.source),
            labels_dir.join(&label.source),
        ]
        .into_iter()
        .find(|p| p.exists())
        .unwrap_or_else(|| shared_root.join(&label.source));
        let mut document = if label.source.ends_with(".json") {
            let json = match bodies.get(&label.source) {
                Some(v) => v,
                None => {
                    let v: serde_json::Value = super::read_json(&path)?;
                    bodies.entry(label.source.clone()).or_insert(v)
                }
            };
            from_json(&json[&label.id])
        } else {
            let raw = super::read(&path)?;
            // Saved pages are often gzipped (`bench/dates/html/*.html.gz`):
            // classifying the compressed bytes as text found countries and
            // topics in noise.
            let bytes = extract::decode::gunzip_if_needed(&raw, Options::default().max_bytes)
                .map_err(|e| EvalError::Invalid(format!("{}: {e}", path.display())))?;
            let source = label.source.trim_end_matches(".gz");
            if looks_like_html(source, &bytes) {
                from_html(&bytes, label.url.as_deref())
                    .map_err(|e| EvalError::Invalid(format!("{}: {e}", path.display())))?
            } else {
                from_text(&String::from_utf8_lossy(&bytes))
            }
        };
        if document.url.is_none() {
            document.url.clone_from(&label.url);
        }
        if let Some(words) = labels.read_words {
            let cut = first_words(&document.body, words).len();
            document.body.truncate(cut);
        }
        out.push(Labelled { label, document });
    }
    Ok(out)
}

impl Labelled {
    /// The label alone, for scoring a part of the set.
    fn clone_label(&self) -> Labelled {
        Labelled {
            label: self.label.clone(),
            document: Document {
                title: String::new(),
                body: String::new(),
                language: None,
                url: None,
            },
        }
    }
}

impl Analysed {
    /// The countries alone, for scoring a part of the set.
    fn clone_countries(&self) -> Analysed {
        Analysed {
            candidates: Vec::new(),
            countries: self.countries.clone(),
            evidence: String::new(),
            country_evidence: BTreeMap::new(),
        }
    }
}

/// What the classifier makes of one labelled article, independent of the
/// topic weights: its language, candidate topics and countries.
struct Analysed {
    candidates: Vec<CandidateFeatures>,
    countries: HashSet<String>,
    /// The terms of each topic the classifier's own weights report, for
    /// `--per-doc` (the probabilities printed beside them are the run's:
    /// with `--cross-validate`, the held-out fold's model's).
    evidence: String,
    /// The words that named each country found, for `--per-doc`.
    country_evidence: BTreeMap<String, String>,
}

fn analyse(classifier: &Classifier, set: &[Labelled]) -> (Vec<Analysed>, f64) {
    // Articles are timed, not the automata their first article builds.
    classifier.build_indexes();
    let start = super::cpu_seconds();
    // With the language the classifier used: the page's markup named it, as
    // the worker's pages do, or it was detected.
    let geos: Vec<(Option<String>, Geo)> = set
        .iter()
        .map(|l| {
            let d = &l.document;
            let (language, mut geo) = match &d.language {
                Some(language) => (
                    Some(language.clone()),
                    classifier.classify(&d.title, &d.body, Some(language)),
                ),
                None => {
                    let (language, geo) = classifier.classify_text(&d.title, &d.body);
                    (language.map(str::to_owned), geo)
                }
            };
            classifier.place_by_domain(&mut geo, d.url.as_deref());
            (language, geo)
        })
        .collect();
    let cpu = super::cpu_seconds() - start;
    let analysed = set
        .iter()
        .zip(geos)
        .map(|(l, (language, geo))| {
            let d = &l.document;
            let (_, candidates) =
                classifier.candidate_features(&d.title, &d.body, language.as_deref());
            let evidence = geo
                .topics
                .iter()
                .map(|t| {
                    let terms: Vec<String> = t
                        .evidence
                        .iter()
                        .map(|e| format!("{}x{}", e.term, e.count))
                        .collect();
                    format!("{}[{}]", t.id, terms.join(","))
                })
                .collect::<Vec<_>>()
                .join(" ");
            let country_evidence = geo
                .countries
                .iter()
                .map(|c| {
                    let terms: Vec<String> = c
                        .evidence
                        .iter()
                        .map(|e| format!("{}x{}", e.term, e.count))
                        .collect();
                    (c.code.clone(), terms.join(","))
                })
                .collect();
            Analysed {
                candidates,
                countries: geo.countries.iter().map(|c| c.code.clone()).collect(),
                evidence,
                country_evidence,
            }
        })
        .collect();
    (analysed, cpu)
}

/// Each article's probability per candidate topic id under `model`.
fn probabilities(
    classifier: &Classifier,
    model: &TopicModel,
    analysed: &Analysed,
) -> Vec<(String, f64)> {
    let taxonomy = classifier.topic_matcher().taxonomy();
    // What a record can report: a topic named by weak words alone is not.
    analysed
        .candidates
        .iter()
        .filter(|c| crate::classify::model::reportable(&c.features))
        .map(|c| {
            (
                taxonomy.topics[c.topic].id.clone(),
                model.probability(c.topic, &c.features),
            )
        })
        .collect()
}

/// Reads a labelled set and runs the classifier's matchers over it, once:
/// the articles, what was found in each, and the CPU seconds classifying
/// took.
fn prepare(
    labels: LabelSet<'_>,
    classifier: &Classifier,
) -> Result<(Vec<Labelled>, Vec<Analysed>, f64), EvalError> {
    let set = load(labels)?;
    let (analysed, cpu) = analyse(classifier, &set);
    Ok((set, analysed, cpu))
}

/// The report of `probabilities` at `threshold`, with the rate and the
/// optional predictions file.
fn finish(
    set: &[Labelled],
    analysed: &[Analysed],
    probabilities: &[Vec<(String, f64)>],
    threshold: f64,
    cpu: f64,
    output: Option<&Path>,
) -> Result<GeoReport, EvalError> {
    let mut report = report(set, analysed, probabilities, threshold);
    report.docs_per_cpu_second = set.len() as f64 / cpu.max(1e-9);
    if let Some(output) = output {
        write_predictions(output, set, analysed, probabilities, threshold)?;
    }
    Ok(report)
}

/// Classifies every labelled document with `classifier` (its weights, as
/// built in or loaded) and scores it.
pub fn classification(
    labels: LabelSet<'_>,
    classifier: &Classifier,
    output: Option<&Path>,
) -> Result<GeoReport, EvalError> {
    let (set, analysed, cpu) = prepare(labels, classifier)?;
    let probabilities: Vec<Vec<(String, f64)>> = analysed
        .iter()
        .map(|a| probabilities(classifier, classifier.model(), a))
        .collect();
    let threshold = classifier.model().threshold;
    finish(&set, &analysed, &probabilities, threshold, cpu, output)
}

/// `folds`-fold cross-validation at the classifier's threshold: each
/// fold's articles are classified by a model fitted to the other folds
/// only; folds are fixed by a hash of the article's id.
pub fn cross_validate(
    labels: LabelSet<'_>,
    classifier: &Classifier,
    folds: usize,
    regularization: Regularization,
    output: Option<&Path>,
) -> Result<GeoReport, EvalError> {
    check_folds(folds)?;
    let (set, analysed, cpu) = prepare(labels, classifier)?;
    let probabilities = cross_validated(classifier, &set, &analysed, folds, regularization);
    let threshold = classifier.model().threshold;
    let mut report = finish(&set, &analysed, &probabilities, threshold, cpu, output)?;
    report.cross_validated = Some(folds);
    Ok(report)
}

fn check_folds(folds: usize) -> Result<(), EvalError> {
    if folds < 2 {
        return Err(EvalError::Invalid(format!(
            "cross-validation needs at least 2 folds, not {folds}"
        )));
    }
    Ok(())
}

/// Each article's probabilities from a model fitted without its fold.
fn cross_validated(
    classifier: &Classifier,
    set: &[Labelled],
    analysed: &[Analysed],
    folds: usize,
    regularization: Regularization,
) -> Vec<Vec<(String, f64)>> {
    let topics = classifier.topic_matcher().taxonomy().topics.len();
    let fold: Vec<usize> = set.iter().map(|l| fold_of(&l.label.id, folds)).collect();
    let mut out: Vec<Vec<(String, f64)>> = vec![Vec::new(); set.len()];
    for k in 0..folds {
        let training: Vec<Example> = set
            .iter()
            .zip(analysed)
            .zip(&fold)
            .filter(|(_, f)| **f != k)
            .flat_map(|((l, a), _)| examples(classifier, l, a))
            .collect();
        let model = fit(&training, topics, regularization, 0.5, String::new());
        for (i, a) in analysed.iter().enumerate() {
            if fold[i] == k {
                out[i] = probabilities(classifier, &model, a);
            }
        }
    }
    out
}

/// Fits the topic weights to every article of a labelled set, reporting
/// at `threshold`; with `folds`, first the cross-validated figures of the
/// same fit at that threshold. The set is read and matched once for both.
pub fn train(
    labels: LabelSet<'_>,
    classifier: &Classifier,
    regularization: Regularization,
    threshold: f64,
    folds: Option<usize>,
) -> Result<(TopicModel, usize, Option<GeoReport>), EvalError> {
    if !(threshold > 0.0 && threshold < 1.0) {
        return Err(EvalError::Invalid(format!(
            "the threshold must be a probability in (0, 1), not {threshold}"
        )));
    }
    if let Some(folds) = folds {
        check_folds(folds)?;
    }
    let labels_path = labels.path;
    let (set, analysed, cpu) = prepare(labels, classifier)?;
    if set.is_empty() {
        return Err(EvalError::Invalid(format!(
            "{} has no labelled articles",
            labels_path.display()
        )));
    }
    let cross_validation = match folds {
        Some(folds) => {
            let probabilities = cross_validated(classifier, &set, &analysed, folds, regularization);
            let mut report = finish(&set, &analysed, &probabilities, threshold, cpu, None)?;
            report.cross_validated = Some(folds);
            Some(report)
        }
        None => None,
    };
    let examples: Vec<Example> = set
        .iter()
        .zip(&analysed)
        .flat_map(|(l, a)| examples(classifier, l, a))
        .collect();
    let name = labels_path.file_name().map_or_else(
        || labels_path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let positives = examples.iter().filter(|e| e.positive).count();
    let model = fit(
        &examples,
        classifier.topic_matcher().taxonomy().topics.len(),
        regularization,
        threshold,
        format!(
            "{name}: {} articles, {} candidate topics, {positives} labelled",
            set.len(),
            examples.len()
        ),
    );
    Ok((model, set.len(), cross_validation))
}

fn examples<'a>(
    classifier: &'a Classifier,
    labelled: &'a Labelled,
    analysed: &'a Analysed,
) -> impl Iterator<Item = Example> + 'a {
    let taxonomy = classifier.topic_matcher().taxonomy();
    analysed.candidates.iter().map(move |c| {
        let id = &taxonomy.topics[c.topic].id;
        Example {
            topic: c.topic,
            features: c.features,
            positive: labelled.label.topics.contains(id),
            optional: labelled.label.optional_topics.contains(id),
        }
    })
}

fn predicted_topics(probabilities: &[(String, f64)], threshold: f64) -> HashSet<String> {
    probabilities
        .iter()
        .filter(|(_, p)| *p >= threshold)
        .map(|(t, _)| t.clone())
        .collect()
}

fn write_predictions(
    output: &Path,
    set: &[Labelled],
    analysed: &[Analysed],
    probabilities: &[Vec<(String, f64)>],
    threshold: f64,
) -> Result<(), EvalError> {
    let map: serde_json::Map<String, serde_json::Value> = set
        .iter()
        .zip(analysed)
        .zip(probabilities)
        .map(|((l, a), p)| {
            let mut topics: Vec<String> = predicted_topics(p, threshold).into_iter().collect();
            let mut countries: Vec<&String> = a.countries.iter().collect();
            topics.sort();
            countries.sort();
            (
                l.label.id.clone(),
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
    })
}

/// Topic and country counts of a labelled set against predictions.
#[derive(Default)]
struct Counts {
    per: BTreeMap<String, [u32; 3]>,
    support: BTreeMap<String, u32>,
    micro: [u32; 3],
    any: [u32; 3],
    countries: [u32; 3],
}

fn count(set: &[Labelled], analysed: &[Analysed], topics: &[HashSet<String>]) -> Counts {
    let mut c = Counts::default();
    for ((l, a), got) in set.iter().zip(analysed).zip(topics) {
        let label = &l.label;
        for t in &label.topics {
            *c.support.entry(t.clone()).or_default() += 1;
        }
        let gold: HashSet<&String> = label.topics.iter().collect();
        let optional: HashSet<&String> = label.optional_topics.iter().collect();
        let got: HashSet<&String> = got.iter().filter(|t| !optional.contains(t)).collect();
        for t in got.union(&gold) {
            let slot = match (got.contains(t), gold.contains(t)) {
                (true, true) => 0,
                (true, false) => 1,
                _ => 2,
            };
            c.per.entry((*t).clone()).or_default()[slot] += 1;
            c.micro[slot] += 1;
        }
        match (!gold.is_empty(), !got.is_empty()) {
            (true, true) => c.any[0] += 1,
            (false, true) => c.any[1] += 1,
            (true, false) => c.any[2] += 1,
            _ => {}
        }
        let gold_c: HashSet<&String> = label.countries.iter().collect();
        let got_c: HashSet<&String> = a.countries.iter().collect();
        c.countries[0] += gold_c.intersection(&got_c).count() as u32;
        c.countries[1] += got_c.difference(&gold_c).count() as u32;
        c.countries[2] += gold_c.difference(&got_c).count() as u32;
    }
    c
}

fn prf3(c: [u32; 3]) -> Prf {
    prf(c[0], c[1], c[2])
}

fn report(
    set: &[Labelled],
    analysed: &[Analysed],
    probabilities: &[Vec<(String, f64)>],
    threshold: f64,
) -> GeoReport {
    let at = |t: f64| -> Vec<HashSet<String>> {
        probabilities
            .iter()
            .map(|p| predicted_topics(p, t))
            .collect()
    };
    let topics = at(threshold);
    let c = count(set, analysed, &topics);
    let per_topic: Vec<(String, u32, Prf)> = c
        .support
        .iter()
        .map(|(t, n)| {
            (
                t.clone(),
                *n,
                prf3(c.per.get(t).copied().unwrap_or_default()),
            )
        })
        .collect();
    let macro_rows: Vec<f64> = per_topic
        .iter()
        .filter(|(_, n, _)| *n >= 3)
        .map(|(_, _, p)| p.f1)
        .collect();
    let trade = TRADE_THRESHOLDS
        .iter()
        .map(|&t| {
            let ct = count(set, analysed, &at(t));
            let per: Vec<f64> = per_topic
                .iter()
                .map(|(id, _, _)| prf3(ct.per.get(id).copied().unwrap_or_default()).f1)
                .collect();
            (t, prf3(ct.micro), prf3(ct.any), per)
        })
        .collect();
    let mut sets: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, l) in set.iter().enumerate() {
        if let Some(name) = &l.label.set {
            sets.entry(name).or_default().push(i);
        }
    }
    let per_set = if sets.len() > 1 {
        sets.iter()
            .map(|(name, members)| {
                let pick = |i: &usize| (&set[*i], &analysed[*i], &topics[*i]);
                let (s, (a, t)): (Vec<_>, (Vec<_>, Vec<_>)) = members
                    .iter()
                    .map(pick)
                    .map(|(l, a, t)| (l.clone_label(), (a.clone_countries(), t.clone())))
                    .unzip();
                let c = count(&s, &a, &t);
                (
                    (*name).to_owned(),
                    members.len(),
                    prf3(c.micro),
                    prf3(c.any),
                    prf3(c.countries),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut quiet_sections = (0, 0);
    for (l, got) in set.iter().zip(&topics) {
        let quiet = l
            .label
            .section
            .as_deref()
            .is_some_and(|s| QUIET_SECTIONS.contains(&s));
        if quiet && l.label.topics.is_empty() {
            quiet_sections.0 += 1;
            quiet_sections.1 += usize::from(got.is_empty());
        }
    }
    let mut mistakes = Vec::new();
    for (((l, a), got), p) in set.iter().zip(analysed).zip(&topics).zip(probabilities) {
        let label = &l.label;
        let gold: HashSet<&String> = label.topics.iter().collect();
        let optional: HashSet<&String> = label.optional_topics.iter().collect();
        let got: HashSet<&String> = got.iter().filter(|t| !optional.contains(t)).collect();
        let gold_c: HashSet<&String> = label.countries.iter().collect();
        let got_c: HashSet<&String> = a.countries.iter().collect();
        if got != gold || gold_c != got_c {
            let sorted = |set: &HashSet<&String>| {
                let mut v: Vec<&str> = set.iter().map(|s| s.as_str()).collect();
                v.sort_unstable();
                v.join(",")
            };
            let short: String = label.id.chars().take(16).collect();
            mistakes.push(format!(
                "{short} {}\n  topics: missed [{}] extra [{}] {} {}\n  countries: missed [{}] extra [{}]",
                label.url.as_deref().unwrap_or(&label.source),
                sorted(&gold.difference(&got).copied().collect()),
                sorted(&got.difference(&gold).copied().collect()),
                p.iter()
                    .map(|(topic, p)| format!("{topic}={p:.2}"))
                    .collect::<Vec<_>>()
                    .join(" "),
                a.evidence,
                sorted(&gold_c.difference(&got_c).copied().collect()),
                {
                    let mut extra: Vec<&String> = got_c.difference(&gold_c).copied().collect();
                    extra.sort_unstable();
                    extra
                        .iter()
                        .map(|c| {
                            let why = a.country_evidence.get(*c).map_or("", String::as_str);
                            format!("{c}({why})")
                        })
                        .collect::<Vec<_>>()
                        .join(",")
                },
            ));
        }
    }
    GeoReport {
        documents: set.len(),
        topic_micro: prf3(c.micro),
        topic_macro_f1: macro_rows.iter().sum::<f64>() / macro_rows.len().max(1) as f64,
        macro_topics: macro_rows.len(),
        any_topic: prf3(c.any),
        countries: prf3(c.countries),
        per_topic,
        docs_per_cpu_second: 0.0,
        mistakes,
        threshold,
        trade,
        cross_validated: None,
        quiet_sections,
        per_set,
    }
}

/// The report as `eval classification` prints it.
pub fn render(r: &GeoReport, per_doc: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if per_doc {
        for line in &r.mistakes {
            let _ = writeln!(out, "{line}");
        }
    }
    match r.cross_validated {
        Some(folds) => {
            let _ = writeln!(
                out,
                "{folds}-fold cross-validated: each article classified by weights fitted to the other folds"
            );
        }
        None => {
            let _ = writeln!(
                out,
                "weights as loaded: on the articles they were fitted to these figures flatter them (use --cross-validate 5)"
            );
        }
    }
    for (topic, support, p) in &r.per_topic {
        let _ = writeln!(
            out,
            "  {topic:<22} n={support:<3} f1={:.2} p={:.2} r={:.2}",
            p.f1, p.precision, p.recall
        );
    }
    let _ = writeln!(out, "precision-recall trade (topic micro / has any topic):");
    for (t, micro, any, _) in &r.trade {
        let mark = if (t - r.threshold).abs() < 1e-9 {
            " <- threshold"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  threshold {t:.1}: f1={:.3} p={:.3} r={:.3}  any_topic p={:.3} r={:.3}{mark}",
            micro.f1, micro.precision, micro.recall, any.precision, any.recall
        );
    }
    let _ = writeln!(out, "per topic F1 by threshold:");
    let _ = writeln!(
        out,
        "  {:<22} {}",
        "",
        r.trade
            .iter()
            .map(|(t, ..)| format!("{t:>5.1}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    for (i, (topic, _, _)) in r.per_topic.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {topic:<22} {}",
            r.trade
                .iter()
                .map(|(_, _, _, per)| format!("{:>5.2}", per[i]))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    for (name, n, micro, any, countries) in &r.per_set {
        let _ = writeln!(
            out,
            "  set {name:<12} docs={n:<4} topic_micro_f1={:.3} (p={:.3} r={:.3}) any_topic_p={:.3} country_micro_f1={:.3}",
            micro.f1, micro.precision, micro.recall, any.precision, countries.f1
        );
    }
    if r.quiet_sections.0 > 0 {
        let _ = writeln!(
            out,
            "untopical Sport/Kultur/Wissenschaft articles given no topic: {} of {} ({:.3})",
            r.quiet_sections.1,
            r.quiet_sections.0,
            r.quiet_sections.1 as f64 / r.quiet_sections.0 as f64
        );
    }
    let _ = writeln!(
        out,
        "docs={} threshold={} topic_micro_f1={:.3} (p={:.3} r={:.3}) topic_macro_f1={:.3} over {} topics any_topic_p={:.3} any_topic_r={:.3} country_micro_f1={:.3} (p={:.3} r={:.3})",
        r.documents,
        r.threshold,
        r.topic_micro.f1,
        r.topic_micro.precision,
        r.topic_micro.recall,
        r.topic_macro_f1,
        r.macro_topics,
        r.any_topic.precision,
        r.any_topic.recall,
        r.countries.f1,
        r.countries.precision,
        r.countries.recall
    );
    let _ = writeln!(out, "{:.0} articles per CPU-second", r.docs_per_cpu_second);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--per-doc` prints the probabilities that decided the topics: with
    /// `--cross-validate` the held-out fold's, not the built-in weights'
    /// (it printed those, so an extra topic could read 0.46 at threshold 0.5).
    #[test]
    fn a_mistake_shows_the_probabilities_that_decided_it() {
        let label: Label = serde_json::from_value(serde_json::json!({
            "id": "a", "source": "a.txt", "topics": ["sanctions_trade"], "countries": []
        }))
        .unwrap();
        let set = [Labelled {
            label,
            document: from_text("Title\nBody."),
        }];
        let analysed = [Analysed {
            candidates: Vec::new(),
            countries: HashSet::new(),
            evidence: "sanctions_trade[sanction*x1]".to_owned(),
            country_evidence: BTreeMap::new(),
        }];
        let probabilities = [vec![
            ("sanctions_trade".to_owned(), 0.31),
            ("migration_refugees".to_owned(), 0.73),
        ]];
        let r = report(&set, &analysed, &probabilities, 0.5);
        let line = r.mistakes.join("\n");
        assert!(
            line.contains("missed [sanctions_trade] extra [migration_refugees]")
                && line.contains("sanctions_trade=0.31 migration_refugees=0.73")
                && line.contains("sanctions_trade[sanction*x1]"),
            "{line}"
        );
    }

    #[test]
    fn first_words_keeps_the_text_as_written() {
        assert_eq!(first_words("one  two\nthree four", 3), "one  two\nthree");
        assert_eq!(first_words("  one two", 1), "  one");
        assert_eq!(first_words("one two", 5), "one two");
        assert_eq!(first_words("one two ", 2), "one two");
        assert_eq!(first_words("één, twee", 1), "één,");
    }
}
