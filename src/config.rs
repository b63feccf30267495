//! Runtime configuration, layered: built-in defaults, then a TOML file, then
//! environment variables `NEWSWORKER__SECTION__KEY`
//! (`NEWSWORKER__FETCH__ALLOW_PRIVATE_NETWORKS=true`).
//!
//! Every key is documented in `config/default.toml`. An unknown key or a bad
//! value is refused with an error that names it and where it came from, so a
//! typo in a deployment never silently falls back to a default.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The prefix of environment variables that override the file.
pub const ENV_PREFIX: &str = "NEWSWORKER__";

/// Why the configuration could not be loaded.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("configuration file {0} does not exist")]
    Missing(PathBuf),
    /// figment's message names the key and the file or variable it came from.
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub fetch: FetchConfig,
    pub extract: ExtractConfig,
    pub classify: ClassifyConfig,
    pub kafka: KafkaConfig,
    pub worker: WorkerConfig,
    pub log: LogConfig,
    pub metrics: MetricsConfig,
    pub discover: DiscoverConfig,
}

/// URL discovery (`newsworker discover`): `[discover]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscoverConfig {
    /// Feeds, sitemaps and sites: URLs, or tables `{ url, kind, interval_secs }`.
    pub sources: Vec<crate::discover::SourceSpec>,
    /// A file of one source URL per line (`#` starts a comment).
    pub sources_file: Option<PathBuf>,
    /// Seconds between two polls of a source.
    pub interval_secs: u64,
    /// Each wait is spread by up to this fraction either way.
    pub jitter: f64,
    /// After failed polls the wait doubles, up to this.
    pub max_backoff_secs: u64,
    /// Entries dated longer ago than this are skipped (0: no limit).
    pub max_age_secs: u64,
    /// The compacted topic of URLs published, keyed by canonical URL.
    pub seen_topic: String,
    /// Most URLs the seen set holds; past it the oldest are forgotten.
    pub seen_capacity: usize,
    /// Largest feed or sitemap, after decompression.
    pub max_document_bytes: u64,
    /// Most entries taken from one document.
    pub max_entries: usize,
    /// Most documents fetched in one poll of a source (indexes, feeds).
    pub max_documents_per_poll: usize,
    /// Most levels of sitemap indexes followed.
    pub max_index_depth: u32,
    /// Sources polled at once.
    pub concurrency: usize,
}

impl Default for DiscoverConfig {
    fn default() -> DiscoverConfig {
        DiscoverConfig {
            sources: Vec::new(),
            sources_file: None,
            interval_secs: 300,
            jitter: 0.1,
            max_backoff_secs: 3600,
            max_age_secs: 3 * 86_400,
            seen_topic: "news.seen".to_owned(),
            seen_capacity: 10_000_000,
            max_document_bytes: 50 * 1024 * 1024,
            max_entries: 50_000,
            max_documents_per_poll: 100,
            max_index_depth: 3,
            concurrency: 8,
        }
    }
}

impl DiscoverConfig {
    /// The bounds of one poll.
    pub fn limits(&self) -> crate::discover::Limits {
        crate::discover::Limits {
            max_document_bytes: self.max_document_bytes,
            max_entries: self.max_entries,
            max_documents: self.max_documents_per_poll,
            max_depth: self.max_index_depth,
        }
    }
}

/// Operations endpoints: `[metrics]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Where `/metrics`, `/healthz` and `/readyz` are served.
    pub listen: std::net::SocketAddr,
}

impl Default for MetricsConfig {
    fn default() -> MetricsConfig {
        MetricsConfig {
            listen: std::net::SocketAddr::from(([0, 0, 0, 0], 9095)),
        }
    }
}

/// Logging: `[log]`. The level comes from `RUST_LOG`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    pub format: LogFormat,
}

