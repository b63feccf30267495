//! `newsworker discover`: sources from the configuration and the
//! arguments, then one poll of each (`--once`) or polling until a signal.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::config::Config;
use crate::discover::{Discovery, Output, SeenStore, Source, SourceSpec, source};
use crate::metrics::Metrics;

/// Runs discovery; see the command's help.
pub fn run(
    config: Option<&Path>,
    once: bool,
    stdout: bool,
    seen: Option<&str>,
    arguments: Vec<String>,
) -> Result<ExitCode> {
    let config = Config::load(config)?;
    let store = match seen {
        Some("memory") => SeenStore::Memory,
        Some(_) => SeenStore::Kafka,
        None if stdout => SeenStore::Memory,
        None => SeenStore::Kafka,
    };
    let sources = sources(&config, arguments)?;
    if sources.is_empty() {
        bail!(
            "no sources to poll: list them in discover.sources or discover.sources_file, \
             or give their URLs as arguments"
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let result = runtime.block_on(async {
        let metrics = Arc::new(Metrics::for_discovery());
        let endpoints = if once {
            None
        } else {
            let listener = crate::metrics::bind(config.metrics.listen).await?;
            Some(tokio::spawn(crate::metrics::serve_on(
                listener,
                Arc::clone(&metrics),
            )))
        };
        let output = if stdout {
            Output::Stdout
        } else {
            Output::Kafka
        };
        let discovery = Discovery::start(&config, output, store, metrics).await?;
        tracing::info!(sources = sources.len(), once, stdout, "discovery started");
        let code = if once {
            let reports = discovery.poll_all(&sources).await;
            let mut failed = 0;
            for r in &reports {
                eprintln!(
                    "{}: found {}, published {}, too old {}, not modified {}, errors {}",
                    r.source,
                    r.found,
                    r.published,
                    r.too_old,
                    r.not_modified,
                    r.errors.len()
                );
                for e in &r.errors {
                    eprintln!("  {} [{}]", e, e.error.class());
                }
                failed += usize::from(!r.errors.is_empty());
            }
            if failed > 0 {
                eprintln!("{failed} of {} sources had errors", reports.len());
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        } else {
            Arc::new(discovery)
                .run(sources, async {
                    super::worker::shutdown_signal().await;
                })
                .await;
            tracing::info!("discovery stopped");
            ExitCode::SUCCESS
        };
        if let Some(endpoints) = endpoints {
            endpoints.abort();
        }
        anyhow::Ok(code)
    });
    runtime.shutdown_timeout(Duration::from_millis(500));
    result
}

/// The configured sources, those of `discover.sources_file`, and the
/// arguments.
pub(super) fn sources(config: &Config, arguments: Vec<String>) -> Result<Vec<Source>> {
    let d = &config.discover;
    let mut specs: Vec<(String, SourceSpec)> = d
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("discover.sources[{i}]"), s.clone()))
        .collect();
    specs.extend(
        arguments
            .into_iter()
            .map(|url| ("the arguments".to_owned(), SourceSpec::Url(url))),
    );
    let file = match &d.sources_file {
        Some(path) => Some((
            path.display().to_string(),
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read discover.sources_file {}", path.display()))?,
        )),
        None => None,
    };
    Ok(source::collect(
        &specs,
        file.as_ref().map(|(p, t)| (p.as_str(), t.as_str())),
        Duration::from_secs(d.interval_secs),
    )?)
}
