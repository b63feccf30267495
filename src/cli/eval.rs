//! `newsworker eval ...` and `newsworker train classification`: run the
//! library's evaluations and print their reports.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::eval::geo::LabelSet;

/// `eval extraction`: ScrapingHub-style scores and the CPU rates.
pub fn extraction(
    dataset: &Path,
    output: Option<&Path>,
    per_page: bool,
    rounds: usize,
) -> Result<ExitCode> {
    let report = crate::eval::extraction(dataset, output, rounds)?;
    if per_page {
        let mut rows = report.per_page.clone();
        rows.sort_by(|a, b| (a.1 + a.2).total_cmp(&(b.1 + b.2)));
        for (id, p, r) in rows {
            println!("{} p={p:.3} r={r:.3}", &id[..id.len().min(16)]);
        }
    }
    let s = report.scores;
    println!(
        "pages={} failures={} f1={:.3} precision={:.3} recall={:.3} accuracy={:.3}",
        report.pages, report.failures, s.f1, s.precision, s.recall, s.accuracy
    );
    let e = report.scores_with_embeds;
    println!(
        "with embedded posts: f1={:.3} precision={:.3} recall={:.3} accuracy={:.3}",
        e.f1, e.precision, e.recall, e.accuracy
    );
    println!(
        "extract: {:.1} pages/cpu-s ({:.2} cpu-s); bare parse: {:.1} pages/cpu-s ({:.2} cpu-s); ratio {:.2}x",
        report.pages_per_cpu_second(),
        report.extract_cpu_s,
        report.parse_pages_per_cpu_second(),
        report.parse_cpu_s,
        report.extract_cpu_s / report.parse_cpu_s.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}

/// `eval classification`: scores on a labelled set, or cross-validated.
pub fn classification(
    labels: LabelSet<'_>,
    per_doc: bool,
    output: Option<&Path>,
    weights: Option<&Path>,
    taxonomy: Option<&Path>,
    threshold: Option<f64>,
    cross_validate: Option<usize>,
) -> Result<ExitCode> {
    let mut classifier = crate::data_files::classifier(taxonomy, weights)?;
    if let Some(threshold) = threshold {
        anyhow::ensure!(
            threshold > 0.0 && threshold < 1.0,
            "--threshold must be a probability in (0, 1), not {threshold}"
        );
        classifier = classifier.with_threshold(threshold);
    }
    let r = match cross_validate {
        Some(folds) => crate::eval::geo::cross_validate(
            labels,
            &classifier,
            folds,
            Default::default(),
            output,
        )?,
        None => crate::eval::geo::classification(labels, &classifier, output)?,
    };
    print!("{}", crate::eval::geo::render(&r, per_doc));
    Ok(ExitCode::SUCCESS)
}

/// `train classification`: fits the topic weights and writes them.
pub fn train(
    labels: LabelSet<'_>,
    output: &Path,
    taxonomy: Option<&Path>,
    threshold: f64,
    folds: usize,
) -> Result<ExitCode> {
    let classifier = crate::data_files::classifier(taxonomy, None)?;
    let (model, articles, cross_validation) = crate::eval::geo::train(
        labels,
        &classifier,
        Default::default(),
        threshold,
        (folds > 0).then_some(folds),
    )?;
    if let Some(report) = cross_validation {
        print!("{}", crate::eval::geo::render(&report, false));
    }
    let text = model.to_toml(classifier.topic_matcher().taxonomy());
    std::fs::write(output, text).with_context(|| format!("cannot write {}", output.display()))?;
    println!(
        "weights fitted to {articles} articles written to {}",
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `eval dates`: htmldate's precision, recall and accuracy.
pub fn dates(dataset: &Path, per_page: bool, output: Option<&Path>) -> Result<ExitCode> {
    let r = crate::eval::dates::dates(dataset, Some(chrono::Utc::now()))?;
    if per_page {
        for (key, reference, found) in &r.per_page {
            let day = found.as_deref().map(|d| d.get(..10).unwrap_or(d));
            if day != reference.as_deref() {
                println!(
                    "{key}: reference {} found {}",
                    reference.as_deref().unwrap_or("none"),
                    found.as_deref().unwrap_or("none")
                );
            }
        }
    }
    if let Some(output) = output {
        let map: serde_json::Map<String, serde_json::Value> = r
            .per_page
            .iter()
            .map(|(key, _, found)| (key.clone(), serde_json::json!(found)))
            .collect();
        std::fs::write(output, serde_json::to_string_pretty(&map)?)
            .with_context(|| format!("cannot write {}", output.display()))?;
    }
    println!(
        "pages={} tp={} fp={} fn={} off_by_one_day={} precision={:.3} recall={:.3} accuracy={:.3}",
        r.pages,
        r.true_positives,
        r.false_positives,
        r.false_negatives,
        r.off_by_one_day,
        r.precision(),
        r.recall(),
        r.accuracy()
    );
    println!("{:.0} pages per CPU-second", r.pages_per_cpu_second);
    Ok(ExitCode::SUCCESS)
}

/// `eval consent`: banner leaks on the consent corpus.
pub fn consent(dataset: &Path, truth: Option<PathBuf>) -> Result<ExitCode> {
    let truth = truth.unwrap_or_else(|| dataset.join("../scrapinghub/ground-truth.json"));
    let report = crate::eval::consent(dataset, Some(&truth))?;
    for key in &report.leaks {
        println!("leak: {key}");
    }
    let f1 = report
        .f1_vs_base
        .map_or("n/a".to_owned(), |f| format!("{f:.3}"));
    let base = report
        .f1_base_pages
        .map_or("n/a".to_owned(), |f| format!("{f:.3}"));
    println!(
        "pages={} leaks={} leak_rate={:.3} controls_lost={}/{} f1_vs_base={f1} f1_base_pages={base}",
        report.pages,
        report.leaks.len(),
        report.leaks.len() as f64 / report.pages.max(1) as f64,
        report.controls_lost,
        report.controls
    );
    Ok(ExitCode::SUCCESS)
}
