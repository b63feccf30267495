//! Discovery against a real HTTP server on 127.0.0.1 serving hand-written
//! feeds and sitemaps (`tests/fixtures/discover/`) and generated bad input
//! (a 100,000-item feed, a gzip bomb, a huge and a slow response), and
//! against librdkafka's mock cluster: each new URL published once, across a
//! restart. No test reaches beyond 127.0.0.1.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use newsworker::config::{Config, DiscoverConfig, FetchConfig};
use newsworker::discover::{
    Discoverer, Discovery, Kind, Output, SeenStore, Source, SourceSpec, source,
};
use newsworker::fetch::Fetcher;
use newsworker::metrics::Metrics;
use rdkafka::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::mocking::MockCluster;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/discover");

/// What the server counts and serves beyond the fixtures.
#[derive(Default)]
struct ServerState {
    /// Requests per path, and the `If-None-Match` of each.
    hits: Mutex<HashMap<String, Vec<Option<String>>>>,
    /// Items of `/grows.xml`.
    grows: AtomicUsize,
    bomb: Vec<u8>,
    big_feed: String,
}

#[derive(Clone)]
struct Server {
    state: Arc<ServerState>,
    port: u16,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn hits(&self, path: &str) -> Vec<Option<String>> {
        self.state
            .state_hits()
            .get(path)
            .cloned()
            .unwrap_or_default()
    }
}

