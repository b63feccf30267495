//! The `newsworker` command line: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use std::sync::Arc;
use std::time::Duration;

use newsworker::classify::Classifier;
use newsworker::config::{Config, LogFormat, MetricsConfig};
use newsworker::embedded::{self, Embedded};
use newsworker::extract::Options;
use newsworker::fetch::Fetcher;
use newsworker::kafka::Worker;
use newsworker::metrics::Metrics;
use newsworker::pipeline::Pipeline;

#[derive(Parser)]
#[command(
    name = "newsworker",
    version,
    about = "News URLs in, clean geopolitically tagged article records out"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract articles from HTML files (plain or gzip); one JSON record per file.
    Extract {
        /// The page's URL: resolves relative links and gives the record id.
        #[arg(long)]
        url: Option<String>,
        /// Refuse pages bigger than this many bytes (after decompression).
        #[arg(long, default_value_t = newsworker::extract::DEFAULT_MAX_BYTES)]
        max_bytes: u64,
        /// A taxonomy file to classify with instead of the built-in one.
        #[arg(long)]
        taxonomy: Option<PathBuf>,
        /// HTML files to extract, written out in this order.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Classify plain UTF-8 text files (the first line may be the title);
    /// one JSON line per file: {"input", "language", "geo"}.
    Classify {
        /// A taxonomy file to use instead of the built-in one.
        #[arg(long)]
        taxonomy: Option<PathBuf>,
        /// Text files to classify, written out in this order.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Fetch, extract and classify URLs (arguments, or one per line on
    /// stdin); one JSON line per URL, in order: the record or an error.
    Process {
        /// Configuration file (TOML; see config/default.toml).
        #[arg(long)]
        config: Option<PathBuf>,
        /// URLs to process; none reads them from stdin.
        urls: Vec<String>,
    },
    /// Run the streaming worker: URLs from Kafka, records and dead letters
    /// back to Kafka, until SIGTERM or SIGINT.
    Run {
        /// Configuration file (TOML; see config/default.toml).
        #[arg(long)]
        config: Option<PathBuf>,
        /// No Kafka needed: an in-process broker on 127.0.0.1, seeded with
        /// the bundled example pages (served locally); prints the records.
        #[arg(long)]
        embedded: bool,
    },
    /// Configuration commands.
    Config {
        #[command(subcommand)]
        what: ConfigCommand,
    },
    /// Measure quality and speed on a benchmark set.
    Eval {
        #[command(subcommand)]
        what: EvalCommand,
    },
    /// Fit learned weights to labelled data.
    Train {
        #[command(subcommand)]
        what: TrainCommand,
    },
}

#[derive(Subcommand)]
enum TrainCommand {
    /// Fit the topic weights to a labelled set (JSON lines as for `eval
    /// classification`), print their cross-validated figures and write
    /// them as a weights file.
    Classification {
        /// JSON lines with id, source, topics, optional_topics, countries.
        #[arg(long)]
        labels: PathBuf,
        /// Where to write the weights (config/weights.toml is the built-in file).
        #[arg(long)]
        output: PathBuf,
        /// A taxonomy file instead of the built-in one.
        #[arg(long)]
        taxonomy: Option<PathBuf>,
        /// Probability at and above which a topic is reported.
        #[arg(long, default_value_t = 0.5)]
        threshold: f64,
        /// Folds of the cross-validation printed before writing (0: none).
        #[arg(long, default_value_t = 5)]
        folds: usize,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Load the configuration (defaults, file, NEWSWORKER__ variables),
    /// check it, and print the effective values.
    Check {
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum EvalCommand {
    /// Main-text quality (ScrapingHub metric) and pages per CPU-second.
    Extraction {
        /// Directory with ground-truth.json and html/<id>.html.gz.
        #[arg(long)]
        dataset: PathBuf,
        /// Write the predictions, as the Python scorer reads them.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Print precision and recall of every page, worst first.
        #[arg(long)]
        per_page: bool,
        /// Timing rounds; each page keeps its fastest.
        #[arg(long, default_value_t = newsworker::eval::TIMING_ROUNDS)]
        rounds: usize,
    },
    /// Topic and country quality on a labelled set, and articles per CPU-second.
    Classification {
        /// JSON lines with id, source, topics, countries (shared/data/geo-dev.jsonl).
        #[arg(long)]
        labels: PathBuf,
        /// Print every document whose topics or countries differ from its labels.
        #[arg(long)]
        per_doc: bool,
        /// Write the predictions, as shared/bench/score_geo.py reads them.
        #[arg(long)]
        output: Option<PathBuf>,
        /// A weights file instead of the built-in one.
        #[arg(long)]
        weights: Option<PathBuf>,
        /// Report topics at and above this probability instead of the
        /// weights file's threshold.
        #[arg(long)]
        threshold: Option<f64>,
        /// Score with models fitted on the other folds only (honest figures
        /// on the data the built-in weights were fitted to): the number of folds.
        #[arg(long)]
        cross_validate: Option<usize>,
    },
    /// Publication dates with htmldate's evaluation method (pages judged
    /// without their URL), and pages per CPU-second.
    Dates {
        /// Directory with ground-truth.json ({key: {"date"}}) and html/<key>.html.gz.
        #[arg(long)]
        dataset: PathBuf,
        /// Print every page whose date is wrong or missing.
        #[arg(long)]
        per_page: bool,
        /// Write the dates found ({key: date}), as shared/bench/score_dates.py reads them.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Consent-banner leaks on the consent corpus.
    Consent {
        /// Directory with manifest.json and html/<key>.html.gz.
        #[arg(long)]
        dataset: PathBuf,
        /// Ground truth of the base articles (default: ../scrapinghub/ground-truth.json).
        #[arg(long)]
        truth: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The long-running worker logs what it does; the tools only warnings.
    let (default_filter, format) = match &cli.command {
        Command::Run { config, .. } => (
            "info,newsworker=info,html5ever=error,rdkafka=warn,librdkafka=warn",
            Config::load(config.as_deref())
                .map(|c| c.log.format)
                .unwrap_or_default(),
        ),
        _ => ("warn,html5ever=error", LogFormat::Text),
    };
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    // Colours only for a person at a terminal, not for a log collector.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// The pipeline the configuration describes.
fn build_pipeline(config: &Config, metrics: Option<Arc<Metrics>>) -> Result<Arc<Pipeline>> {
    let classifier = Arc::new(configured_classifier(config)?);
    let fetcher = Fetcher::new(&config.fetch)?;
    // The pipeline dates each page by its fetch time.
    let options = Options {
        max_bytes: config.extract.max_bytes,
        now: None,
    };
    let pipeline = Pipeline::new(fetcher, classifier, options);
    Ok(Arc::new(match metrics {
        Some(m) => pipeline.with_metrics(m),
        None => pipeline,
    }))
}

/// `newsworker run`: the worker until SIGTERM or SIGINT, then a clean exit.
fn run_worker(config: Option<&std::path::Path>, embedded: bool) -> Result<ExitCode> {
    let mut config = Config::load(config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let result = runtime.block_on(async {
        // Kept alive for the whole run: dropping it stops the broker.
        let mut embedded_broker = None;
        let mut printer = None;
        if embedded {
            let setup = Embedded::start(&config.kafka).await?;
            config.kafka.brokers = setup.brokers.clone();
            // The bundled pages are served on loopback: exempt that host only.
            config.fetch.allow_hosts.push("127.0.0.1".to_owned());
            // A demo on a laptop: its endpoints are not for the network,
            // unless an address other than the default was configured.
            if config.metrics.listen == MetricsConfig::default().listen {
                config.metrics.listen.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
            }
            eprintln!(
                "embedded broker on {brokers}: {seeded} messages in {input}; records print below.\n\
                 Read along: kcat -b {brokers} -t {output} -C   (dead letters: -t {dlq})\n\
                 Stop with Ctrl-C.",
                brokers = setup.brokers,
                seeded = setup.seeded,
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
            embedded_broker = Some(setup);
        }
        let metrics = Arc::new(Metrics::new());
        let listener = newsworker::metrics::bind(config.metrics.listen).await?;
        let endpoints = tokio::spawn(newsworker::metrics::serve_on(
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

/// Completes on SIGTERM (how containers are stopped) or SIGINT, with the
/// signal's number.
async fn shutdown_signal() -> i32 {
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

/// `newsworker process`: the pipeline on a multi-threaded runtime.
fn process(config: Option<&std::path::Path>, urls: Vec<String>) -> Result<ExitCode> {
    let config = Config::load(config)?;
    let pipeline = build_pipeline(&config, None)?;
    use newsworker::commands::process::{BadLine, MAX_LINE_BYTES, input_lines};
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
        newsworker::commands::process::run(urls, pipeline, max_concurrency, &mut out).await
    })?;
    Ok(if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The classifier, with the taxonomy and weights files when given.
fn load_classifier(taxonomy: Option<&std::path::Path>) -> Result<Classifier> {
    Ok(newsworker::data_files::classifier(taxonomy, None)?)
}

/// The worker's classifier, as `[classify]` configures it.
fn configured_classifier(config: &Config) -> Result<Classifier> {
    let c = &config.classify;
    let classifier =
        newsworker::data_files::classifier(c.taxonomy.as_deref(), c.weights.as_deref())?;
    Ok(match c.threshold {
        Some(t) => classifier.with_threshold(t),
        None => classifier,
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Extract {
            url,
            max_bytes,
            taxonomy,
            paths,
        } => {
            let url = url
                .map(|u| {
                    let parsed =
                        url::Url::parse(&u).with_context(|| format!("invalid --url {u:?}"))?;
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
            let classifier = load_classifier(taxonomy.as_deref())?;
            let stdout = std::io::stdout();
            let failures = newsworker::commands::extract::run(
                &paths,
                url.as_ref(),
                &options,
                &classifier,
                &mut stdout.lock(),
            )?;
            // The process ends here: freeing the classifier's tables one by
            // one would cost a tenth of a one-page run.
            std::mem::forget(classifier);
            Ok(if failures > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Process { config, urls } => process(config.as_deref(), urls),
        Command::Run { config, embedded } => run_worker(config.as_deref(), embedded),
        Command::Config {
            what: ConfigCommand::Check { config },
        } => {
            let config = Config::load(config.as_deref())?;
            print!("{}", config.to_toml());
            Ok(ExitCode::SUCCESS)
        }
        Command::Classify { taxonomy, paths } => {
            let classifier = load_classifier(taxonomy.as_deref())?;
            let stdout = std::io::stdout();
            let failures =
                newsworker::commands::classify::run(&paths, &classifier, &mut stdout.lock())?;
            Ok(if failures > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Eval {
            what:
                EvalCommand::Extraction {
                    dataset,
                    output,
                    per_page,
                    rounds,
                },
        } => {
            let report = newsworker::eval::extraction(&dataset, output.as_deref(), rounds)?;
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
        Command::Eval {
            what:
                EvalCommand::Classification {
                    labels,
                    per_doc,
                    output,
                    weights,
                    threshold,
                    cross_validate,
                },
        } => {
            let mut classifier = newsworker::data_files::classifier(None, weights.as_deref())?;
            if let Some(threshold) = threshold {
                anyhow::ensure!(
                    threshold > 0.0 && threshold < 1.0,
                    "--threshold must be a probability in (0, 1), not {threshold}"
                );
                classifier = classifier.with_threshold(threshold);
            }
            let r = match cross_validate {
                Some(folds) => newsworker::eval::geo::cross_validate(
                    &labels,
                    &classifier,
                    folds,
                    Default::default(),
                    output.as_deref(),
                )?,
                None => {
                    newsworker::eval::geo::classification(&labels, &classifier, output.as_deref())?
                }
            };
            print!("{}", newsworker::eval::geo::render(&r, per_doc));
            Ok(ExitCode::SUCCESS)
        }
        Command::Train {
            what:
                TrainCommand::Classification {
                    labels,
                    output,
                    taxonomy,
                    threshold,
                    folds,
                },
        } => {
            let classifier = newsworker::data_files::classifier(taxonomy.as_deref(), None)?;
            let (model, articles, cross_validation) = newsworker::eval::geo::train(
                &labels,
                &classifier,
                Default::default(),
                threshold,
                (folds > 0).then_some(folds),
            )?;
            if let Some(report) = cross_validation {
                print!("{}", newsworker::eval::geo::render(&report, false));
            }
            let text = model.to_toml(classifier.topic_matcher().taxonomy());
            std::fs::write(&output, text)
                .with_context(|| format!("cannot write {}", output.display()))?;
            println!(
                "weights fitted to {articles} articles written to {}",
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval {
            what:
                EvalCommand::Dates {
                    dataset,
                    per_page,
                    output,
                },
        } => {
            let r = newsworker::eval::dates::dates(&dataset, Some(chrono::Utc::now()))?;
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
                std::fs::write(&output, serde_json::to_string_pretty(&map)?)
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
        Command::Eval {
            what: EvalCommand::Consent { dataset, truth },
        } => {
            let truth = truth.unwrap_or_else(|| dataset.join("../scrapinghub/ground-truth.json"));
            let report = newsworker::eval::consent(&dataset, Some(&truth))?;
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
    }
}
