//! `newsworker run`: the runtime, the embedded setup, the endpoints and the
//! worker, until a signal; a second signal exits at once.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::classify::Classifier;
use crate::config::{Config, MetricsConfig};
use crate::discover::{Discovery, Output, SeenStore, SourceSpec};
use crate::embedded::{self, Embedded};
use crate::extract::Options;
use crate::fetch::Fetcher;
use crate::kafka::Worker;
use crate::metrics::Metrics;
use crate::pipeline::Pipeline;

/// The pipeline the configuration describes.
pub fn build_pipeline(config: &Config, metrics: Option<Arc<Metrics>>) -> Result<Arc<Pipeline>> {
    let classifier = Arc::new(configured_classifier(config)?);
    // A long-running worker builds every language's automaton at start-up,
    // not during its first messages.
    classifier.build_indexes();
    let fetcher = Fetcher::new(&config.fetch)?;
    // The pipeline dates each page by its fetch time.
    let options = Options {
        max_bytes: config.extract.max_bytes,
        now: None,
    };
    let pipeline = Pipeline::new(fetcher, classifier, options, config.worker.extract_threads)?;
    Ok(Arc::new(match metrics {
        Some(m) => pipeline.with_metrics(m),
        None => pipeline,
    }))
}

/// The worker's classifier, as `[classify]` configures it.
fn configured_classifier(config: &Config) -> Result<Classifier> {
    let c = &config.classify;
    let classifier = crate::data_files::classifier(c.taxonomy.as_deref(), c.weights.as_deref())?;
    Ok(match c.threshold {
        Some(t) => classifier.with_threshold(t),
        None => classifier,
    })
}

/// `newsworker run`: the worker until SIGTERM or SIGINT, then a clean exit.
pub fn run_worker(config: Option<&std::path::Path>, embedded: bool) -> Result<ExitCode> {
    let mut config = Config::load(config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let result = runtime.block_on(async {
        // Kept alive for the whole run: dropping it stops the broker.
        let mut embedded_broker = None;
        let mut printer = None;
        let mut discovery = None;
        if embedded {
            let setup = Embedded::start(&config.kafka, &config.discover.seen_topic).await?;
            config.kafka.brokers = setup.brokers.clone();
            // The bundled pages are served on loopback: exempt that host only.
            config.fetch.allow_hosts.push("127.0.0.1".to_owned());
            // A demo on a laptop: its endpoints are not for the network,
            // unless an address other than the default was configured.
            if config.metrics.listen == MetricsConfig::default().listen {
                config.metrics.listen.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
            }
            eprintln!(
                "embedded broker on {brokers}: discovery reads {feed} ({pages} pages) into \
                 {input}, with one poison message; records print below.\n\
                 Read along: kcat -b {brokers} -t {output} -C   (dead letters: -t {dlq})\n\
                 Stop with Ctrl-C.",
                brokers = setup.brokers,
                feed = setup.feed_url,
                pages = setup.pages,
                input = config.kafka.input_topic,
                output = config.kafka.output_topic,
                dlq = config.kafka.dlq_topic,
            );
            let (brokers, kafka) = (setup.brokers.clone(), config.kafka.clone());
            printer = Some(tokio::spawn(async move {
                if let Err(e) = embedded::print_outputs(brokers, kafka).await {
                    tracing::warn!(error = %e, "printing records stopped");
                }
            }));
            config.discover.sources = vec![SourceSpec::Url(setup.feed_url.clone())];
            discovery = Some(start_discovery(&config).await?);
            embedded_broker = Some(setup);
        }
        let metrics = Arc::new(Metrics::new());
        let listener = crate::metrics::bind(config.metrics.listen).await?;
        let endpoints = tokio::spawn(crate::metrics::serve_on(
            listener,
            Arc::clone(&metrics),
        ));
        let pipeline = build_pipeline(&config, Some(Arc::clone(&metrics)))?;
        let worker = Worker::new(&config.kafka, &config.worker, pipeline, metrics)?;
        tracing::info!(
            brokers = %config.kafka.brokers,
            group = %config.kafka.group_id,
            input = %config.kafka.input_topic,
            "worker started"
        );
        let shutdown = async {
            shutdown_signal().await;
            // The drain waits up to worker.shutdown_timeout_ms; an operator
            // who signals again wants out now.
            tokio::spawn(async {
                let signal = shutdown_signal().await;
                tracing::error!(
                    signal,
                    "second signal: exiting at once; messages in flight are not committed and will be replayed"
                );
                std::process::exit(128 + signal);
            });
        };
        worker.run(shutdown).await?;
        endpoints.abort();
        // Clients first, then the broker they talk to: the other way round,
        // they would report the broker gone as they close.
        if let Some(discovery) = discovery {
            discovery.stop().await;
        }
        if let Some(printer) = printer {
            printer.abort();
            let _ = printer.await;
        }
        drop(embedded_broker);
        tracing::info!("worker stopped");
        anyhow::Ok(())
    });
    // Tasks still running (a fetch abandoned at the shutdown timeout, a
    // DNS lookup on a blocking thread) must not hold the exit.
    runtime.shutdown_timeout(Duration::from_millis(500));
    result?;
    Ok(ExitCode::SUCCESS)
}

/// Discovery as the embedded mode runs it: the configured sources (the
/// bundled feed), into the input topic, remembered in the seen topic;
/// until [`RunningDiscovery::stop`].
async fn start_discovery(config: &Config) -> Result<RunningDiscovery> {
    let discovery = Arc::new(
        Discovery::start(
            config,
            Output::Kafka,
            SeenStore::Kafka,
            Arc::new(Metrics::for_discovery()),
        )
        .await?,
    );
    let sources = super::discover::sources(config, Vec::new())?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(Arc::clone(&discovery).run(sources, async {
        let _ = stopped.await;
    }));
    Ok(RunningDiscovery {
        discovery,
        stop,
        task,
    })
}

/// Discovery running in this process.
struct RunningDiscovery {
    discovery: Arc<Discovery>,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningDiscovery {
    /// Stops polling and closes every Kafka client discovery holds.
    async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
        if let Some(discovery) = Arc::into_inner(self.discovery) {
            discovery.close().await;
        }
    }
}

/// Completes on SIGTERM (how containers are stopped) or SIGINT, with the
/// signal's number.
pub(super) async fn shutdown_signal() -> i32 {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {
            tracing::info!("SIGINT: shutting down");
            libc::SIGINT
        }
        () = terminate => {
            tracing::info!("SIGTERM: shutting down");
            libc::SIGTERM
        }
    }
}
