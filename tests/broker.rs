//! End to end against a real broker process (tansu, Kafka-compatible): the
//! built `newsworker` binary as a child process, the benchmark pages served
//! on 127.0.0.1, a few hundred URLs plus poison, SIGKILL part-way, a
//! restart, then SIGTERM.
//!
//! The broker's address comes from `NEWSWORKER_TEST_BROKERS`, which
//! `.ci/test` sets after it starts tansu. Without it the tests say so and
//! pass, except under CI, where a missing broker is a failure.

mod common;

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message, OwnedMessage};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};

const INPUT_PARTITIONS: i32 = 3;
const URLS: usize = 300;

/// The benchmark pages (or, without ../shared, the bundled examples),
/// decompressed.
fn pages() -> Vec<Vec<u8>> {
    let bench = common::shared().map(|s| s.join("bench/scrapinghub/html"));
    match bench.filter(|d| d.is_dir()) {
        Some(dir) => common::files_in(&dir)
            .iter()
            .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
            .map(|p| {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(std::fs::File::open(p).unwrap())
                    .read_to_end(&mut out)
                    .unwrap();
                out
            })
            .collect(),
        None => common::files_in(&common::repo().join("examples/pages"))
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .map(|p| std::fs::read(p).unwrap())
            .collect(),
    }
}