/// Human-readable lines, or one JSON object per event (for log shippers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Where messages come from and go to: `[kafka]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KafkaConfig {
    /// Bootstrap servers, comma-separated.
    pub brokers: String,
    pub group_id: String,
    pub input_topic: String,
    pub output_topic: String,
    pub dlq_topic: String,
    /// Static group membership (KIP-345): a stable id per replica.
    pub group_instance_id: Option<String>,
    /// Consume-transform-produce in Kafka transactions.
    pub exactly_once: bool,
    /// The producer's transactional id under exactly-once; see
    /// [`KafkaConfig::transactional_id`] for the default.
    pub transactional_id: Option<String>,
    /// Any librdkafka property, for TLS and SASL; applied to the consumer
    /// and the producer, after newsworker's own settings. Values may be
    /// written as strings, numbers or booleans; from the environment,
    /// `NEWSWORKER__KAFKA__PROPERTIES__SESSION_TIMEOUT_MS=6000` sets
    /// `session.timeout.ms` (see [`properties_from_env`]).
    #[serde(deserialize_with = "property_values")]
    pub properties: std::collections::BTreeMap<String, String>,
}

impl KafkaConfig {
    /// The transactional id: the configured one, else one per static
    /// member (`{group_id}-{group_instance_id}`: a restarted replica fences
    /// its previous incarnation at once), else one per process (a crashed
    /// process's open transaction then ends at the broker's transaction
    /// timeout).
    pub fn transactional_id(&self) -> String {
        if let Some(id) = &self.transactional_id {
            return id.clone();
        }
        match &self.group_instance_id {
            Some(member) => format!("{}-{member}", self.group_id),
            None => {
                let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "worker".to_owned());
                format!("{}-{host}-{}", self.group_id, std::process::id())
            }
        }
    }
}

impl Default for KafkaConfig {
    fn default() -> KafkaConfig {
        KafkaConfig {
            brokers: "127.0.0.1:9092".to_owned(),
            group_id: "newsworker".to_owned(),
            input_topic: "news.urls".to_owned(),
            output_topic: "news.articles".to_owned(),
            dlq_topic: "news.urls.dlq".to_owned(),
            group_instance_id: None,
            exactly_once: false,
            transactional_id: None,
            properties: std::collections::BTreeMap::new(),
        }
    }
}

/// How the worker runs: `[worker]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkerConfig {
    /// Messages being worked on at once; when full, no more are taken.
    pub max_in_flight: u32,
    /// Threads that extract and classify pages, one page each at a time
    /// (0: one per core the process may use). More than the cores only
    /// interleaves pages on them, each holding its DOM.
    pub extract_threads: usize,
    /// The same canonical URL seen again within this many seconds is skipped.
    pub dedup_ttl_secs: u64,
    /// At most this many URLs are remembered for deduplication.
    pub dedup_capacity: usize,
    /// On SIGTERM/SIGINT: how long in-flight messages may finish.
    pub shutdown_timeout_ms: u64,
    /// How often stored offsets are committed (under exactly-once, how
    /// long each transaction stays open).
    pub commit_interval_ms: u64,
    /// At least once: stored offsets are also committed after this many
    /// acknowledged messages, which bounds what a crash replays.
    pub commit_every: u32,
}

impl Default for WorkerConfig {
    fn default() -> WorkerConfig {
        WorkerConfig {
            max_in_flight: 64,
            extract_threads: 0,
            dedup_ttl_secs: 3600,
            dedup_capacity: 100_000,
            shutdown_timeout_ms: 30_000,
            commit_interval_ms: 1_000,
            commit_every: 5,
        }
    }
}

/// How pages are fetched: `[fetch]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FetchConfig {
    /// Sent with every request; names the bot and where to learn about it.
    pub user_agent: String,
    /// The product token robots.txt groups are matched against.
    pub robots_agent: String,
    /// Whole request, redirects and body included, from the host's turn.
    pub timeout_ms: u64,
    pub connect_timeout_ms: u64,
    /// Longest wait for the next bytes of a response.
    pub read_timeout_ms: u64,
    /// Largest body accepted, after decompression.
    pub max_body_bytes: u64,
    pub max_redirects: u32,
    /// Minimum time between the starts of two requests to one host.
    pub per_host_delay_ms: u64,
    pub per_host_concurrency: u32,
    /// Requests in flight across all hosts (`process`).
    pub max_concurrency: u32,
    pub respect_robots: bool,
    /// How long a host's robots.txt is trusted before it is fetched again.
    pub robots_ttl_secs: u64,
    /// Retries after the first attempt, for timeouts, 429 and 5xx.
    pub retries: u32,
    /// First backoff; doubles each retry, with jitter.
    pub retry_base_ms: u64,
    /// Longest backoff, and the longest `Retry-After` honoured.
    pub retry_max_ms: u64,
    /// Turns the SSRF guard off: for tests and local use only.
    pub allow_private_networks: bool,
    /// Host names exempt from the SSRF guard (an intranet news mirror).
    pub allow_hosts: Vec<String>,
}

