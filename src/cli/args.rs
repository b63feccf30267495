//! The command line's arguments (clap).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "newsworker",
    version,
    about = "News URLs in, clean geopolitically tagged article records out"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Extract articles from HTML files (plain or gzip); one JSON record per file.
    Extract {
        /// The page's URL: resolves relative links and gives the record id.
        #[arg(long)]
        url: Option<String>,
        /// Refuse pages bigger than this many bytes (after decompression).
        #[arg(long, default_value_t = crate::extract::DEFAULT_MAX_BYTES)]
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
    /// Watch feeds, sitemaps and sites and publish every new article URL
    /// once to the worker's input topic (or standard output).
    Discover {
        /// Configuration file (TOML; see config/default.toml, `[discover]`).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Poll every source once and exit: 0 when all could be read, 1
        /// when any failed (after trying all).
        #[arg(long)]
        once: bool,
        /// Write the requests as JSON lines to standard output instead of Kafka.
        #[arg(long)]
        stdout: bool,
        /// Where the URLs already published are remembered: "kafka" (the
        /// compacted discover.seen_topic; the default with Kafka output) or
        /// "memory" (this run only; the default with --stdout).
        #[arg(long, value_parser = ["kafka", "memory"])]
        seen: Option<String>,
        /// Sources to poll besides (or instead of) the configured ones.
        sources: Vec<String>,
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
pub enum TrainCommand {
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
        /// Classify only the first N words of each article's body: the
        /// labels' annotators read that much (geo-dev-v2: 600), and what only
        /// the rest names is absent from their labels.
        #[arg(long, value_name = "N")]
        read_words: Option<usize>,
    },
}

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Load the configuration (defaults, file, NEWSWORKER__ variables),
    /// check it, and print the effective values.
    Check {
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum EvalCommand {
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
        #[arg(long, default_value_t = crate::eval::TIMING_ROUNDS)]
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
        /// A taxonomy file instead of the built-in one: measures an edited
        /// term list without rebuilding (with --cross-validate the weights
        /// are refitted to it).
        #[arg(long)]
        taxonomy: Option<PathBuf>,
        /// Report topics at and above this probability instead of the
        /// weights file's threshold.
        #[arg(long)]
        threshold: Option<f64>,
        /// Score with models fitted on the other folds only (honest figures
        /// on the data the built-in weights were fitted to): the number of folds.
        #[arg(long)]
        cross_validate: Option<usize>,
        /// Classify only the first N words of each article's body: the
        /// labels' annotators read that much (geo-dev-v2: 600), and what only
        /// the rest names is absent from their labels.
        #[arg(long, value_name = "N")]
        read_words: Option<usize>,
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
