//! The worker on rust-rdkafka's in-process mock cluster (the real Kafka
//! protocol, no broker to install), against a real HTTP server on
//! 127.0.0.1: records out, dead letters with their headers, committed
//! offsets, and a restart that resumes where the last run committed.

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use newsworker::config::{FetchConfig, KafkaConfig, WorkerConfig};
use newsworker::extract::Options;
use newsworker::fetch::Fetcher;
use newsworker::kafka::Worker;
use newsworker::metrics::Metrics;
use newsworker::pipeline::Pipeline;
use rdkafka::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};

const INPUT: &str = "news.urls";
const OUTPUT: &str = "news.articles";
const DLQ: &str = "news.urls.dlq";

/// Serves the seed page under /page/N (each N its own article, so records
/// differ), and 404 elsewhere.
async fn serve() -> u16 {
    let seed =
        std::fs::read_to_string(common::repo().join("examples/pages/nato-vilnius-2023.html"))
            .unwrap();
    let seed = Arc::new(seed);
    let app = Router::new().route(
        "/{*path}",
        get(move |Path(path): Path<String>| {
            let seed = Arc::clone(&seed);
            async move {
                if path == "slow" {
                    // Headers never come within a test's patience.
                    tokio::time::sleep(Duration::from_secs(120)).await;
                }
                match path.strip_prefix("page/") {
                    Some(n) => Response::builder()
                        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
                        .body(
                            seed.replace(
                                "On the second and final day",
                                &format!("Report {n}. On the second and final day"),
                            )
                            .into(),
                        )
                        .unwrap(),
                    None => StatusCode::NOT_FOUND.into_response(),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr.port()
}

/// A one-broker mock cluster with the three topics; `input_partitions` for
/// the input.
fn cluster(
    input_partitions: i32,
) -> (
    MockCluster<'static, rdkafka::producer::DefaultProducerContext>,
    String,
) {
    let cluster = MockCluster::new(1).unwrap();
    cluster.create_topic(INPUT, input_partitions, 1).unwrap();
    cluster.create_topic(OUTPUT, 1, 1).unwrap();
    cluster.create_topic(DLQ, 1, 1).unwrap();
    let brokers = cluster.bootstrap_servers();
    (cluster, brokers)
}

/// Page URLs `range` of the test server, as bare-URL messages.
fn page_urls(port: u16, range: std::ops::Range<u32>) -> Vec<String> {
    range
        .map(|i| format!("http://127.0.0.1:{port}/page/{i}"))
        .collect()
}

fn unkeyed(urls: &[String]) -> Vec<(Option<&str>, &[u8])> {
    urls.iter().map(|u| (None, u.as_bytes())).collect()
}

/// A worker running in a task until the returned sender fires.
fn start(
    brokers: &str,
    group: &str,
) -> (
    Arc<Metrics>,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<Result<(), newsworker::kafka::WorkerError>>,
) {
    start_worker(worker(brokers, group))
}

fn start_worker(
    w: Worker,
) -> (
    Arc<Metrics>,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<Result<(), newsworker::kafka::WorkerError>>,
) {
    let metrics = Arc::clone(&w.metrics);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let run = tokio::spawn(w.run(async {
        let _ = stopped.await;
    }));
    (metrics, stop, run)
}

fn produce(brokers: &str, messages: &[(Option<&str>, &[u8])]) {
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .create()
        .unwrap();
    for (key, value) in messages {
        let mut record = BaseRecord::<str, [u8]>::to(INPUT).payload(*value);
        if let Some(k) = key {
            record = record.key(*k);
        }
        producer.send(record).map_err(|(e, _)| e).unwrap();
    }
    producer.flush(Duration::from_secs(10)).unwrap();
}

/// Every message of `topic`, read from the start, until `want` arrived.
fn read_all(brokers: &str, topic: &str, want: usize) -> Vec<rdkafka::message::OwnedMessage> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", format!("reader-{topic}-{}", fastrand::u64(..)))
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .create()
        .unwrap();
    consumer.subscribe(&[topic]).unwrap();
    let mut out = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(90);
    while out.len() < want && Instant::now() < deadline {
        if let Some(Ok(m)) = consumer.poll(Duration::from_millis(200)) {
            out.push(m.detach());
        }
    }
    // A little longer, to catch extras.
    let settle = Instant::now() + Duration::from_millis(500);
    while Instant::now() < settle {
        if let Some(Ok(m)) = consumer.poll(Duration::from_millis(100)) {
            out.push(m.detach());
        }
    }
    out
}

fn committed(brokers: &str, group: &str, partitions: i32) -> Vec<i64> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", group)
        .create()
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    for p in 0..partitions {
        tpl.add_partition(INPUT, p);
    }
    let got = consumer
        .committed_offsets(tpl, Duration::from_secs(10))
        .unwrap();
    (0..partitions)
        .map(|p| match got.find_partition(INPUT, p).unwrap().offset() {
            Offset::Offset(o) => o,
            // Nothing committed: the position is the start of the (fresh)
            // partition, which is all an empty partition can have.
            _ => 0,
        })
        .collect()
}

/// Waits (up to 60 s) until the group's committed offsets reach the input's
/// end; returns both. Under at-least-once, messages in flight across a
/// rebalance are delivered again before their offsets commit.
async fn wait_committed(brokers: &str, group: &str, partitions: i32) -> (Vec<i64>, Vec<i64>) {
    let (b, g) = (brokers.to_owned(), group.to_owned());
    tokio::task::spawn_blocking(move || {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let (now, ends) = (committed(&b, &g, partitions), end_offsets(&b, partitions));
            if now == ends || Instant::now() > deadline {
                return (now, ends);
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    })
    .await
    .unwrap()
}

fn end_offsets(brokers: &str, partitions: i32) -> Vec<i64> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .create()
        .unwrap();
    (0..partitions)
        .map(|p| {
            consumer
                .fetch_watermarks(INPUT, p, Duration::from_secs(10))
                .unwrap()
                .1
        })
        .collect()
}

/// The records' distinct `url` fields, sorted.
fn distinct_urls(records: &[rdkafka::message::OwnedMessage]) -> Vec<String> {
    let mut urls: Vec<String> = records
        .iter()
        .map(|m| {
            let r: serde_json::Value = serde_json::from_slice(m.payload().unwrap()).unwrap();
            r["url"].as_str().unwrap().to_owned()
        })
        .collect();
    urls.sort();
    urls.dedup();
    urls
}

fn header<'a>(m: &'a rdkafka::message::OwnedMessage, key: &str) -> Option<&'a str> {
    let headers = m.headers()?;
    headers
        .iter()
        .find(|h| h.key == key)
        .and_then(|h| h.value)
        .and_then(|v| std::str::from_utf8(v).ok())
}

fn worker(brokers: &str, group: &str) -> Worker {
    worker_with(brokers, group, false)
}

fn worker_with(brokers: &str, group: &str, exactly_once: bool) -> Worker {
    worker_configured(brokers, group, exactly_once, &[], test_fetch())
}

/// Fetching for the tests: the server is on loopback, no delay, no retries.
fn test_fetch() -> FetchConfig {
    FetchConfig {
        allow_private_networks: true,
        per_host_delay_ms: 0,
        retries: 0,
        ..FetchConfig::default()
    }
}

/// A worker with extra librdkafka `properties`.
fn worker_configured(
    brokers: &str,
    group: &str,
    exactly_once: bool,
    properties: &[(&str, &str)],
    fetch: FetchConfig,
) -> Worker {
    let pipeline = Arc::new(
        Pipeline::new(
            Fetcher::new(&fetch).unwrap(),
            Arc::new(newsworker::classify::Classifier::built_in().unwrap()),
            Options::default(),
            0,
        )
        .unwrap(),
    );
    let kafka = KafkaConfig {
        brokers: brokers.to_owned(),
        group_id: group.to_owned(),
        // The mock cluster holds a departed member until its session times
        // out (45 s by default), which the restart below would wait for.
        properties: [("session.timeout.ms", "6000")]
            .iter()
            .chain(properties)
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        exactly_once,
        transactional_id: exactly_once.then(|| format!("{group}-tx")),
        ..KafkaConfig::default()
    };
    let config = WorkerConfig {
        max_in_flight: 8,
        commit_interval_ms: 200,
        shutdown_timeout_ms: 10_000,
        ..WorkerConfig::default()
    };
    Worker::new(&kafka, &config, pipeline, Arc::new(Metrics::new())).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urls_become_records_poison_becomes_dead_letters_and_offsets_commit() {
    let port = serve().await;
    let (_cluster, brokers) = cluster(3);

    let pages = 20;
    let urls: Vec<String> = (0..pages)
        .map(|i| format!("http://127.0.0.1:{port}/page/{i}"))
        .collect();
    let json = format!(
        r#"{{"url":"http://127.0.0.1:{port}/page/json","id":"req-7","source":"feed","meta":{{"lang":"en"}}}}"#
    );
    let gone = format!("http://127.0.0.1:{port}/gone");
    let mut messages: Vec<(Option<&str>, &[u8])> = unkeyed(&urls);
    messages.push((Some("k-json"), json.as_bytes()));
    let poison: [(Option<&str>, &[u8]); 4] = [
        (Some("k-empty"), b""),
        (Some("k-binary"), b"\xff\xfe\x00\x01"),
        (Some("k-badjson"), b"{\"url\": "),
        (Some("k-nourl"), b"{\"link\": \"x\"}"),
    ];
    messages.extend(poison);
    messages.push((Some("k-gone"), gone.as_bytes()));
    // The same canonical URL again: skipped, not fetched twice.
    let duplicate = format!("{}?utm_source=x", urls[0]);
    messages.push((None, duplicate.as_bytes()));
    produce(&brokers, &messages);

    let group = "workers";
    let (counters, stop, run) = start(&brokers, group);

    let b = brokers.clone();
    let records = tokio::task::spawn_blocking(move || read_all(&b, OUTPUT, pages + 1))
        .await
        .unwrap();
    let b = brokers.clone();
    let dead = tokio::task::spawn_blocking(move || read_all(&b, DLQ, 5))
        .await
        .unwrap();

    assert_eq!(records.len(), pages + 1, "one record per distinct URL");
    for m in &records {
        assert_eq!(header(m, "content-type"), Some("application/json"));
        assert_eq!(header(m, "schema"), Some("newsworker.article.v1.4"));
        let record: serde_json::Value = serde_json::from_slice(m.payload().unwrap()).unwrap();
        assert_eq!(
            m.key().map(|k| String::from_utf8_lossy(k).into_owned()),
            record["id"].as_str().map(str::to_owned)
        );
        common::assert_valid_record(&record);
    }
    let with_request: Vec<serde_json::Value> = records
        .iter()
        .map(|m| serde_json::from_slice::<serde_json::Value>(m.payload().unwrap()).unwrap())
        .filter(|r| r["request"]["id"] == "req-7")
        .collect();
    assert_eq!(with_request.len(), 1);
    assert_eq!(with_request[0]["request"]["meta"]["lang"], "en");

    assert_eq!(dead.len(), 5, "four poison messages and one failing URL");
    let by_key: HashMap<String, &rdkafka::message::OwnedMessage> = dead
        .iter()
        .map(|m| (String::from_utf8_lossy(m.key().unwrap()).into_owned(), m))
        .collect();
    for (key, class) in [
        ("k-empty", "empty_message"),
        ("k-binary", "binary_message"),
        ("k-badjson", "bad_json"),
        ("k-nourl", "no_url"),
    ] {
        let m = by_key[key];
        assert_eq!(header(m, "error.class"), Some(class), "{key}");
        assert_eq!(header(m, "error.stage"), Some("decode"), "{key}");
        assert_eq!(header(m, "source.topic"), Some(INPUT));
        assert!(header(m, "source.offset").is_some());
        assert!(header(m, "worker.version").is_some());
    }
    assert_eq!(
        by_key["k-binary"].payload(),
        Some(&b"\xff\xfe\x00\x01"[..]),
        "value unchanged"
    );
    let gone_letter = by_key["k-gone"];
    assert_eq!(header(gone_letter, "error.class"), Some("http_status"));
    assert_eq!(header(gone_letter, "error.stage"), Some("fetch"));
    assert_eq!(header(gone_letter, "attempts"), Some("1"));
    assert_eq!(gone_letter.payload(), Some(gone.as_bytes()));
    let (committed_now, ends) = wait_committed(&brokers, group, 3).await;
    assert_eq!(
        committed_now,
        ends,
        "every input offset committed; in flight {}, consumed {}, produced {}, unwritten {}",
        counters.in_flight.get(),
        counters.consumed.get(),
        counters.produced.get(),
        counters.lost_outputs.get()
    );

    stop.send(()).unwrap();
    run.await.unwrap().unwrap();
    assert_eq!(counters.skipped_duplicates.get(), 1);
    assert_eq!(counters.lost_outputs.get(), 0);
    assert_eq!(counters.produced.get(), pages as u64 + 1);
    let exposition = counters.render();
    assert!(
        exposition.contains("newsworker_dead_letters_total{class=\"http_status\"} 1"),
        "{exposition}"
    );
    let b = brokers.clone();
    let (committed_now, ends) =
        tokio::task::spawn_blocking(move || (committed(&b, group, 3), end_offsets(&b, 3)))
            .await
            .unwrap();
    assert_eq!(
        committed_now, ends,
        "every input offset committed at shutdown"
    );

    // A restart resumes where the last run committed: only new messages.
    let fresh: Vec<String> = page_urls(port, 100..103);
    let fresh_messages: Vec<(Option<&str>, &[u8])> = unkeyed(&fresh);
    produce(&brokers, &fresh_messages);
    let (counters, stop, run) = start(&brokers, group);
    let b = brokers.clone();
    let records = tokio::task::spawn_blocking(move || read_all(&b, OUTPUT, pages + 4))
        .await
        .unwrap();
    stop.send(()).unwrap();
    run.await.unwrap().unwrap();
    assert_eq!(
        records.len(),
        pages + 4,
        "the restart processed only the 3 new URLs"
    );
    // The 3 new messages, plus any redelivered by a rebalance (skipped as
    // duplicates); far fewer than a restart from the beginning would take.
    let consumed = counters.consumed.get();
    assert!((3..10).contains(&consumed), "consumed {consumed}");
}

/// A dead letter the broker would refuse must not hold its partition: a
/// near-1 MB message gets a dead letter with its value cut (and its size
/// said), and where even that is refused (the producer's limit set low), a
/// minimal one; either way the offsets move on and the next URL is done.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_letters_always_fit_so_no_partition_is_stuck() {
    let port = serve().await;
    for (case, huge_len, properties) in [
        ("capped", 999_800, &[][..]),
        ("minimal", 30_000, &[("message.max.bytes", "20000")][..]),
    ] {
        let (_cluster, brokers) = cluster(1);
        let huge = vec![b'u'; huge_len];
        let next = format!("http://127.0.0.1:{port}/page/1");
        produce(
            &brokers,
            &[(Some("huge"), &huge[..]), (None, next.as_bytes())],
        );
        let group = format!("fit-{case}");
        let (metrics, stop, run) = start_worker(worker_configured(
            &brokers,
            &group,
            false,
            properties,
            test_fetch(),
        ));
        let b = brokers.clone();
        let dead = tokio::task::spawn_blocking(move || read_all(&b, DLQ, 1))
            .await
            .unwrap();
        let (committed_now, ends) = wait_committed(&brokers, &group, 1).await;
        stop.send(()).unwrap();
        run.await.unwrap().unwrap();

        assert_eq!(dead.len(), 1, "{case}");
        let letter = &dead[0];
        assert_eq!(header(letter, "source.offset"), Some("0"), "{case}");
        assert_eq!(
            header(letter, "truncated.value.bytes"),
            Some(huge_len.to_string().as_str()),
            "{case}"
        );
        match case {
            "capped" => {
                assert_eq!(letter.payload().map(<[u8]>::len), Some(64 * 1024));
                assert_eq!(header(letter, "dead_letter.minimal"), None);
            }
            _ => {
                assert_eq!(letter.payload(), None);
                let why = header(letter, "dead_letter.minimal").unwrap();
                assert!(why.contains("MessageSizeTooLarge"), "{why}");
            }
        }
        assert_eq!(committed_now, ends, "{case}: the partition moved on");
        assert_eq!(metrics.lost_outputs.get(), 0, "{case}");
    }
}

/// A message whose work panics is not lost and does not hold its
/// partition: it becomes a dead letter of class `internal`, counted, and
/// the window slot and the in-flight gauge are given back. The panic is a
/// real one: a robots.txt TTL that overflows the clock, a value config
/// loading refuses but a program building its config by hand can give.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_message_becomes_a_dead_letter() {
    let port = serve().await;
    let (_cluster, brokers) = cluster(1);
    let urls = page_urls(port, 0..2);
    produce(&brokers, &unkeyed(&urls));
    let fetch = FetchConfig {
        robots_ttl_secs: u64::MAX,
        ..test_fetch()
    };
    let group = "panics";
    let (metrics, stop, run) = start_worker(worker_configured(&brokers, group, false, &[], fetch));
    let b = brokers.clone();
    let dead = tokio::task::spawn_blocking(move || read_all(&b, DLQ, 2))
        .await
        .unwrap();
    let (committed_now, ends) = wait_committed(&brokers, group, 1).await;
    stop.send(()).unwrap();
    run.await.unwrap().unwrap();
    assert_eq!(dead.len(), 2);
    for letter in &dead {
        assert_eq!(header(letter, "error.class"), Some("internal"));
        assert_eq!(header(letter, "error.stage"), Some("process"));
        assert!(
            header(letter, "error.message")
                .unwrap()
                .contains("panicked"),
        );
    }
    assert_eq!(committed_now, ends, "the partition moved on");
    assert_eq!(metrics.panics.get(), 2);
    assert_eq!(metrics.in_flight.get(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_runs_until_sigterm_then_exits_0_with_offsets_committed() {
    let port = serve().await;
    let (_cluster, brokers) = cluster(2);
    let urls: Vec<String> = page_urls(port, 0..6);
    let messages: Vec<(Option<&str>, &[u8])> = unkeyed(&urls);
    produce(&brokers, &messages);
    let metrics_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_newsworker"))
        .arg("run")
        .env("NEWSWORKER__KAFKA__BROKERS", &brokers)
        .env("NEWSWORKER__KAFKA__GROUP_ID", "binary")
        .env("NEWSWORKER__FETCH__ALLOW_PRIVATE_NETWORKS", "true")
        .env("NEWSWORKER__FETCH__PER_HOST_DELAY_MS", "0")
        .env("NEWSWORKER__WORKER__COMMIT_INTERVAL_MS", "200")
        .env("NEWSWORKER__LOG__FORMAT", "json")
        .env(
            "NEWSWORKER__METRICS__LISTEN",
            format!("127.0.0.1:{metrics_port}"),
        )
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let b = brokers.clone();
    let records = tokio::task::spawn_blocking(move || read_all(&b, OUTPUT, 6))
        .await
        .unwrap();
    assert_eq!(records.len(), 6);
    let get = |path: &str| {
        let url = format!("http://127.0.0.1:{metrics_port}{path}");
        async move {
            let r = reqwest::get(url).await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    assert_eq!(get("/healthz").await.0, 200);
    // Ready once the producer check has run and partitions are assigned.
    let mut ready = (0, String::new());
    for _ in 0..50 {
        ready = get("/readyz").await;
        if ready.0 == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(ready.0, 200, "{}", ready.1);
    let (status, text) = get("/metrics").await;
    assert_eq!(status, 200);
    assert!(
        text.contains("newsworker_records_produced_total 6"),
        "{text}"
    );
    assert!(
        text.contains("newsworker_fetch_duration_seconds_count 6"),
        "{text}"
    );

    signal(&child, libc::SIGTERM);
    let output = tokio::task::spawn_blocking(move || {
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        (status, stderr)
    })
    .await
    .unwrap();
    assert_eq!(output.0.code(), Some(0), "{}", output.1);
    // JSON logs, with the shutdown in them.
    let last: serde_json::Value = serde_json::from_str(output.1.lines().last().unwrap()).unwrap();
    assert_eq!(last["fields"]["message"], "worker stopped");
    assert!(output.1.contains("SIGTERM"), "{}", output.1);
    let b = brokers.clone();
    let (committed_now, ends) =
        tokio::task::spawn_blocking(move || (committed(&b, "binary", 2), end_offsets(&b, 2)))
            .await
            .unwrap();
    assert_eq!(committed_now, ends, "{}", output.1);
}

/// The binary with one fetch that never ends: returns the child once the
/// fetch is in flight, and its metrics port.
async fn binary_with_a_slow_fetch(
    brokers: &str,
    group: &str,
    port: u16,
    shutdown_timeout_ms: u64,
) -> (std::process::Child, u16) {
    let slow = format!("http://127.0.0.1:{port}/slow");
    produce(brokers, &[(None, slow.as_bytes())]);
    let metrics_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_newsworker"))
        .arg("run")
        .env("NEWSWORKER__KAFKA__BROKERS", brokers)
        .env("NEWSWORKER__KAFKA__GROUP_ID", group)
        .env("NEWSWORKER__FETCH__ALLOW_PRIVATE_NETWORKS", "true")
        .env("NEWSWORKER__FETCH__TIMEOUT_MS", "100000")
        .env("NEWSWORKER__FETCH__READ_TIMEOUT_MS", "100000")
        .env(
            "NEWSWORKER__WORKER__SHUTDOWN_TIMEOUT_MS",
            shutdown_timeout_ms.to_string(),
        )
        .env(
            "NEWSWORKER__METRICS__LISTEN",
            format!("127.0.0.1:{metrics_port}"),
        )
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let metrics = format!("http://127.0.0.1:{metrics_port}/metrics");
    for _ in 0..150 {
        if let Ok(r) = reqwest::get(&metrics).await
            && r.text()
                .await
                .unwrap_or_default()
                .contains("newsworker_in_flight 1")
        {
            return (child, metrics_port);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the slow fetch never started");
}

fn signal(child: &std::process::Child, sig: i32) {
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
}

/// SIGTERM with a fetch that will not end: the process exits within
/// `worker.shutdown_timeout_ms` plus the flush (not when the fetch times
/// out), with 0; a second signal during the wait exits at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_exits_in_time_with_a_slow_fetch_and_a_second_signal_at_once() {
    let port = serve().await;
    let (_cluster, brokers) = cluster(1);
    let (mut child, _) = binary_with_a_slow_fetch(&brokers, "slow-1", port, 2000).await;
    let asked = Instant::now();
    signal(&child, libc::SIGTERM);
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    let took = asked.elapsed();
    assert_eq!(status.code(), Some(0));
    assert!(took < Duration::from_secs(10), "exit took {took:?}");

    let (mut child, _) = binary_with_a_slow_fetch(&brokers, "slow-2", port, 60_000).await;
    let asked = Instant::now();
    signal(&child, libc::SIGTERM);
    tokio::time::sleep(Duration::from_millis(500)).await;
    signal(&child, libc::SIGINT);
    let (status, stderr) = tokio::task::spawn_blocking(move || {
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        (status, stderr)
    })
    .await
    .unwrap();
    let took = asked.elapsed();
    assert!(took < Duration::from_secs(5), "exit took {took:?}");
    assert_ne!(
        status.code(),
        Some(0),
        "an abandoned shutdown is not a success"
    );
    assert!(stderr.contains("second signal"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broker_outage_loses_nothing() {
    let port = serve().await;
    let (cluster, brokers) = cluster(2);
    let first: Vec<String> = page_urls(port, 0..5);
    let messages: Vec<(Option<&str>, &[u8])> = unkeyed(&first);
    produce(&brokers, &messages);

    let (metrics, stop, run) = start(&brokers, "outage");
    let b = brokers.clone();
    let records = tokio::task::spawn_blocking(move || read_all(&b, OUTPUT, 5))
        .await
        .unwrap();
    assert_eq!(records.len(), 5);

    // More URLs arrive, and the broker goes away for three seconds while
    // the worker fetches them and produces their records.
    let second: Vec<String> = page_urls(port, 5..10);
    let messages: Vec<(Option<&str>, &[u8])> = unkeyed(&second);
    produce(&brokers, &messages);
    cluster.broker_down(1).unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    cluster.broker_up(1).unwrap();
    let b = brokers.clone();
    let records = tokio::task::spawn_blocking(move || read_all(&b, OUTPUT, 10))
        .await
        .unwrap();
    // Messages in flight when the outage cost the group its assignment are
    // delivered again (their URLs are then skipped as duplicates); the
    // committed offsets catch up while the worker runs.
    let caught_up = wait_committed(&brokers, "outage", 2).await;
    assert_eq!(caught_up.0, caught_up.1, "committed offsets reach the end");
    stop.send(()).unwrap();
    run.await.unwrap().unwrap();
    let reports = distinct_urls(&records);
    assert_eq!(
        reports.len(),
        10,
        "every URL has its record after the outage"
    );
    assert_eq!(metrics.lost_outputs.get(), 0);
    let b = brokers.clone();
    let (committed_now, ends) =
        tokio::task::spawn_blocking(move || (committed(&b, "outage", 2), end_offsets(&b, 2)))
            .await
            .unwrap();
    assert_eq!(committed_now, ends);
}

/// Exactly-once on the mock cluster: records and dead letters are produced
/// in transactions that commit, so a read_committed reader sees each once.
/// The mock cluster acknowledges the transaction's offsets without storing
/// them, so the offsets half (and a crash mid-transaction) is checked
/// against a real broker in tests/broker.rs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exactly_once_outputs_commit_in_transactions() {
    let port = serve().await;
    let (_cluster, brokers) = cluster(3);
    let urls = page_urls(port, 0..24);
    let mut messages = unkeyed(&urls);
    messages.push((Some("k-badjson"), b"{\"url\": "));
    produce(&brokers, &messages);

    let (counters, stop, run) = start_worker(worker_with(&brokers, "eos", true));
    let b = brokers.clone();
    let records = tokio::task::spawn_blocking(move || read_all(&b, OUTPUT, 24))
        .await
        .unwrap();
    let b = brokers.clone();
    let dead = tokio::task::spawn_blocking(move || read_all(&b, DLQ, 1))
        .await
        .unwrap();
    stop.send(()).unwrap();
    run.await.unwrap().unwrap();

    let urls_out = distinct_urls(&records);
    assert_eq!(records.len(), 24, "one record per URL");
    assert_eq!(urls_out.len(), 24, "none repeated");
    assert_eq!(dead.len(), 1);
    assert_eq!(header(&dead[0], "error.class"), Some("bad_json"));
    assert_eq!(counters.produced.get(), 24);
    assert_eq!(counters.in_flight.get(), 0);
}

/// A transaction the broker refuses (the producer fenced by a newer
/// incarnation) stops the worker with an error naming it; a restart would
/// resume from the last committed position.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_transaction_stops_the_worker_with_an_error() {
    let port = serve().await;
    let (cluster, brokers) = cluster(1);
    produce(&brokers, &unkeyed(&page_urls(port, 0..4)));
    cluster.request_errors(
        rdkafka::types::RDKafkaApiKey::EndTxn,
        &[rdkafka::types::RDKafkaRespErr::RD_KAFKA_RESP_ERR_PRODUCER_FENCED; 4],
    );
    let (_, _stop, run) = start_worker(worker_with(&brokers, "fenced", true));
    let result = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the worker stops by itself")
        .unwrap();
    let error = result
        .expect_err("a refused transaction is an error")
        .to_string();
    assert!(error.contains("transaction failed"), "{error}");
}

/// `kafka.properties` reaches librdkafka, which is built with OpenSSL:
/// TLS and SASL settings are accepted (the worker starts; connecting is
/// the broker's business), and a wrong one is refused with its name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_and_sasl_properties_are_accepted_and_bad_ones_named() {
    let kafka = |properties: &[(&str, &str)]| KafkaConfig {
        brokers: "127.0.0.1:9".to_owned(),
        properties: properties
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        ..KafkaConfig::default()
    };
    let pipeline = || {
        Arc::new(
            Pipeline::new(
                Fetcher::new(&FetchConfig::default()).unwrap(),
                Arc::new(newsworker::classify::Classifier::built_in().unwrap()),
                Options::default(),
                0,
            )
            .unwrap(),
        )
    };
    let tls = kafka(&[
        ("security.protocol", "SASL_SSL"),
        ("sasl.mechanisms", "SCRAM-SHA-512"),
        ("sasl.username", "worker"),
        ("sasl.password", "secret"),
        ("ssl.endpoint.identification.algorithm", "https"),
    ]);
    let worker = Worker::new(
        &tls,
        &WorkerConfig::default(),
        pipeline(),
        Arc::new(Metrics::new()),
    );
    assert!(worker.is_ok(), "{:?}", worker.err());
    let wrong = kafka(&[("security.protocol", "SSLv9")]);
    let error = Worker::new(
        &wrong,
        &WorkerConfig::default(),
        pipeline(),
        Arc::new(Metrics::new()),
    )
    .err()
    .expect("an unknown protocol is refused")
    .to_string();
    assert!(error.contains("security.protocol"), "{error}");
}