impl Default for FetchConfig {
    fn default() -> FetchConfig {
        FetchConfig {
            user_agent: concat!(
                "newsworker/",
                env!("CARGO_PKG_VERSION"),
                " (news article indexing bot; set fetch.user_agent to your contact page)"
            )
            .to_owned(),
            robots_agent: "newsworker".to_owned(),
            timeout_ms: 30_000,
            connect_timeout_ms: 5_000,
            read_timeout_ms: 10_000,
            max_body_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            per_host_delay_ms: 1_000,
            per_host_concurrency: 1,
            max_concurrency: 32,
            respect_robots: true,
            robots_ttl_secs: 6 * 3600,
            retries: 2,
            retry_base_ms: 500,
            retry_max_ms: 30_000,
            allow_private_networks: false,
            allow_hosts: Vec::new(),
        }
    }
}

/// Extraction limits: `[extract]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExtractConfig {
    /// Pages bigger than this (after decompression) are refused.
    pub max_bytes: u64,
}

impl Default for ExtractConfig {
    fn default() -> ExtractConfig {
        ExtractConfig {
            max_bytes: crate::extract::DEFAULT_MAX_BYTES,
        }
    }
}

/// Classification data: `[classify]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ClassifyConfig {
    /// A taxonomy file to use instead of the built-in one.
    pub taxonomy: Option<PathBuf>,
    /// A topic weights file (`newsworker train classification`) instead of
    /// the built-in one.
    pub weights: Option<PathBuf>,
    /// Report topics at and above this probability instead of the weights
    /// file's threshold.
    pub threshold: Option<f64>,
}

/// The longest millisecond setting accepted: one day (librdkafka's own
/// bound for commit intervals).
const MAX_MILLIS: u64 = 86_400_000;
/// The longest second setting accepted: thirty days.
const MAX_SECS: u64 = 30 * 86_400;

