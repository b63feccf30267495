//! End-to-end worker throughput beside the extraction-only rate of the same
//! pages, all on this machine: the benchmark pages served by an HTTP server
//! on 127.0.0.1, the worker in this process, and as the broker either
//! librdkafka's mock cluster (in this process) or a real one (`--brokers`,
//! e.g. tansu started as `.ci/test` does; fresh topics per run).
//!
//! `cargo run --release --example worker_throughput -- ../shared/bench/scrapinghub/html 2000`
//! `cargo run --release --example worker_throughput -- ../shared/bench/scrapinghub/html 100000 --brokers 127.0.0.1:9092`
//! (`--commit-every N` to set `worker.commit_every`, `--max-in-flight N`
//! to set `worker.max_in_flight`)
//!
//! Prints the process's RSS at every tenth of the run (flat means bounded
//! memory), then records per second for both (extraction alone timed
//! before and after the worker, and their mean), their ratio, and the peak
//! RSS (VmHWM), which covers server, worker and (mock) broker together.

use std::io::Read;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use newsworker::classify::Classifier;
use newsworker::config::{FetchConfig, KafkaConfig, WorkerConfig};
use newsworker::extract::{self, Options, Page};
use newsworker::fetch::Fetcher;
use newsworker::kafka::Worker;
use newsworker::metrics::Metrics;
use newsworker::pipeline::Pipeline;
use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};

fn pages(dir: &str) -> Vec<Vec<u8>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("page directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(p).expect("page"))
                .read_to_end(&mut out)
                .expect("gzip page");
            out
        })
        .collect()
}