impl ServerState {
    fn state_hits(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Option<String>>>> {
        self.hits.lock().unwrap()
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// An RSS feed of `n` items under `/story/{i}`, dated `dates[i]` when given.
fn rss(n: usize, date: impl Fn(usize) -> Option<String>) -> String {
    let mut xml =
        String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>");
    for i in 0..n {
        xml.push_str(&format!(
            "<item><title>Story {i}</title><link>https://feed.example/story/{i}?utm_source=rss</link>"
        ));
        if let Some(d) = date(i) {
            xml.push_str(&format!("<pubDate>{d}</pubDate>"));
        }
        xml.push_str("</item>");
    }
    xml.push_str("</channel></rss>");
    xml
}

async fn route(
    State(state): State<Arc<ServerState>>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Response {
    let if_none_match = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    state
        .state_hits()
        .entry(format!("/{path}"))
        .or_default()
        .push(if_none_match.clone());
    let xml = |body: Vec<u8>| ([(header::CONTENT_TYPE, "application/xml")], body).into_response();
    match path.as_str() {
        "etag.xml" => {
            if if_none_match.as_deref() == Some("\"v1\"") {
                return StatusCode::NOT_MODIFIED.into_response();
            }
            (
                [
                    (header::CONTENT_TYPE, "application/rss+xml"),
                    (header::ETAG, "\"v1\""),
                ],
                rss(2, |_| None),
            )
                .into_response()
        }
        "etag-index.xml" => {
            if if_none_match.as_deref() == Some("\"i1\"") {
                return StatusCode::NOT_MODIFIED.into_response();
            }
            (
                [
                    (header::CONTENT_TYPE, "application/xml"),
                    (header::ETAG, "\"i1\""),
                ],
                "<sitemapindex><sitemap><loc>/grows-sitemap.xml</loc></sitemap></sitemapindex>",
            )
                .into_response()
        }
        "grows-sitemap.xml" => {
            let n = state.grows.load(Ordering::SeqCst);
            let mut body = String::from("<urlset>");
            for i in 0..n {
                body.push_str(&format!("<url><loc>https://feed.example/s/{i}</loc></url>"));
            }
            body.push_str("</urlset>");
            xml(body.into_bytes())
        }
        "grows.xml" => xml(rss(state.grows.load(Ordering::SeqCst), |_| None).into_bytes()),
        "big.xml" => xml(state.big_feed.clone().into_bytes()),
        "dated.xml" => {
            let now = chrono::Utc::now();
            xml(rss(2, |i| {
                let age = if i == 0 {
                    chrono::Duration::hours(1)
                } else {
                    chrono::Duration::days(10)
                };
                Some((now - age).to_rfc2822())
            })
            .into_bytes())
        }
        "bomb.xml.gz" => (
            [(header::CONTENT_TYPE, "application/gzip")],
            state.bomb.clone(),
        )
            .into_response(),
        "huge.xml" => xml(vec![b' '; 20 * 1024 * 1024]),
        "slow.xml" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            xml(rss(1, |_| None).into_bytes())
        }
        "page-as-feed.xml" | "page-as-feed.html" => (
            [(header::CONTENT_TYPE, "application/rss+xml")],
            "<!DOCTYPE html><html><head><title>Not a feed</title></head><body>Hello</body></html>",
        )
            .into_response(),
        "news-sitemap.xml.gz" => {
            let plain = std::fs::read(format!("{FIXTURES}/news-sitemap.xml")).unwrap();
            ([(header::CONTENT_TYPE, "application/x-gzip")], gzip(&plain)).into_response()
        }
        // The same server as `localhost` is a site without sitemaps.
        "robots.txt"
            if headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .is_some_and(|h| h.starts_with("localhost")) =>
        {
            StatusCode::NOT_FOUND.into_response()
        }
        "" => fixture("home.html"),
        name => fixture(name),
    }
}

fn fixture(name: &str) -> Response {
    let Ok(body) = std::fs::read(format!("{FIXTURES}/{name}")) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let media = match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/feed+json",
        Some("txt") => "text/plain",
        _ => "text/xml",
    };
    ([(header::CONTENT_TYPE, media)], body).into_response()
}

async fn serve() -> Server {
    let state = Arc::new(ServerState {
        // 64 MiB of spaces: 64 KiB on the wire.
        bomb: gzip(&vec![b' '; 64 * 1024 * 1024]),
        big_feed: rss(100_000, |_| None),
        ..ServerState::default()
    });
    let app = Router::new()
        .route("/", get(|s, h| route(s, Path(String::new()), h)))
        .route("/{*path}", get(route))
        .with_state(Arc::clone(&state));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server { state, port }
}

fn config(brokers: &str) -> Config {
    let mut config = Config {
        fetch: FetchConfig {
            allow_private_networks: true,
            // Every source is on 127.0.0.1, one request at a time (the
            // default): the time limit runs from each one's turn, so the
            // slow one delays the others without failing them.
            per_host_delay_ms: 0,
            retries: 0,
            timeout_ms: 1_500,
            read_timeout_ms: 1_500,
            ..FetchConfig::default()
        },
        discover: DiscoverConfig {
            max_age_secs: 0,
            max_document_bytes: 16 * 1024 * 1024,
            ..DiscoverConfig::default()
        },
        ..Config::default()
    };
    config.kafka.brokers = brokers.to_owned();
    config
}

fn sources(urls: &[(String, Kind)]) -> Vec<Source> {
    let specs: Vec<(String, SourceSpec)> = urls
        .iter()
        .map(|(url, kind)| {
            (
                "test".to_owned(),
                SourceSpec::Table {
                    url: url.clone(),
                    kind: *kind,
                    interval_secs: None,
                },
            )
        })
        .collect();
    source::collect(&specs, None, Duration::from_secs(300)).unwrap()
}

fn discoverer(config: &Config) -> Discoverer {
    Discoverer::new(
        Arc::new(Fetcher::new(&config.fetch).unwrap()),
        config.discover.limits(),
    )
}

fn urls(found: &[newsworker::discover::Found]) -> BTreeSet<String> {
    found
        .iter()
        .map(|f| f.target.requested.to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_feed_and_sitemap_kind_gives_its_urls() {
    let server = serve().await;
    let config = config("127.0.0.1:1");
    let discoverer = discoverer(&config);
    let poll = |path: &str| {
        let source = sources(&[(server.url(path), Kind::Auto)]).remove(0);
        let discoverer = &discoverer;
        async move { discoverer.poll(&source).await }
    };

    let p = poll("/rss2.xml").await;
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(
        urls(&p.found),
        BTreeSet::from([
            // Relative links resolve against the feed; the request keeps the
            // URL as given, tracking parameters and all.
            server.url("/world/vilnius-summit?utm_source=rss&utm_medium=feed"),
            "https://news.example/business/sanctions".to_owned(),
            "https://news.example/briefs/42".to_owned(),
        ])
    );
    let first = &p.found[0];
    assert_eq!(first.format, "rss");
    assert_eq!(first.title.as_deref(), Some("Leaders meet in Vilnius"));
    assert_eq!(first.id.as_deref(), Some("story-1001"));
    assert_eq!(
        first.published.unwrap().to_rfc3339(),
        "2023-07-11T06:30:00+00:00"
    );
    assert_eq!(
        first.target.canonical.as_str(),
        server.url("/world/vilnius-summit")
    );
    assert_eq!(
        p.found[1].title.as_deref(),
        Some("Sanctions & trade: what changes")
    );
    assert_eq!(p.found[2].published, None);

    let p = poll("/rss1.rdf").await;
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.found.len(), 2);
    assert_eq!(p.found[0].format, "rss1");
    assert_eq!(
        p.found[0].target.requested.as_str(),
        "https://rdf.example/2023/07/12/one"
    );
    assert_eq!(p.found[0].title.as_deref(), Some("Erste Meldung"));

    let p = poll("/atom.xml").await;
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.found[0].format, "atom");
    assert_eq!(
        urls(&p.found),
        BTreeSet::from([
            "https://atom.example/monde/otan".to_owned(),
            server.url("/monde/relatif"),
        ])
    );
    assert_eq!(
        p.found
            .iter()
            .find(|f| f.title.as_deref() == Some("Sommet de l'OTAN"))
            .unwrap()
            .published
            .unwrap()
            .to_rfc3339(),
        "2023-07-12T08:00:00+00:00"
    );

    let p = poll("/feed.json").await;
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.found[0].format, "json_feed");
    assert_eq!(p.found[0].id.as_deref(), Some("j-1"));
    assert_eq!(p.found.len(), 2);

    let p = poll("/sitemap.xml").await;
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.found[0].format, "sitemap");
    assert_eq!(
        p.found[1].target.requested.as_str(),
        "https://news.example/politics/election?id=7&page=1"
    );
    assert_eq!(
        p.found[1].published.unwrap().to_rfc3339(),
        "2023-07-12T07:15:00+00:00"
    );