/// Serves page `n % pages` under /page/n, each after `delay`, so a run
/// lasts long enough to be killed part-way.
async fn serve(delay: Duration) -> u16 {
    let pages = Arc::new(pages());
    let app = Router::new().route(
        "/page/{n}",
        get(move |Path(n): Path<usize>| {
            let pages = Arc::clone(&pages);
            async move {
                tokio::time::sleep(delay).await;
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    pages[n % pages.len()].clone(),
                )
                    .into_response()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr.port()
}

/// Topic names of one test run: fresh on a long-lived broker.
#[derive(Clone)]
struct Topics {
    input: String,
    output: String,
    dlq: String,
    group: String,
}

impl Topics {
    fn new(name: &str) -> Topics {
        let run = format!("{name}-{}", fastrand::u32(..));
        Topics {
            input: format!("{run}.urls"),
            output: format!("{run}.articles"),
            dlq: format!("{run}.urls.dlq"),
            group: format!("{run}-workers"),
        }
    }

    async fn create(&self, brokers: &str) {
        let admin: AdminClient<_> = ClientConfig::new()
            .set("bootstrap.servers", brokers)
            .create()
            .unwrap();
        let topics = [
            NewTopic::new(&self.input, INPUT_PARTITIONS, TopicReplication::Fixed(1)),
            NewTopic::new(&self.output, 1, TopicReplication::Fixed(1)),
            NewTopic::new(&self.dlq, 1, TopicReplication::Fixed(1)),
        ];
        let results = admin
            .create_topics(&topics, &AdminOptions::new())
            .await
            .unwrap();
        for r in results {
            r.unwrap();
        }
    }
}

/// Produces the URLs (JSON with an id each) and the poison messages;
/// returns where each landed: id (or poison key) -> (partition, offset).
async fn produce(brokers: &str, topics: &Topics, port: u16) -> HashMap<String, (i32, i64)> {
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .create()
        .unwrap();
    let mut messages: Vec<(String, Vec<u8>)> = (0..URLS)
        .map(|i| {
            let id = format!("m-{i}");
            let json = serde_json::json!({
                "url": format!("http://127.0.0.1:{port}/page/{i}"),
                "id": id,
            });
            (id, json.to_string().into_bytes())
        })
        .collect();
    for (key, value) in [
        ("poison-empty", &b""[..]),
        ("poison-binary", b"\xff\xfe\x00"),
        ("poison-json", b"{\"url\": "),
        ("poison-nourl", b"{\"link\": 1}"),
        ("poison-scheme", b"ftp://example.com/x"),
    ] {
        messages.push((key.to_owned(), value.to_vec()));
    }
    let mut placed = HashMap::new();
    for (key, value) in &messages {
        let delivery = producer
            .send(
                FutureRecord::to(&topics.input).key(key).payload(value),
                Duration::from_secs(30),
            )
            .await
            .map_err(|(e, _)| e)
            .unwrap();
        placed.insert(key.clone(), (delivery.partition, delivery.offset));
    }
    placed
}

/// Reads the output and dead-letter topics from the start, on a thread,
/// until dropped. Reads committed data only (librdkafka's default).
struct Collector {
    records: Arc<Mutex<Vec<OwnedMessage>>>,
    dead: Arc<Mutex<Vec<OwnedMessage>>>,
    stop: Arc<AtomicBool>,
}

impl Collector {
    fn start(brokers: &str, topics: &Topics) -> Collector {
        let consumer: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", brokers)
            .set("group.id", format!("{}-reader", topics.group))
            .set("enable.auto.commit", "false")
            .set("isolation.level", "read_committed")
            .create()
            .unwrap();
        let mut tpl = TopicPartitionList::new();
        tpl.add_partition_offset(&topics.output, 0, Offset::Beginning)
            .unwrap();
        tpl.add_partition_offset(&topics.dlq, 0, Offset::Beginning)
            .unwrap();
        consumer.assign(&tpl).unwrap();
        let records = Arc::new(Mutex::new(Vec::new()));
        let dead = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (r, d, s, output) = (
            Arc::clone(&records),
            Arc::clone(&dead),
            Arc::clone(&stop),
            topics.output.clone(),
        );
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                if let Some(Ok(m)) = consumer.poll(Duration::from_millis(100)) {
                    let m = m.detach();
                    if m.topic() == output {
                        r.lock().unwrap().push(m);
                    } else {
                        d.lock().unwrap().push(m);
                    }
                }
            }
        });
        Collector {
            records,
            dead,
            stop,
        }
    }

    fn count(&self) -> usize {
        self.records.lock().unwrap().len() + self.dead.lock().unwrap().len()
    }

    /// Record ids with how often each arrived, and the dead letters'
    /// source positions.
    fn outputs(&self) -> (HashMap<String, usize>, HashSet<(i32, i64)>) {
        let mut ids: HashMap<String, usize> = HashMap::new();
        for m in self.records.lock().unwrap().iter() {
            let record: serde_json::Value = serde_json::from_slice(m.payload().unwrap()).unwrap();
            let id = record["request"]["id"].as_str().unwrap().to_owned();
            *ids.entry(id).or_default() += 1;
        }
        let dead = self
            .dead
            .lock()
            .unwrap()
            .iter()
            .map(|m| {
                let header = |key: &str| -> i64 {
                    let h = m.headers().unwrap();
                    let value = h.iter().find(|h| h.key == key).unwrap().value.unwrap();
                    std::str::from_utf8(value).unwrap().parse().unwrap()
                };
                (
                    i32::try_from(header("source.partition")).unwrap(),
                    header("source.offset"),
                )
            })
            .collect();
        (ids, dead)
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The worker binary with a config file for this run.
fn spawn_worker(
    brokers: &str,
    topics: &Topics,
    exactly_once: bool,
    dir: &std::path::Path,
) -> Child {
    let config = dir.join("worker.toml");
    let text = format!(
        r#"
[kafka]
brokers = "{brokers}"
group_id = "{group}"
input_topic = "{input}"
output_topic = "{output}"
dlq_topic = "{dlq}"
exactly_once = {exactly_once}
transactional_id = "{group}-tx"

[kafka.properties]
# A killed member leaves the group when its session times out.
"session.timeout.ms" = "6000"

[worker]
shutdown_timeout_ms = 20000

[fetch]
allow_private_networks = true
per_host_delay_ms = 0
per_host_concurrency = 8
respect_robots = false
retries = 0

[metrics]
listen = "127.0.0.1:0"

[log]
format = "json"
"#,
        group = topics.group,
        input = topics.input,
        output = topics.output,
        dlq = topics.dlq,
    );
    std::fs::write(&config, text).unwrap();
    Command::new(env!("CARGO_BIN_EXE_newsworker"))
        .arg("run")
        .arg("--config")
        .arg(&config)
        // NEWSWORKER_TEST_LOG=info (or a filter such as
        // "warn,newsworker::kafka=info") shows rebalances in a failure's log.
        .env(
            "RUST_LOG",
            std::env::var("NEWSWORKER_TEST_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Polls `done` every 100 ms until it holds or `limit` passes.
async fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    done()
}

fn committed_and_ends(brokers: &str, topics: &Topics) -> (Vec<i64>, Vec<i64>) {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", &topics.group)
        .create()
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    for p in 0..INPUT_PARTITIONS {
        tpl.add_partition(&topics.input, p);
    }
    let got = consumer
        .committed_offsets(tpl, Duration::from_secs(10))
        .unwrap();
    let committed = (0..INPUT_PARTITIONS)
        .map(
            |p| match got.find_partition(&topics.input, p).unwrap().offset() {
                Offset::Offset(o) => o,
                // Nothing committed: the start of the fresh partition.
                _ => 0,
            },
        )
        .collect();
    let ends = (0..INPUT_PARTITIONS)
        .map(|p| {
            consumer
                .fetch_watermarks(&topics.input, p, Duration::from_secs(10))
                .unwrap()
                .1
        })
        .collect();
    (committed, ends)
}

/// Everything a killed-and-restarted run must show; returns the number of
/// duplicate records.
async fn kill_restart_terminate(name: &str, exactly_once: bool) -> Option<usize> {
    let brokers = common::test_brokers()?;
    let port = serve(Duration::from_millis(30)).await;
    let topics = Topics::new(name);
    topics.create(&brokers).await;
    let placed = produce(&brokers, &topics, port).await;
    let collector = Collector::start(&brokers, &topics);
    let dir = tempfile::tempdir().unwrap();

    // First run: killed part-way, no chance to flush or commit.
    let mut first = spawn_worker(&brokers, &topics, exactly_once, dir.path());
    let part_way = wait_until(Duration::from_secs(120), || collector.count() >= 60).await;
    first.kill().unwrap();
    let mut stderr = String::new();
    first
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    first.wait().unwrap();
    assert!(part_way, "the first run produced too little: {stderr}");
    let at_kill = collector.count();
    assert!(
        at_kill < placed.len(),
        "the kill came after the whole input ({at_kill} outputs): nothing to restart"
    );

    // Second run: picks up from the last commit.
    let mut second = spawn_worker(&brokers, &topics, exactly_once, dir.path());
    let all_accounted = |c: &Collector| {
        let (ids, dead) = c.outputs();
        placed
            .iter()
            .all(|(key, at)| ids.contains_key(key) || dead.contains(at))
    };
    let complete = wait_until(Duration::from_secs(180), || all_accounted(&collector)).await;

    // SIGTERM: exit 0 with every offset committed.
    let pid = i32::try_from(second.id()).unwrap();
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let mut stderr = String::new();
    second
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = second.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");

    let (ids, dead) = collector.outputs();
    let missing: Vec<&String> = placed
        .iter()
        .filter(|(key, at)| !ids.contains_key(*key) && !dead.contains(at))
        .map(|(key, _)| key)
        .collect();
    assert!(
        complete && missing.is_empty(),
        "input without output or dead letter: {missing:?}\n{stderr}"
    );
    for key in placed.keys().filter(|k| k.starts_with("poison-")) {
        assert!(dead.contains(&placed[key]), "{key} has no dead letter");
    }
    let (b, t) = (brokers.clone(), topics.clone());
    let (committed, ends) = tokio::task::spawn_blocking(move || committed_and_ends(&b, &t))
        .await
        .unwrap();
    assert_eq!(
        committed, ends,
        "every input offset committed at SIGTERM; the second run said:\n{stderr}"
    );

    let duplicates: usize = ids.values().map(|n| n - 1).sum();
    eprintln!(
        "{name}: {} inputs, {} records, {} dead letters, {at_kill} outputs before SIGKILL, {duplicates} duplicate records",
        placed.len(),
        ids.values().sum::<usize>(),
        dead.len()
    );
    Some(duplicates)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_least_once_survives_sigkill_and_restart() {
    let Some(duplicates) = kill_restart_terminate("alo", false).await else {
        return;
    };
    // Duplicates are allowed (at least once) but bounded by what was
    // acknowledged and not yet committed at the kill: at the default
    // commit cadence (every 5 stored messages and every second) a few, at
    // about 1,000 pages a second; measured 0 to 7% over 32 runs (README).
    // The bound here leaves room for a slow CI machine.
    assert!(
        duplicates * 10 <= URLS,
        "{duplicates} duplicates of {URLS}: over 10%"
    );
}

/// tansu 0.6.0 registers transactional producers and takes their offsets
/// but does not route EndTxn, so no transaction can commit there: run this
/// against Apache Kafka with `NEWSWORKER_TEST_BROKERS=host:port cargo test
/// --release --test broker -- --ignored`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a broker with Kafka transactions (EndTxn); tansu 0.6.0 has none"]
async fn exactly_once_survives_sigkill_and_restart_without_duplicates() {
    let Some(duplicates) = kill_restart_terminate("eos", true).await else {
        return;
    };
    assert_eq!(
        duplicates, 0,
        "a read_committed reader sees each record once"
    );
}