impl Config {
    /// Defaults, then `file` (when given), then `NEWSWORKER__...` variables.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            if !path.is_file() {
                return Err(ConfigError::Missing(path.to_owned()));
            }
            figment = figment.merge(Toml::file_exact(path));
        }
        // librdkafka's property names have dots, which environment
        // variables cannot: those are read by hand below.
        let properties_prefix = format!("{ENV_PREFIX}KAFKA__PROPERTIES__");
        figment = figment.merge(
            Env::prefixed(ENV_PREFIX)
                .filter(|key| {
                    !key.as_str()
                        .to_ascii_uppercase()
                        .starts_with("KAFKA__PROPERTIES__")
                })
                .split("__"),
        );
        let mut config: Config = figment
            .extract()
            .map_err(|e| ConfigError::Invalid(error_text(&e)))?;
        config
            .kafka
            .properties
            .extend(properties_from_env(std::env::vars_os(), &properties_prefix));
        for warning in misspelt_variables(std::env::vars_os()) {
            tracing::warn!("{warning}");
        }
        config.validate()?;
        Ok(config)
    }

    /// Values serde accepts but the worker cannot use.
    fn validate(&self) -> Result<(), ConfigError> {
        let f = &self.fetch;
        let positive = [
            ("fetch.timeout_ms", f.timeout_ms),
            ("fetch.connect_timeout_ms", f.connect_timeout_ms),
            ("fetch.read_timeout_ms", f.read_timeout_ms),
            ("fetch.max_body_bytes", f.max_body_bytes),
            (
                "fetch.per_host_concurrency",
                u64::from(f.per_host_concurrency),
            ),
            ("fetch.max_concurrency", u64::from(f.max_concurrency)),
            ("fetch.retry_base_ms", f.retry_base_ms),
            ("extract.max_bytes", self.extract.max_bytes),
            ("worker.max_in_flight", u64::from(self.worker.max_in_flight)),
            ("worker.commit_interval_ms", self.worker.commit_interval_ms),
            ("worker.commit_every", u64::from(self.worker.commit_every)),
            ("discover.interval_secs", self.discover.interval_secs),
            ("discover.seen_capacity", self.discover.seen_capacity as u64),
            (
                "discover.max_document_bytes",
                self.discover.max_document_bytes,
            ),
            ("discover.max_entries", self.discover.max_entries as u64),
            (
                "discover.max_documents_per_poll",
                self.discover.max_documents_per_poll as u64,
            ),
            ("discover.concurrency", self.discover.concurrency as u64),
        ];
        for (key, value) in positive {
            if value == 0 {
                return Err(ConfigError::Invalid(format!(
                    "`{key}` must be greater than 0"
                )));
            }
        }
        if f.retry_max_ms < f.retry_base_ms {
            return Err(ConfigError::Invalid(format!(
                "`fetch.retry_max_ms` ({}) must not be below `fetch.retry_base_ms` ({})",
                f.retry_max_ms, f.retry_base_ms
            )));
        }
        if f.user_agent.trim().is_empty() || f.robots_agent.trim().is_empty() {
            return Err(ConfigError::Invalid(
                "`fetch.user_agent` and `fetch.robots_agent` must name the bot".to_owned(),
            ));
        }
        // A header value with a line break fails only at the first request
        // ("builder error"): refuse it here, by name.
        for (key, value) in [
            ("fetch.user_agent", &f.user_agent),
            ("fetch.robots_agent", &f.robots_agent),
        ] {
            if value.chars().any(char::is_control) {
                return Err(ConfigError::Invalid(format!(
                    "`{key}` must not contain control characters (line breaks, tabs): it is sent as an HTTP header"
                )));
            }
        }
        for entry in &f.allow_hosts {
            if crate::fetch::guard::normalize_host(entry).is_none() {
                return Err(ConfigError::Invalid(format!(
                    "`fetch.allow_hosts` entry {entry:?} is not a host name or IP address \
                     (no scheme, port, path or wildcard)"
                )));
            }
        }
        // Durations past these fail later, not here: an overflowing deadline
        // panics in a task, and librdkafka refuses commit intervals over a day.
        let millis = [
            ("fetch.timeout_ms", f.timeout_ms),
            ("fetch.connect_timeout_ms", f.connect_timeout_ms),
            ("fetch.read_timeout_ms", f.read_timeout_ms),
            ("fetch.per_host_delay_ms", f.per_host_delay_ms),
            ("fetch.retry_base_ms", f.retry_base_ms),
            ("fetch.retry_max_ms", f.retry_max_ms),
            (
                "worker.shutdown_timeout_ms",
                self.worker.shutdown_timeout_ms,
            ),
            ("worker.commit_interval_ms", self.worker.commit_interval_ms),
        ];
        for (key, value) in millis {
            if value > MAX_MILLIS {
                return Err(ConfigError::Invalid(format!(
                    "`{key}` = {value} is over the most this worker accepts ({MAX_MILLIS} ms, one day)"
                )));
            }
        }
        for (key, value) in [
            ("fetch.robots_ttl_secs", f.robots_ttl_secs),
            ("worker.dedup_ttl_secs", self.worker.dedup_ttl_secs),
            ("discover.interval_secs", self.discover.interval_secs),
            ("discover.max_backoff_secs", self.discover.max_backoff_secs),
        ] {
            if value > MAX_SECS {
                return Err(ConfigError::Invalid(format!(
                    "`{key}` = {value} is over the most this worker accepts ({MAX_SECS} s, thirty days)"
                )));
            }
        }
        let k = &self.kafka;
        for (key, value) in [
            ("kafka.brokers", &k.brokers),
            ("kafka.group_id", &k.group_id),
            ("kafka.input_topic", &k.input_topic),
            ("kafka.output_topic", &k.output_topic),
            ("kafka.dlq_topic", &k.dlq_topic),
        ] {
            if value.trim().is_empty() {
                return Err(ConfigError::Invalid(format!("`{key}` must not be empty")));
            }
        }
        if k.input_topic == k.output_topic || k.input_topic == k.dlq_topic {
            return Err(ConfigError::Invalid(
                "`kafka.input_topic` must differ from the output and dead-letter topics".to_owned(),
            ));
        }
        for (key, path) in [
            ("classify.taxonomy", &self.classify.taxonomy),
            ("classify.weights", &self.classify.weights),
        ] {
            if let Some(path) = path
                && !path.is_file()
            {
                return Err(ConfigError::Invalid(format!(
                    "`{key}`: {} does not exist",
                    path.display()
                )));
            }
        }
        let d = &self.discover;
        if !(0.0..=1.0).contains(&d.jitter) {
            return Err(ConfigError::Invalid(format!(
                "`discover.jitter` must be a fraction in [0, 1], not {}",
                d.jitter
            )));
        }
        if d.seen_topic.trim().is_empty() {
            return Err(ConfigError::Invalid(
                "`discover.seen_topic` must not be empty".to_owned(),
            ));
        }
        if [&k.input_topic, &k.output_topic, &k.dlq_topic].contains(&&d.seen_topic) {
            return Err(ConfigError::Invalid(
                "`discover.seen_topic` must differ from the worker's topics".to_owned(),
            ));
        }
        if let Some(path) = &d.sources_file
            && !path.is_file()
        {
            return Err(ConfigError::Invalid(format!(
                "`discover.sources_file`: {} does not exist",
                path.display()
            )));
        }
        if let Some(t) = self.classify.threshold
            && !(t > 0.0 && t < 1.0)
        {
            return Err(ConfigError::Invalid(format!(
                "`classify.threshold` must be a probability in (0, 1), not {t}"
            )));
        }
        Ok(())
    }

    /// The effective configuration as TOML, for `config check`.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|e| format!("# cannot render: {e}\n"))
    }
}