    let p = poll("/news-sitemap.xml").await;
    assert_eq!(p.found[0].format, "news_sitemap");
    assert_eq!(
        p.found[0].title.as_deref(),
        Some("Ukraine obtains new security guarantees")
    );
    assert_eq!(
        p.found[0].published.unwrap().to_rfc3339(),
        "2023-07-12T11:05:00+00:00"
    );

    // An index of a sitemap, a gzip-compressed news sitemap and an index of
    // an index: every URL of all of them.
    let p = poll("/index.xml").await;
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.fetched, 5);
    assert_eq!(
        urls(&p.found),
        BTreeSet::from([
            "https://news.example/world/vilnius-summit".to_owned(),
            "https://news.example/politics/election?id=7&page=1".to_owned(),
            "https://news.example/world/ukraine-guarantees".to_owned(),
            "https://news.example/archive/deep-1".to_owned(),
        ])
    );
    assert_eq!(server.hits("/news-sitemap.xml.gz").len(), 1);

    // A site's home page: the feed it links to and its robots.txt sitemap.
    let p = poll("/").await;
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let found = urls(&p.found);
    assert!(
        found.contains("https://news.example/business/sanctions"),
        "{found:?}"
    );
    assert!(
        found.contains("https://news.example/world/ukraine-guarantees"),
        "{found:?}"
    );
    assert_eq!(found.len(), 4, "{found:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unchanged_document_costs_a_304_and_its_sitemaps_are_still_read() {
    let server = serve().await;
    let config = config("127.0.0.1:1");
    let discoverer = discoverer(&config);
    let feed = sources(&[(server.url("/etag.xml"), Kind::Feed)]).remove(0);
    let p = discoverer.poll(&feed).await;
    assert_eq!((p.found.len(), p.fetched, p.not_modified), (2, 1, 0));
    let p = discoverer.poll(&feed).await;
    assert_eq!((p.found.len(), p.fetched, p.not_modified), (0, 0, 1));
    assert_eq!(
        server.hits("/etag.xml"),
        [None, Some("\"v1\"".to_owned())],
        "the second request is conditional"
    );

    // An index that has not changed still leads to its sitemap, which has.
    server.state.grows.store(2, Ordering::SeqCst);
    let index = sources(&[(server.url("/etag-index.xml"), Kind::Sitemap)]).remove(0);
    let p = discoverer.poll(&index).await;
    assert_eq!(p.found.len(), 2);
    server.state.grows.store(3, Ordering::SeqCst);
    let p = discoverer.poll(&index).await;
    assert_eq!(p.not_modified, 1);
    assert_eq!(p.found.len(), 3, "{:?}", p.errors);
}

