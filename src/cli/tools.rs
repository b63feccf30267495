//! The one-shot commands: `extract`, `classify`, `process`, `config check`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::classify::Classifier;
use crate::config::Config;
use crate::extract::Options;

use super::worker::build_pipeline;

/// `newsworker process`: the pipeline on a multi-threaded runtime.
pub fn process(config: Option<&Path>, urls: Vec<String>) -> Result<ExitCode> {
    let config = Config::load(config)?;
    let pipeline = build_pipeline(&config, None)?;
    use crate::commands::process::{BadLine, MAX_LINE_BYTES, input_lines};
    let urls: Box<dyn Iterator<Item = Result<String, BadLine>>> = if urls.is_empty() {
        Box::new(input_lines(std::io::stdin().lock(), MAX_LINE_BYTES))
    } else {
        Box::new(urls.into_iter().map(Ok))
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let max_concurrency = usize::try_from(config.fetch.max_concurrency).unwrap_or(1);
    let failures = runtime.block_on(async {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        crate::commands::process::run(urls, pipeline, max_concurrency, &mut out).await
    })?;
    Ok(if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The classifier, with the taxonomy and weights files when given.
pub fn load_classifier(taxonomy: Option<&Path>) -> Result<Classifier> {
    Ok(crate::data_files::classifier(taxonomy, None)?)
}

/// `extract`: one JSON record (or error line) per file, in order; exit 1
/// when any file failed.
pub fn extract(
    url: Option<String>,
    max_bytes: u64,
    taxonomy: Option<&Path>,
    paths: &[PathBuf],
) -> Result<ExitCode> {
    let url = url
        .map(|u| {
            let parsed = url::Url::parse(&u).with_context(|| format!("invalid --url {u:?}"))?;
            anyhow::ensure!(
                matches!(parsed.scheme(), "http" | "https"),
                "invalid --url {u:?}: only http and https pages have articles"
            );
            Ok(parsed)
        })
        .transpose()?;
    let options = Options {
        max_bytes,
        now: Some(chrono::Utc::now()),
    };
    let classifier = load_classifier(taxonomy)?;
    let stdout = std::io::stdout();
    let failures = crate::commands::extract::run(
        paths,
        url.as_ref(),
        &options,
        &classifier,
        &mut stdout.lock(),
    )?;
    // The process ends here: freeing the classifier's tables one by one
    // would cost a tenth of a one-page run.
    std::mem::forget(classifier);
    Ok(exit_code(failures))
}

/// `classify`: one JSON line per text file; exit 1 when any failed.
pub fn classify(taxonomy: Option<&Path>, paths: &[PathBuf]) -> Result<ExitCode> {
    let classifier = load_classifier(taxonomy)?;
    let stdout = std::io::stdout();
    let failures = crate::commands::classify::run(paths, &classifier, &mut stdout.lock())?;
    Ok(exit_code(failures))
}

/// `config check`: the effective configuration, or the bad value named.
pub fn config_check(config: Option<&Path>) -> Result<ExitCode> {
    let config = Config::load(config)?;
    print!("{}", config.to_toml());
    Ok(ExitCode::SUCCESS)
}

fn exit_code(failures: usize) -> ExitCode {
    if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