/// A `/proc/self/status` figure in KiB: VmHWM (peak) or VmRSS (now).
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut positional = Vec::new();
    let mut real_brokers = None;
    let mut worker_config = WorkerConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--brokers" => real_brokers = args.next(),
            // To compare commit cadences: `--commit-every 1000000000`.
            "--commit-every" => {
                worker_config.commit_every = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--commit-every N");
            }
            // To compare in-flight windows: `--max-in-flight 256`.
            "--max-in-flight" => {
                worker_config.max_in_flight = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--max-in-flight N");
            }
            _ => positional.push(arg),
        }
    }
    let dir = positional
        .first()
        .cloned()
        .unwrap_or_else(|| "../shared/bench/scrapinghub/html".to_owned());
    let messages: usize = positional
        .get(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let pages = Arc::new(pages(&dir));
    let classifier = Arc::new(Classifier::built_in().expect("classifier"));
    // As the worker does at start-up: no language's index is built during
    // either timed run.
    classifier.build_indexes();

    // Extraction-only: the same page sequence, extract + classify, on both
    // cores (the worker gets both too); at most five passes over the pages,
    // which is a rate already. Timed before and after the worker, whose
    // rate is set against their mean: the machine's speed drifts by more
    // than the difference measured.
    let baseline = messages.min(5 * pages.len());
    let rate_before = extraction_only_rate(&pages, &classifier, baseline);

    // Served without a copy per request: the page server stands in for the
    // web, and its work is not the worker's.
    let served: Arc<Vec<axum::body::Bytes>> = Arc::new(
        pages
            .iter()
            .map(|p| axum::body::Bytes::from(p.clone()))
            .collect(),
    );
    let app = Router::new().route(
        "/page/{n}",
        get(move |Path(n): Path<usize>| {
            let served = Arc::clone(&served);
            async move {
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    served[n % served.len()].clone(),
                )
                    .into_response()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let mut cluster = None;
    let brokers = match real_brokers {
        Some(b) => b,
        None => {
            let mock = MockCluster::new(1).expect("mock cluster");
            let b = mock.bootstrap_servers();
            cluster = Some(mock);
            b
        }
    };
    let run = fastrand::u32(..);
    let kafka = KafkaConfig {
        brokers: brokers.clone(),
        group_id: format!("bench-{run}"),
        input_topic: format!("bench-{run}.urls"),
        output_topic: format!("bench-{run}.articles"),
        dlq_topic: format!("bench-{run}.urls.dlq"),
        ..KafkaConfig::default()
    };
    let topics = [
        (&kafka.input_topic, 4),
        (&kafka.output_topic, 1),
        (&kafka.dlq_topic, 1),
    ];
    match &cluster {
        Some(mock) => {
            for (topic, partitions) in topics {
                mock.create_topic(topic, partitions, 1).expect("topic");
            }
        }
        None => {
            let admin: AdminClient<_> = ClientConfig::new()
                .set("bootstrap.servers", &brokers)
                .create()
                .expect("admin client");
            let new: Vec<NewTopic> = topics
                .iter()
                .map(|(topic, partitions)| {
                    NewTopic::new(topic, *partitions, TopicReplication::Fixed(1))
                })
                .collect();
            for created in admin
                .create_topics(&new, &AdminOptions::new())
                .await
                .expect("create topics")
            {
                created.expect("topic");
            }
        }
    }
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", &brokers)
        .set("queue.buffering.max.messages", "1000000")
        .create()
        .expect("producer");
    for i in 0..messages {
        let url = format!("http://127.0.0.1:{port}/page/{i}");
        producer
            .send(BaseRecord::<str, str>::to(&kafka.input_topic).payload(&url))
            .map_err(|(e, _)| e)
            .expect("produce");
        producer.poll(Duration::ZERO);
    }
    producer.flush(Duration::from_secs(30)).expect("flush");

    // All pages come from one host here: politeness would serialise them.
    let fetch = FetchConfig {
        allow_private_networks: true,
        per_host_delay_ms: 0,
        per_host_concurrency: 64,
        respect_robots: false,
        retries: 0,
        ..FetchConfig::default()
    };
    let metrics = Arc::new(Metrics::new());
    let pipeline = Arc::new(
        Pipeline::new(
            Fetcher::new(&fetch).expect("fetcher"),
            Arc::clone(&classifier),
            Options::default(),
            worker_config.extract_threads,
        )
        .expect("extraction threads")
        .with_metrics(Arc::clone(&metrics)),
    );
    let worker =
        Worker::new(&kafka, &worker_config, pipeline, Arc::clone(&metrics)).expect("worker");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let run = tokio::spawn(worker.run(async {
        let _ = stopped.await;
    }));
    let mut started: Option<Instant> = None;
    let mut cpu_at_start = 0.0;
    let mut next_sample = 0;
    // Timed from the first message taken, so the group join is not counted.
    loop {
        if started.is_none() && metrics.consumed.get() > 0 {
            started = Some(Instant::now());
            cpu_at_start = newsworker::eval::process_cpu_seconds();
        }
        let done = metrics.produced.get() + dead_letters(&metrics);
        if done >= next_sample {
            println!("outputs={done} rss={} MiB", status_kib("VmRSS:") / 1024);
            next_sample += (messages as u64 / 10).max(1);
        }
        if done >= messages as u64 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.map_or(Duration::ZERO, |s| s.elapsed());
    let cores_used =
        (newsworker::eval::process_cpu_seconds() - cpu_at_start) / elapsed.as_secs_f64().max(1e-9);
    let _ = stop.send(());
    let _ = run.await;
    let worker_rate = messages as f64 / elapsed.as_secs_f64().max(1e-9);
    let peak_rss = status_kib("VmHWM:") / 1024;
    let rate_after = extraction_only_rate(&pages, &classifier, baseline);
    let extract_rate = (rate_before + rate_after) / 2.0;
    println!(
        "broker={} messages={messages} records={} dead_letters={} extraction_only={extract_rate:.0}/s (before {rate_before:.0}, after {rate_after:.0}) worker={worker_rate:.0}/s ratio={:.2} worker_cores_used={cores_used:.2} peak_rss={peak_rss} MiB",
        if cluster.is_some() { "mock" } else { "real" },
        metrics.produced.get(),
        dead_letters(&metrics),
        worker_rate / extract_rate,
    );
    drop(cluster);
}

/// Pages per second of extraction and classification alone, `count` pages
/// of the sequence split between two threads.
fn extraction_only_rate(pages: &[Vec<u8>], classifier: &Classifier, count: usize) -> f64 {
    let start = Instant::now();
    std::thread::scope(|s| {
        for half in 0..2 {
            s.spawn(move || {
                for i in (half..count).step_by(2) {
                    let page = Page {
                        bytes: &pages[i % pages.len()],
                        url: None,
                        charset: None,
                    };
                    if let Ok(a) = extract::extract(page, &Options::default()) {
                        let _ = classifier.classify(
                            a.title.as_deref().unwrap_or(""),
                            &a.text,
                            a.language.as_deref(),
                        );
                    }
                }
            });
        }
    });
    count as f64 / start.elapsed().as_secs_f64()
}

/// Dead letters of every class.
fn dead_letters(metrics: &Metrics) -> u64 {
    metrics
        .render()
        .lines()
        .filter(|l| l.starts_with("newsworker_dead_letters_total{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}