/// Every kind of bad input fails its own source with a named, counted
/// error; the good source polled with them is published.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_documents_fail_alone_with_their_class() {
    let server = serve().await;
    let (_cluster, brokers) = cluster();
    let config = config(&brokers);
    let metrics = Arc::new(Metrics::for_discovery());
    let discovery = Discovery::start(
        &config,
        Output::Kafka,
        SeenStore::Memory,
        Arc::clone(&metrics),
    )
    .await
    .unwrap();
    let cases: [(&str, Kind, &str); 9] = [
        ("/malformed.xml", Kind::Auto, "malformed"),
        ("/page-as-feed.xml", Kind::Feed, "wrong_kind"),
        // Read as a site's page (kind auto), it links no feed.
        ("/page-as-feed.html", Kind::Auto, "no_feeds"),
        ("/big.xml", Kind::Auto, "too_many_entries"),
        ("/self-index.xml", Kind::Auto, "sitemap_loop"),
        ("/bomb.xml.gz", Kind::Auto, "decompress"),
        ("/huge.xml", Kind::Auto, "too_large"),
        ("/slow.xml", Kind::Auto, "timeout"),
        ("/missing.xml", Kind::Auto, "http_status"),
    ];
    let url = |path: &str| match path {
        "/page-as-feed.html" => format!("http://localhost:{}{path}", server.port),
        _ => server.url(path),
    };
    let mut list: Vec<(String, Kind)> = cases.iter().map(|(p, k, _)| (url(p), *k)).collect();
    list.push((server.url("/rss2.xml"), Kind::Feed));
    let all = sources(&list);
    let started = std::time::Instant::now();
    let reports = discovery.poll_all(&all).await;
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    for (path, _, class) in cases {
        let report = reports.iter().find(|r| r.source == url(path)).unwrap();
        let classes: Vec<&str> = report.errors.iter().map(|e| e.error.class()).collect();
        assert_eq!(classes, [class], "{path}: {:?}", report.errors);
        assert!(
            report.errors[0].to_string().len() < 600,
            "{path}: {}",
            report.errors[0]
        );
    }
    // The 100,000-item feed gives its first 50,000; the looping index its
    // good sitemap.
    let big = reports
        .iter()
        .find(|r| r.source == server.url("/big.xml"))
        .unwrap();
    assert_eq!((big.found, big.published), (50_000, 50_000));
    let looping = reports
        .iter()
        .find(|r| r.source == server.url("/self-index.xml"))
        .unwrap();
    assert_eq!(looping.published, 1);
    let good = reports
        .iter()
        .find(|r| r.source == server.url("/rss2.xml"))
        .unwrap();
    assert!(good.errors.is_empty());
    assert_eq!(good.published, 3);

    let text = metrics.render();
    for class in [
        "malformed",
        "wrong_kind",
        "no_feeds",
        "too_many_entries",
        "sitemap_loop",
        "decompress",
        "too_large",
        "timeout",
        "http_status",
    ] {
        assert!(
            text.contains(&format!(
                "newsworker_discover_failures_total{{class=\"{class}\"}} 1"
            )),
            "{class}:\n{text}"
        );
    }
    assert!(
        text.contains("newsworker_discover_urls_published_total 50004"),
        "{text}"
    );
    assert!(
        text.contains("newsworker_discover_polls_total 10"),
        "{text}"
    );
    discovery.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_older_than_the_age_limit_are_skipped() {
    let server = serve().await;
    let (_cluster, brokers) = cluster();
    let mut config = config(&brokers);
    config.discover.max_age_secs = 3 * 86_400;
    let discovery = Discovery::start(
        &config,
        Output::Kafka,
        SeenStore::Memory,
        Arc::new(Metrics::for_discovery()),
    )
    .await
    .unwrap();
    let report = discovery
        .poll_source(&sources(&[(server.url("/dated.xml"), Kind::Feed)])[0])
        .await;
    assert_eq!((report.found, report.too_old, report.published), (2, 1, 1));
    discovery.close().await;
}