/// `kafka.properties` from `NEWSWORKER__KAFKA__PROPERTIES__<NAME>`
/// variables: the name lower-cased, with `_` read as `.` (librdkafka's
/// names have dots, and no underscores), so `..._SECURITY_PROTOCOL=SSL`
/// is `security.protocol = "SSL"`; a name written with dots is taken as
/// it is. Values are taken as they are, numbers included.
pub fn properties_from_env(
    vars: impl Iterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
    prefix: &str,
) -> Vec<(String, String)> {
    vars.filter_map(|(key, value)| {
        let key = key.into_string().ok()?;
        let name = key
            .get(..prefix.len())
            .filter(|p| p.eq_ignore_ascii_case(prefix))
            .map(|_| &key[prefix.len()..])?;
        let value = value.into_string().ok()?;
        Some((name.to_ascii_lowercase().replace('_', "."), value))
    })
    .filter(|(name, _)| !name.is_empty())
    .collect()
}

/// Variables that look meant for newsworker but are not read: a section
/// after a single underscore (`NEWSWORKER_FETCH__RETRIES`).
pub fn misspelt_variables(
    vars: impl Iterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
) -> Vec<String> {
    const SECTIONS: [&str; 8] = [
        "FETCH_",
        "EXTRACT_",
        "CLASSIFY_",
        "KAFKA_",
        "WORKER_",
        "LOG_",
        "METRICS_",
        "DISCOVER_",
    ];
    vars.filter_map(|(key, _)| key.into_string().ok())
        .filter(|key| {
            let upper = key.to_ascii_uppercase();
            upper
                .strip_prefix("NEWSWORKER_")
                .filter(|rest| !rest.starts_with('_'))
                .is_some_and(|rest| SECTIONS.iter().any(|s| rest.starts_with(s)))
        })
        .map(|key| {
            format!(
                "environment variable {key} is not read: configuration variables start with \
                 {ENV_PREFIX} (two underscores) and separate keys with __, e.g. \
                 NEWSWORKER__FETCH__RETRIES"
            )
        })
        .collect()
}