fn cluster() -> (
    MockCluster<'static, rdkafka::producer::DefaultProducerContext>,
    String,
) {
    let cluster = MockCluster::new(1).unwrap();
    cluster.create_topic("news.urls", 3, 1).unwrap();
    // The mock cluster has no admin API: the seen topic is made here.
    cluster.create_topic("news.seen", 2, 1).unwrap();
    let brokers = cluster.bootstrap_servers();
    (cluster, brokers)
}

/// The messages of `topic`: `want` of them, and any that follow within
/// half a second.
fn read_topic(brokers: &str, topic: &str, want: usize) -> Vec<rdkafka::message::OwnedMessage> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", format!("reader-{}", fastrand::u64(..)))
        .set("auto.offset.reset", "earliest")
        .create()
        .unwrap();
    consumer.subscribe(&[topic]).unwrap();
    let mut out = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while out.len() < want && std::time::Instant::now() < deadline {
        if let Some(Ok(m)) = consumer.poll(Duration::from_millis(100)) {
            out.push(m.detach());
        }
    }
    let settle = std::time::Instant::now() + Duration::from_millis(500);
    while std::time::Instant::now() < settle {
        if let Some(Ok(m)) = consumer.poll(Duration::from_millis(100)) {
            out.push(m.detach());
        }
    }
    out
}

/// Three runs of discovery against the same broker, as after restarts: the
/// feed grows between them, and each URL reaches the input topic once, as
/// the request the worker reads, keyed by host.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_url_is_published_once_across_restarts() {
    let server = serve().await;
    let (_cluster, brokers) = cluster();
    let config = config(&brokers);
    let feed = sources(&[(server.url("/grows.xml"), Kind::Feed)]);
    let mut published = Vec::new();
    for items in [3, 5, 5] {
        server.state.grows.store(items, Ordering::SeqCst);
        let discovery = Discovery::start(
            &config,
            Output::Kafka,
            SeenStore::Kafka,
            Arc::new(Metrics::for_discovery()),
        )
        .await
        .unwrap();
        let reports = discovery.poll_all(&feed).await;
        assert!(reports[0].errors.is_empty(), "{:?}", reports[0].errors);
        published.push(reports[0].published);
        discovery.close().await;
    }
    assert_eq!(published, [3, 2, 0]);

    let messages = read_topic(&brokers, "news.urls", 5);
    assert_eq!(messages.len(), 5);
    let mut urls = BTreeSet::new();
    for m in &messages {
        assert_eq!(m.key(), Some(&b"feed.example"[..]));
        let request: serde_json::Value = serde_json::from_slice(m.payload().unwrap()).unwrap();
        assert!(urls.insert(request["url"].as_str().unwrap().to_owned()));
        assert_eq!(request["source"], server.url("/grows.xml"));
        assert_eq!(request["meta"]["format"], "rss");
        assert_eq!(request["meta"]["found_in"], server.url("/grows.xml"));
        assert!(
            request["meta"]["title"]
                .as_str()
                .unwrap()
                .starts_with("Story ")
        );
        // What the worker decodes.
        let decoded = newsworker::kafka::message::decode(m.payload()).unwrap();
        assert!(decoded.url.ends_with("?utm_source=rss"));
    }
    let seen = read_topic(&brokers, "news.seen", 5);
    let keys: BTreeSet<&[u8]> = seen.iter().filter_map(|m| m.key()).collect();
    assert_eq!(keys.len(), 5, "one marker per canonical URL");
    assert!(keys.contains(&b"https://feed.example/story/0"[..]));
}

/// `newsworker discover --once --stdout URL...`: JSON lines on stdout; exit
/// 0 when every source was read, 1 when one failed, after trying all.
#[test]
fn the_command_polls_once_to_stdout_and_says_what_failed() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(serve());
    let run = |args: &[String]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_newsworker"))
            .args(["discover", "--once", "--stdout"])
            .args(args)
            .env("NEWSWORKER__FETCH__ALLOW_PRIVATE_NETWORKS", "true")
            .env("NEWSWORKER__FETCH__PER_HOST_DELAY_MS", "0")
            .env("NEWSWORKER__DISCOVER__MAX_AGE_SECS", "0")
            .env_remove("RUST_LOG")
            .output()
            .unwrap()
    };
    let out = run(&[server.url("/rss2.xml"), server.url("/sitemap.xml")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "{lines:#?}");
    assert!(
        lines
            .iter()
            .all(|l| l["url"].is_string() && l["meta"]["found_in"].is_string())
    );

    let out = run(&[server.url("/malformed.xml"), server.url("/feed.json")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("malformed.xml") && stderr.contains("[malformed]"),
        "{stderr}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsworker"))
        .args(["discover", "--once", "--stdout", "file:///etc/passwd"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("the arguments"));
}

/// Discovery fetches through the worker's fetcher: the SSRF guard refuses
/// private addresses before a request is made, and robots.txt is obeyed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guard_and_robots_txt_apply_to_sources() {
    let server = serve().await;
    let guarded = Config::default();
    let p = discoverer(&guarded)
        .poll(&sources(&[(server.url("/rss2.xml"), Kind::Auto)])[0])
        .await;
    assert_eq!(
        p.errors[0].error.class(),
        "blocked_address",
        "{:?}",
        p.errors
    );
    assert!(server.hits("/rss2.xml").is_empty());

    let config = config("127.0.0.1:1");
    let p = discoverer(&config)
        .poll(&sources(&[(server.url("/private/feed.xml"), Kind::Auto)])[0])
        .await;
    assert_eq!(
        p.errors[0].error.class(),
        "robots_disallowed",
        "{:?}",
        p.errors
    );
    assert!(server.hits("/private/feed.xml").is_empty());
    assert_eq!(server.hits("/robots.txt").len(), 1);
}

/// Against a real broker (tansu, started by `.ci/test`): the seen topic is
/// created compacted through the admin API, a restart reads every marker
/// back (tansu reports a high watermark short of the last message), and
/// publishes nothing again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_broker_remembers_every_url_across_a_restart() {
    let Some(brokers) = common::test_brokers() else {
        return;
    };
    let server = serve().await;
    server.state.grows.store(20_000, Ordering::SeqCst);
    let run = fastrand::u64(..);
    let mut config = config(&brokers);
    config.kafka.input_topic = format!("discover-urls-{run}");
    config.discover.seen_topic = format!("discover-seen-{run}");
    let admin: rdkafka::admin::AdminClient<rdkafka::client::DefaultClientContext> =
        ClientConfig::new()
            .set("bootstrap.servers", &brokers)
            .create()
            .unwrap();
    let input = rdkafka::admin::NewTopic::new(
        &config.kafka.input_topic,
        3,
        rdkafka::admin::TopicReplication::Fixed(1),
    );
    admin
        .create_topics([&input], &rdkafka::admin::AdminOptions::new())
        .await
        .unwrap();
    let sitemap = sources(&[(server.url("/grows-sitemap.xml"), Kind::Sitemap)]);
    let mut published = Vec::new();
    let mut loaded = Vec::new();
    for _ in 0..2 {
        let discovery = Discovery::start(
            &config,
            Output::Kafka,
            SeenStore::Kafka,
            Arc::new(Metrics::for_discovery()),
        )
        .await
        .unwrap();
        loaded.push(discovery.seen_len());
        let reports = discovery.poll_all(&sitemap).await;
        assert!(reports[0].errors.is_empty(), "{:?}", reports[0].errors);
        published.push(reports[0].published);
        discovery.close().await;
    }
    assert_eq!(loaded, [0, 20_000]);
    assert_eq!(published, [20_000, 0]);
}