/// `kafka.properties` values: strings, or numbers and booleans written
/// bare, all as librdkafka's strings.
fn property_values<'de, D>(
    deserializer: D,
) -> Result<std::collections::BTreeMap<String, String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Value {
        Text(String),
        Integer(i64),
        Float(f64),
        Flag(bool),
    }
    let raw = std::collections::BTreeMap::<String, Value>::deserialize(deserializer)?;
    Ok(raw
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                Value::Text(s) => s,
                Value::Integer(n) => n.to_string(),
                Value::Float(x) => x.to_string(),
                Value::Flag(b) => b.to_string(),
            };
            (k, v)
        })
        .collect())
}

/// figment's errors, one line each, with the key and where it was set.
fn error_text(error: &figment::Error) -> String {
    error
        .clone()
        .into_iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn single_underscore_variables_are_named() {
        let vars = [
            ("NEWSWORKER_FETCH__RETRIES", "3"),
            ("NEWSWORKER_KAFKA_BROKERS", "x:9092"),
            ("NEWSWORKER__FETCH__RETRIES", "3"),
            ("NEWSWORKER_TEST_BROKERS", "x:9092"),
            ("PATH", "/bin"),
        ]
        .map(|(k, v)| (k.into(), v.into()));
        let warnings = misspelt_variables(vars.into_iter());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("NEWSWORKER_FETCH__RETRIES"));
        assert!(warnings[1].contains("NEWSWORKER_KAFKA_BROKERS"));
    }

    /// Runs `f` with only the given environment variables set (figment's
    /// Jail also serializes tests that touch the environment).
    #[allow(clippy::result_large_err)] // figment's Jail fixes the error type.
    fn with_env(pairs: &[(&str, &str)], f: impl FnOnce() -> Result<(), String>) {
        Jail::expect_with(|jail| {
            jail.clear_env();
            for (k, v) in pairs {
                jail.set_env(k, v);
            }
            f().map_err(figment::Error::from)
        });
    }

    #[test]
    fn defaults_are_polite_and_safe() {
        with_env(&[], || {
            let c = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(c.fetch.per_host_delay_ms, 1000);
            assert!(c.fetch.respect_robots);
            assert!(!c.fetch.allow_private_networks);
            assert!(c.fetch.user_agent.contains("newsworker"));
            Ok(())
        });
    }

    #[test]
    fn the_shipped_file_is_the_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/default.toml");
        with_env(&[], || {
            let c = Config::load(Some(&path)).map_err(|e| e.to_string())?;
            assert_eq!(c, Config::default());
            Ok(())
        });
    }

    #[test]
    fn environment_overrides_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "[fetch]\nretries = 5\nper_host_delay_ms = 10\n").unwrap();
        with_env(
            &[
                ("NEWSWORKER__FETCH__ALLOW_PRIVATE_NETWORKS", "true"),
                ("NEWSWORKER__FETCH__RETRIES", "1"),
                ("NEWSWORKER__FETCH__ALLOW_HOSTS", "[\"mirror.internal\"]"),
                ("OTHER__FETCH__RETRIES", "9"),
            ],
            || {
                let c = Config::load(Some(&path)).map_err(|e| e.to_string())?;
                assert!(c.fetch.allow_private_networks);
                assert_eq!(c.fetch.retries, 1);
                assert_eq!(c.fetch.per_host_delay_ms, 10);
                assert_eq!(c.fetch.allow_hosts, ["mirror.internal"]);
                Ok(())
            },
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "[fetch]\nretires = 5\n").unwrap();
        with_env(&[], || {
            let err = Config::load(Some(&path)).unwrap_err().to_string();
            assert!(err.contains("retires"), "{err}");
            assert!(err.contains("c.toml"), "{err}");
            let err = Config::load(Some(Path::new("/nonexistent.toml")))
                .unwrap_err()
                .to_string();
            assert!(err.contains("/nonexistent.toml"), "{err}");
            Ok(())
        });
        with_env(&[("NEWSWORKER__FETCH__TIMEOUT_MS", "soon")], || {
            let err = Config::load(None).unwrap_err().to_string();
            // figment names the key and the variables' prefix.
            assert!(err.to_lowercase().contains("fetch.timeout_ms"), "{err}");
            assert!(err.contains("NEWSWORKER__"), "{err}");
            Ok(())
        });
        with_env(&[("NEWSWORKER__FETCH__TIMEOUT_MS", "0")], || {
            let err = Config::load(None).unwrap_err().to_string();
            assert!(err.contains("fetch.timeout_ms"), "{err}");
            Ok(())
        });
        with_env(&[("NEWSWORKER__FETCH__SPEED", "9")], || {
            let err = Config::load(None).unwrap_err().to_string();
            assert!(err.contains("speed"), "{err}");
            Ok(())
        });
        // kafka.properties from the environment: dots for underscores,
        // numbers as they are; and from a file, bare numbers.
        std::fs::write(
            &path,
            "[kafka.properties]\n\"socket.timeout.ms\" = 30000\n\"enable.ssl.certificate.verification\" = false\n",
        )
        .unwrap();
        with_env(
            &[
                ("NEWSWORKER__KAFKA__PROPERTIES__SESSION_TIMEOUT_MS", "6000"),
                ("NEWSWORKER__KAFKA__PROPERTIES__SECURITY_PROTOCOL", "SSL"),
                ("NEWSWORKER__KAFKA__PROPERTIES__sasl.mechanism", "PLAIN"),
            ],
            || {
                let c = Config::load(Some(&path)).map_err(|e| e.to_string())?;
                let p = &c.kafka.properties;
                assert_eq!(p["session.timeout.ms"], "6000");
                assert_eq!(p["security.protocol"], "SSL");
                assert_eq!(p["sasl.mechanism"], "PLAIN");
                assert_eq!(p["socket.timeout.ms"], "30000");
                assert_eq!(p["enable.ssl.certificate.verification"], "false");
                Ok(())
            },
        );
        // An allow_hosts entry that could never match a host.
        with_env(
            &[(
                "NEWSWORKER__FETCH__ALLOW_HOSTS",
                "[\"mirror.internal:8080\"]",
            )],
            || {
                let err = Config::load(None).unwrap_err().to_string();
                assert!(err.contains("fetch.allow_hosts"), "{err}");
                assert!(err.contains("mirror.internal:8080"), "{err}");
                Ok(())
            },
        );
    }
}

#[cfg(test)]
mod discover_tests {
    use super::*;
    use crate::discover::{Kind, SourceSpec};
    use figment::Jail;

    #[test]
    // figment's Jail wants its own (large) error type back.
    #[allow(clippy::result_large_err)]
    fn discovery_sources_load_and_bad_values_are_named() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file(
                "ok.toml",
                "[discover]\nsources = [\"https://a.example/rss\", \
                 { url = \"https://b.example/sitemap.xml\", kind = \"sitemap\", interval_secs = 60 }]\n",
            )?;
            let c = Config::load(Some(Path::new("ok.toml"))).map_err(|e| e.to_string())?;
            assert_eq!(c.discover.sources.len(), 2);
            assert!(matches!(
                c.discover.sources[1],
                SourceSpec::Table {
                    kind: Kind::Sitemap,
                    interval_secs: Some(60),
                    ..
                }
            ));
            for (text, key) in [
                ("jitter = 2.0", "discover.jitter"),
                ("seen_topic = \"news.urls\"", "discover.seen_topic"),
                (
                    "sources_file = \"/nonexistent/list.txt\"",
                    "discover.sources_file",
                ),
                ("max_entries = 0", "discover.max_entries"),
                ("interval_secs = 0", "discover.interval_secs"),
                (
                    "sources = [{ url = \"https://x.example/\", kind = \"podcast\" }]",
                    "sources",
                ),
            ] {
                jail.create_file("bad.toml", &format!("[discover]\n{text}\n"))?;
                let e = Config::load(Some(Path::new("bad.toml")))
                    .unwrap_err()
                    .to_string();
                assert!(e.contains(key), "{text}: {e}");
            }
            Ok(())
        });
    }
}