/// `newsworker discover` without `--once`: polls on its interval, serves
/// its metrics and probes, and stops cleanly on SIGTERM.
#[test]
fn the_long_running_command_serves_probes_and_stops_on_sigterm() {
    use std::io::{Read, Write as _};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(serve());
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_newsworker"))
        .args(["discover", "--stdout"])
        .arg(server.url("/feed.json"))
        .env("NEWSWORKER__FETCH__ALLOW_PRIVATE_NETWORKS", "true")
        .env("NEWSWORKER__DISCOVER__MAX_AGE_SECS", "0")
        .env("NEWSWORKER__DISCOVER__INTERVAL_SECS", "1")
        .env("NEWSWORKER__METRICS__LISTEN", format!("127.0.0.1:{port}"))
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let get = |path: &str| -> Option<String> {
        let mut c = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        write!(
            c,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut answer = String::new();
        c.read_to_string(&mut answer).ok()?;
        Some(answer)
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let mut polls = 0;
    while std::time::Instant::now() < deadline && polls < 2 {
        std::thread::sleep(Duration::from_millis(200));
        let Some(metrics) = get("/metrics") else {
            continue;
        };
        polls = metrics
            .lines()
            .find_map(|l| l.strip_prefix("newsworker_discover_polls_total "))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
    }
    assert!(polls >= 2, "the source is polled again after its interval");
    assert!(get("/readyz").unwrap().starts_with("HTTP/1.1 200"));
    assert!(get("/healthz").unwrap().starts_with("HTTP/1.1 200"));
    // The second poll found nothing new: the feed's two items once.
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    assert!(stderr.contains("discovery stopped"), "{stderr}");
    assert!(!stderr.contains("ERROR"), "{stderr}");
    assert!(server.hits("/feed.json").len() >= 2);
}

/// Two discovery processes on one broker: what one publishes while the
/// other runs reaches the other through the seen topic it follows, so the
/// other does not publish it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_replica_learns_what_another_published() {
    let server = serve().await;
    server.state.grows.store(4, Ordering::SeqCst);
    let (_cluster, brokers) = cluster();
    let config = config(&brokers);
    let feed = sources(&[(server.url("/grows.xml"), Kind::Feed)]);
    let start = || {
        Discovery::start(
            &config,
            Output::Kafka,
            SeenStore::Kafka,
            Arc::new(Metrics::for_discovery()),
        )
    };
    let (first, second) = (start().await.unwrap(), start().await.unwrap());
    assert_eq!(first.poll_all(&feed).await[0].published, 4);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while second.seen_len() < 4 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(second.seen_len(), 4);
    assert_eq!(second.poll_all(&feed).await[0].published, 0);
    first.close().await;
    second.close().await;
}

/// Sitemap indexes are followed only so deep, and a poll reads only so
/// many documents; each limit is a named error, and what was read counts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn index_depth_and_documents_per_poll_are_bounded() {
    let server = serve().await;
    let mut shallow = config("127.0.0.1:1");
    shallow.discover.max_index_depth = 1;
    let p = discoverer(&shallow)
        .poll(&sources(&[(server.url("/index.xml"), Kind::Auto)])[0])
        .await;
    let classes: Vec<&str> = p.errors.iter().map(|e| e.error.class()).collect();
    assert_eq!(classes, ["too_deep"], "{:?}", p.errors);
    // The index's own sitemaps are read; the index inside it is not followed.
    assert_eq!(p.found.len(), 3, "{:?}", p.found);

    let mut few = config("127.0.0.1:1");
    few.discover.max_documents_per_poll = 2;
    let p = discoverer(&few)
        .poll(&sources(&[(server.url("/index.xml"), Kind::Auto)])[0])
        .await;
    let classes: Vec<&str> = p.errors.iter().map(|e| e.error.class()).collect();
    assert_eq!(classes, ["too_many_documents"], "{:?}", p.errors);
    assert_eq!(p.fetched, 2);
}
