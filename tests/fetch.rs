//! The fetcher against a real HTTP server on 127.0.0.1 with real faults:
//! compression, redirects and loops, 429 and 503, a trickling body, a 50 MB
//! body, a gzip bomb, a PDF, robots.txt, a windows-1252 page; and the SSRF
//! guard, which must refuse every private target without a request leaving.
//! No test reaches beyond 127.0.0.1.

mod common;

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use newsworker::config::FetchConfig;
use newsworker::extract::Options;
use newsworker::fetch::{Failed, Fetcher};
use newsworker::pipeline::Pipeline;

/// What the server saw: hits and start times per path, and User-Agents.
#[derive(Default)]
struct Seen {
    hits: HashMap<String, Vec<Instant>>,
    agents: Vec<String>,
}

#[derive(Clone)]
struct Server {
    seen: Arc<Mutex<Seen>>,
    article: Arc<Vec<u8>>,
    bomb: Arc<Vec<u8>>,
    port: u16,
}

impl Server {
    fn hits(&self, path: &str) -> usize {
        self.seen.lock().unwrap().hits.get(path).map_or(0, Vec::len)
    }

    fn total_hits(&self) -> usize {
        self.seen.lock().unwrap().hits.values().map(Vec::len).sum()
    }

    fn times(&self, path: &str) -> Vec<Instant> {
        self.seen
            .lock()
            .unwrap()
            .hits
            .get(path)
            .cloned()
            .unwrap_or_default()
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

fn html(body: impl Into<Body>) -> Response {
    Response::builder()
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(body.into())
        .unwrap()
}

async fn route(
    State(server): State<Server>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Response {
    let path = format!("/{path}");
    let count = {
        let mut seen = server.seen.lock().unwrap();
        let agent = headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        seen.agents.push(agent);
        let hits = seen.hits.entry(path.clone()).or_default();
        hits.push(Instant::now());
        hits.len()
    };
    match path.as_str() {
        "/robots.txt" => "User-agent: *\nDisallow: /private/\n".into_response(),
        "/article" | "/private/article" | "/spaced" => html(server.article.to_vec()),
        "/gzip" => {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(&server.article).unwrap();
            let mut r = html(gz.finish().unwrap());
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            r
        }
        "/brotli" => {
            let mut out = Vec::new();
            {
                let mut w = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
                w.write_all(&server.article).unwrap();
            }
            let mut r = html(out);
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
            r
        }
        "/zstd" => {
            let mut r = html(zstd::encode_all(&server.article[..], 3).unwrap());
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("zstd"));
            r
        }
        "/hop3" => redirect("/hop2"),
        "/hop2" => redirect("/hop1"),
        "/hop1" => redirect("/article"),
        "/loop-a" => redirect("/loop-b"),
        "/loop-b" => redirect("/loop-a"),
        "/to-loopback" => redirect(&server.url("/article")),
        "/limited" if count == 1 => Response::builder()
            .status(StatusCode::TOO_MANY_REQUESTS)
            .header(header::RETRY_AFTER, "1")
            .body(Body::empty())
            .unwrap(),
        "/limited" => html(server.article.to_vec()),
        "/flaky" if count <= 2 => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        "/flaky" => html(server.article.to_vec()),
        "/gone" => StatusCode::NOT_FOUND.into_response(),
        "/trickle" => {
            // Headers at once, then a byte every 2 s: slower than the read timeout.
            let stream = futures_util::stream::unfold(0u32, |n| async move {
                if n > 0 {
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
                (n < 10).then(|| (Ok::<_, std::io::Error>(vec![b'<'; 1]), n + 1))
            });
            html(Body::from_stream(stream))
        }
        "/huge" => {
            // 50 MB, generated as it is sent.
            let chunk = vec![b'a'; 1 << 20];
            let stream = futures_util::stream::iter(
                (0..50).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
            );
            html(Body::from_stream(stream))
        }
        "/bomb" => {
            let mut r = html(server.bomb.to_vec());
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            r
        }
        "/broken-gzip" => {
            let mut r = html(b"\x1f\x8b\x08\x00garbage that is not deflate".to_vec());
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            r
        }
        "/report.pdf" => Response::builder()
            .header(header::CONTENT_TYPE, "application/pdf")
            .body(Body::from(b"%PDF-1.7 ...".to_vec()))
            .unwrap(),
        "/cp1252" => Response::builder()
            // No charset: the decoder must find windows-1252 itself.
            .header(header::CONTENT_TYPE, "text/html")
            .body(Body::from(cp1252_page()))
            .unwrap(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

fn redirect(to: &str) -> Response {
    Response::builder()
        .status(StatusCode::FOUND)
        .header(header::LOCATION, to)
        .body(Body::empty())
        .unwrap()
}

/// A French article in windows-1252, with no charset anywhere.
fn cp1252_page() -> Vec<u8> {
    let paragraph = "Le sommet de l'OTAN à Vilnius a réuni les dirigeants alliés, qui ont \
                     promis à l'Ukraine des garanties de sécurité et une aide militaire \
                     accrue, sans fixer de date pour son adhésion à l'Alliance atlantique.";
    let body: String = (0..6).map(|_| format!("<p>{paragraph}</p>")).collect();
    let page = format!(
        "<html><head><title>Sommet de l'OTAN à Vilnius</title></head><body><article>\
         <h1>Sommet de l'OTAN à Vilnius</h1>{body}</article></body></html>"
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&page);
    bytes.into_owned()
}

async fn start() -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    // 100 MB of zeros compress to about 100 KB.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..100 {
        gz.write_all(&zeros).unwrap();
    }
    let server = Server {
        seen: Arc::default(),
        article: Arc::new(
            std::fs::read(common::repo().join("examples/pages/nato-vilnius-2023.html")).unwrap(),
        ),
        bomb: Arc::new(gz.finish().unwrap()),
        port: addr.port(),
    };
    let app = Router::new()
        .route("/{*path}", get(route))
        .with_state(server.clone());
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    server
}

/// Test settings: the guard off (the server is on loopback), short delays.
fn open_config() -> FetchConfig {
    FetchConfig {
        allow_private_networks: true,
        per_host_delay_ms: 0,
        read_timeout_ms: 500,
        timeout_ms: 15_000,
        retry_base_ms: 50,
        retry_max_ms: 3_000,
        ..FetchConfig::default()
    }
}

async fn fetch_err(fetcher: &Fetcher, url: &str) -> Failed {
    match fetcher.fetch(url).await {
        Ok(f) => panic!("{url} should fail, got status {}", f.status),
        Err(e) => e,
    }
}

#[tokio::test]
async fn normal_compressed_and_redirected_pages() {
    let server = start().await;
    let fetcher = Fetcher::new(&open_config()).unwrap();
    let plain = fetcher.fetch(&server.url("/article")).await.unwrap();
    assert_eq!(plain.status, 200);
    assert_eq!(plain.charset.as_deref(), Some("utf-8"));
    assert_eq!(plain.body, *server.article);
    for path in ["/gzip", "/brotli", "/zstd"] {
        let f = fetcher.fetch(&server.url(path)).await.unwrap();
        assert_eq!(f.body, *server.article, "{path} decompressed");
    }
    let hopped = fetcher.fetch(&server.url("/hop3")).await.unwrap();
    assert_eq!(hopped.final_url.path(), "/article");
    assert_eq!(hopped.url.path(), "/hop3");
    // robots.txt was read once for the host, whatever the number of pages.
    assert_eq!(server.hits("/robots.txt"), 1);
    let agents = server.seen.lock().unwrap().agents.clone();
    assert!(
        agents.iter().all(|a| a.starts_with("newsworker/")),
        "{agents:?}"
    );
}

#[tokio::test]
async fn loops_and_too_many_redirects() {
    let server = start().await;
    let fetcher = Fetcher::new(&open_config()).unwrap();
    let e = fetch_err(&fetcher, &server.url("/loop-a")).await;
    assert_eq!(e.error.class(), "too_many_redirects");
    assert!(e.error.to_string().contains("loop"), "{}", e.error);
    let strict = Fetcher::new(&FetchConfig {
        max_redirects: 2,
        ..open_config()
    })
    .unwrap();
    let e = fetch_err(&strict, &server.url("/hop3")).await;
    assert_eq!(e.error.class(), "too_many_redirects");
}

#[tokio::test]
async fn retries_honour_retry_after_and_recover_from_5xx() {
    let server = start().await;
    let fetcher = Fetcher::new(&open_config()).unwrap();
    let f = fetcher.fetch(&server.url("/limited")).await.unwrap();
    assert_eq!(f.attempts, 2);
    let times = server.times("/limited");
    assert!(
        times[1] - times[0] >= Duration::from_millis(1000),
        "Retry-After: 1 was not honoured: {:?}",
        times[1] - times[0]
    );
    let f = fetcher.fetch(&server.url("/flaky")).await.unwrap();
    assert_eq!((f.status, f.attempts), (200, 3));

    // 404 is final: one request, not retryable.
    let e = fetch_err(&fetcher, &server.url("/gone")).await;
    assert_eq!((e.error.class(), e.attempts), ("http_status", 1));
    assert_eq!(e.error.status(), Some(404));
    assert!(!e.error.retryable());

    // Retries spent: the 503 surfaces as retryable, for a later try.
    let stubborn = Fetcher::new(&FetchConfig {
        retries: 0,
        ..open_config()
    })
    .unwrap();
    let server2 = start().await;
    let e = fetch_err(&stubborn, &server2.url("/flaky")).await;
    assert_eq!((e.error.status(), e.attempts), (Some(503), 1));
    assert!(e.error.retryable());
}

#[tokio::test]
async fn slow_huge_bomb_pdf_and_broken_bodies_fail_cleanly() {
    let server = start().await;
    let fetcher = Fetcher::new(&FetchConfig {
        retries: 0,
        ..open_config()
    })
    .unwrap();
    let e = fetch_err(&fetcher, &server.url("/trickle")).await;
    assert_eq!(e.error.class(), "timeout", "{}", e.error);
    let e = fetch_err(&fetcher, &server.url("/huge")).await;
    assert_eq!(e.error.class(), "too_large", "{}", e.error);
    let e = fetch_err(&fetcher, &server.url("/bomb")).await;
    assert_eq!(e.error.class(), "too_large", "{}", e.error);
    let e = fetch_err(&fetcher, &server.url("/report.pdf")).await;
    assert_eq!(e.error.class(), "unsupported_content_type");
    assert!(e.error.to_string().contains("application/pdf"));
    let e = fetch_err(&fetcher, &server.url("/broken-gzip")).await;
    assert_eq!(e.error.class(), "decode", "{}", e.error);
    // Nobody listens on port 1: a connection failure, worth retrying later.
    let e = fetch_err(&fetcher, "http://127.0.0.1:1/").await;
    assert_eq!(e.error.class(), "connect", "{}", e.error);
    assert!(e.error.retryable());
}

#[tokio::test]
async fn robots_txt_is_obeyed() {
    let server = start().await;
    let fetcher = Fetcher::new(&open_config()).unwrap();
    let e = fetch_err(&fetcher, &server.url("/private/article")).await;
    assert_eq!(e.error.class(), "robots_disallowed");
    assert!(!e.error.retryable());
    assert_eq!(server.hits("/private/article"), 0);
    let ignoring = Fetcher::new(&FetchConfig {
        respect_robots: false,
        ..open_config()
    })
    .unwrap();
    assert!(
        ignoring
            .fetch(&server.url("/private/article"))
            .await
            .is_ok()
    );
}

/// RFC 9309: a robots.txt answered with 5xx means "disallow all" for now.
/// The page is never requested, the failure is retryable, and the answer
/// is cached (robots.txt is not asked again for every page or retry).
#[tokio::test]
async fn a_robots_txt_answering_5xx_disallows_everything_for_now() {
    let robots_hits = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let page_hits = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (r, p) = (Arc::clone(&robots_hits), Arc::clone(&page_hits));
    let app = Router::new()
        .route(
            "/robots.txt",
            get(move || {
                r.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                async { StatusCode::SERVICE_UNAVAILABLE }
            }),
        )
        .route(
            "/{*path}",
            get(move || {
                p.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                async { html("<html><body><p>never served</p></body></html>") }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let fetcher = Fetcher::new(&open_config()).unwrap();
    for page in ["/a", "/b"] {
        let e = fetch_err(&fetcher, &format!("http://127.0.0.1:{port}{page}")).await;
        assert_eq!(e.error.class(), "robots_disallowed");
        assert!(e.error.retryable(), "a 5xx robots.txt may recover");
        assert!(
            e.error.to_string().contains("could not be read"),
            "{}",
            e.error
        );
    }
    assert_eq!(page_hits.load(std::sync::atomic::Ordering::Relaxed), 0);
    assert_eq!(
        robots_hits.load(std::sync::atomic::Ordering::Relaxed),
        1,
        "the 5xx answer is cached"
    );
}

#[tokio::test]
async fn requests_to_one_host_are_spaced() {
    let server = start().await;
    let fetcher = Arc::new(
        Fetcher::new(&FetchConfig {
            per_host_delay_ms: 300,
            respect_robots: false,
            ..open_config()
        })
        .unwrap(),
    );
    let url = server.url("/spaced");
    let tasks: Vec<_> = (0..3)
        .map(|_| {
            let fetcher = Arc::clone(&fetcher);
            let url = url.clone();
            tokio::spawn(async move { fetcher.fetch(&url).await.map(|_| ()) })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let mut times = server.times("/spaced");
    times.sort();
    for pair in times.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(290),
            "requests {:?} apart",
            pair[1] - pair[0]
        );
    }
}

#[tokio::test]
async fn the_ssrf_guard_refuses_private_targets_before_any_request() {
    let server = start().await;
    let guarded = Fetcher::new(&FetchConfig {
        allow_private_networks: false,
        ..open_config()
    })
    .unwrap();
    let port = server.port;
    for url in [
        format!("http://127.0.0.1:{port}/article"),
        format!("http://[::1]:{port}/article"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        format!("http://0x7f000001:{port}/article"),
        format!("http://2130706433:{port}/article"),
        format!("http://[::ffff:127.0.0.1]:{port}/article"),
        format!("http://10.0.0.1:{port}/"),
        // A host name that resolves to 127.0.0.1.
        format!("http://localhost:{port}/article"),
    ] {
        let e = fetch_err(&guarded, &url).await;
        assert_eq!(e.error.class(), "blocked_address", "{url}: {}", e.error);
    }
    let e = fetch_err(&guarded, "file:///etc/passwd").await;
    assert_eq!(e.error.class(), "invalid_url");
    assert_eq!(
        server.total_hits(),
        0,
        "a blocked request reached the server"
    );

    // A host the operator exempts redirects to a loopback address: the hop
    // is checked like the first request and refused.
    let exempt = Fetcher::new(&FetchConfig {
        allow_private_networks: false,
        allow_hosts: vec!["localhost".to_owned()],
        ..open_config()
    })
    .unwrap();
    let e = fetch_err(&exempt, &format!("http://localhost:{port}/to-loopback")).await;
    assert_eq!(e.error.class(), "blocked_address", "{}", e.error);
    assert_eq!(server.hits("/article"), 0);
    assert_eq!(server.hits("/to-loopback"), 1);
}

#[tokio::test]
async fn the_pipeline_decodes_windows_1252_and_fills_the_fetch_fields() {
    let server = start().await;
    let pipeline = Pipeline::new(
        Fetcher::new(&open_config()).unwrap(),
        Arc::new(newsworker::classify::Classifier::built_in().unwrap()),
        Options::default(),
        0,
    )
    .unwrap();
    let record = pipeline.process(&server.url("/cp1252")).await.unwrap();
    assert!(
        record.text.contains("réuni les dirigeants alliés"),
        "{}",
        record.text
    );
    assert_eq!(record.http_status, Some(200));
    assert_eq!(record.content_type.as_deref(), Some("text/html"));
    assert!(record.fetched_at.is_some());
    let topics: Vec<&str> = record.geo.topics.iter().map(|t| t.id.as_str()).collect();
    assert!(topics.contains(&"alliances_security"), "{topics:?}");

    let record = pipeline
        .process(&server.url("/hop1?utm_source=feed#x"))
        .await
        .unwrap();
    assert_eq!(record.final_url, Some(server.url("/article")));
    // The id hashes the canonical URL: tracking parameters and fragment gone.
    assert_eq!(record.url, Some(server.url("/hop1")));
    let json = serde_json::to_value(&record).unwrap();
    common::assert_valid_record(&json);
}

#[tokio::test]
async fn process_writes_records_and_errors_in_order_and_exits_1() {
    let server = start().await;
    let urls = [
        server.url("/article"),
        "file:///etc/passwd".to_owned(),
        server.url("/gone"),
        server.url("/gzip"),
    ];
    let stdin = urls.join("\n");
    let output = tokio::task::spawn_blocking(move || {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_newsworker"))
            .arg("process")
            .env("NEWSWORKER__FETCH__ALLOW_PRIVATE_NETWORKS", "true")
            .env("NEWSWORKER__FETCH__PER_HOST_DELAY_MS", "0")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    common::assert_valid_record(&first);
    assert_eq!(first["http_status"], 200);
    assert!(
        lines[1]
            .starts_with("{\"url\":\"file:///etc/passwd\",\"error\":{\"class\":\"invalid_url\"")
    );
    let third: serde_json::Value = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(third["error"]["class"], "http_status");
    assert_eq!(third["error"]["retryable"], false);
    assert!(third["error"]["message"].as_str().unwrap().contains("404"));
    let fourth: serde_json::Value = serde_json::from_str(lines[3]).unwrap();
    // The same article, gzip-encoded, under another URL: same text, new id.
    assert_eq!(fourth["content_hash"], first["content_hash"]);
    assert_ne!(fourth["id"], first["id"]);
}

#[test]
fn config_check_prints_the_effective_values_and_names_bad_ones() {
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_newsworker"))
        .args(["config", "check"])
        .env("NEWSWORKER__FETCH__PER_HOST_DELAY_MS", "2500")
        .output()
        .unwrap();
    assert!(ok.status.success());
    let printed = String::from_utf8(ok.stdout).unwrap();
    assert!(printed.contains("per_host_delay_ms = 2500"), "{printed}");
    assert!(
        printed.contains("allow_private_networks = false"),
        "{printed}"
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "[fetch]\nper_host_delay = 5\n").unwrap();
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_newsworker"))
        .args(["config", "check", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("per_host_delay"), "{stderr}");
    assert!(stderr.contains("bad.toml"), "{stderr}");
}

/// A server that answers every connection with what `answer` gives for
/// the request's path: raw bytes, then a close (or a reset when the bool
/// is true). For faults an HTTP library would not produce.
async fn raw_server(answer: fn(&str) -> (Vec<u8>, bool)) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let line = String::from_utf8_lossy(&request);
                let path = line.split(' ').nth(1).unwrap_or("/").to_owned();
                let (bytes, reset) = answer(&path);
                let _ = socket.write_all(&bytes).await;
                let _ = socket.flush().await;
                if reset {
                    socket.set_zero_linger().unwrap();
                } else {
                    let _ = socket.shutdown().await;
                }
            });
        }
    });
    port
}

/// Error classes come from the errors' types: a connection reset mid-body
/// and a body shorter than its Content-Length are the network's fault and
/// retried (`connection_lost`); an answer that is not HTTP is `protocol`,
/// not retried; a name that does not resolve is `dns`.
#[tokio::test]
async fn network_faults_get_their_classes_from_the_error_types() {
    let port = raw_server(|path| {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n";
        match path {
            "/robots.txt" => (
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
                false,
            ),
            "/reset" => (
                format!("{head}Content-Length: 100000\r\n\r\n<html><body><p>half").into_bytes(),
                true,
            ),
            "/short" => (
                format!("{head}Content-Length: 5000\r\n\r\n<html><body><p>short</p>").into_bytes(),
                false,
            ),
            "/http09" => (
                b"<html><body>no status line at all</body></html>".to_vec(),
                false,
            ),
            "/bad-status" => (b"HTTP/1.1 abc Nope\r\n\r\n".to_vec(), false),
            _ => (
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
                false,
            ),
        }
    })
    .await;
    let fetcher = Fetcher::new(&FetchConfig {
        retries: 1,
        ..open_config()
    })
    .unwrap();
    let url = |path: &str| format!("http://127.0.0.1:{port}{path}");
    for path in ["/reset", "/short"] {
        let e = fetch_err(&fetcher, &url(path)).await;
        assert_eq!(e.error.class(), "connection_lost", "{path}: {}", e.error);
        assert!(e.error.retryable(), "{path}");
        assert_eq!(e.attempts, 2, "{path} was retried");
    }
    for path in ["/http09", "/bad-status"] {
        let e = fetch_err(&fetcher, &url(path)).await;
        assert_eq!(e.error.class(), "protocol", "{path}: {}", e.error);
        assert!(!e.error.retryable(), "{path}");
        assert_eq!(e.attempts, 1, "{path} was not retried");
    }
    let e = fetch_err(&fetcher, "http://nothing-here.invalid/").await;
    assert_eq!(e.error.class(), "dns", "{}", e.error);
}

/// robots.txt: a file over 500 KiB (or a gzip bomb) is obeyed as far as
/// 500 KiB, not taken as "allow all"; its redirects go through the same
/// follower as pages (loops refused, then no usable file: allow all).
#[tokio::test]
async fn robots_txt_is_read_to_500_kib_and_redirects_like_pages() {
    fn app(robots: fn() -> Response) -> Router {
        Router::new()
            .route("/robots.txt", get(move || async move { robots() }))
            .route("/loop", get(|| async { redirect("/robots.txt") }))
            .route(
                "/{*path}",
                get(|| async { html("<html><body><p>a page</p></body></html>") }),
            )
    }
    async fn serve(app: Router) -> u16 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        port
    }
    fn rules_then_padding() -> Vec<u8> {
        let mut body = b"User-agent: *\nDisallow: /private/\n".to_vec();
        body.extend(std::iter::repeat_n(b"# padding\n".iter().copied(), 100_000).flatten());
        body
    }
    let long = serve(app(|| rules_then_padding().into_response())).await;
    let bomb = serve(app(|| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&rules_then_padding()).unwrap();
        for _ in 0..20 {
            gz.write_all(&vec![b'#'; 1 << 20]).unwrap();
        }
        let mut r = gz.finish().unwrap().into_response();
        r.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        r
    }))
    .await;
    let looping = serve(app(|| redirect("/loop"))).await;
    let fetcher = Fetcher::new(&open_config()).unwrap();
    for port in [long, bomb] {
        let e = fetch_err(&fetcher, &format!("http://127.0.0.1:{port}/private/x")).await;
        assert_eq!(e.error.class(), "robots_disallowed", "{}", e.error);
        assert!(
            fetcher
                .fetch(&format!("http://127.0.0.1:{port}/public"))
                .await
                .is_ok()
        );
    }
    assert!(
        fetcher
            .fetch(&format!("http://127.0.0.1:{looping}/private/x"))
            .await
            .is_ok(),
        "a robots.txt redirect loop is no file: allow all"
    );
}

/// The URL is requested as given: `?a` stays `?a`, `%20` stays `%20`, the
/// parameters keep their order; the record's `url` is the canonical form.
#[tokio::test]
async fn the_url_is_fetched_as_given_and_recorded_canonical() {
    let asked = Arc::new(Mutex::new(Vec::<String>::new()));
    let a = Arc::clone(&asked);
    let app = Router::new().route(
        "/{*path}",
        get(move |uri: axum::http::Uri| {
            a.lock().unwrap().push(uri.to_string());
            async { html("<html><body><p>a page</p></body></html>") }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let fetcher = Fetcher::new(&FetchConfig {
        respect_robots: false,
        ..open_config()
    })
    .unwrap();
    let given = format!("http://127.0.0.1:{port}/story?z=1&a&q=two%20words&utm_source=x#top");
    let fetched = fetcher.fetch(&given).await.unwrap();
    assert_eq!(
        asked.lock().unwrap().as_slice(),
        ["/story?z=1&a&q=two%20words&utm_source=x"]
    );
    assert_ne!(fetched.url.as_str(), given.trim_end_matches("#top"));
    assert!(
        !fetched.url.as_str().contains("utm_source"),
        "{}",
        fetched.url
    );
}

/// Every hop of a redirect chain is held to the 8 KiB URL limit, and the
/// error quotes little of what the server sent.
#[tokio::test]
async fn redirect_targets_are_limited_and_errors_stay_short() {
    let port = raw_server(|path| match path {
        "/robots.txt" => (
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
            false,
        ),
        "/huge-location" => (
            format!(
                "HTTP/1.1 302 Found\r\nLocation: /{}\r\nContent-Length: 0\r\n\r\n",
                "x".repeat(300_000)
            )
            .into_bytes(),
            false,
        ),
        p if p.starts_with("/long/") => {
            // Each hop a little longer: 40 hops of about 7 KB each.
            let n: usize = p[6..].split('/').next().unwrap().parse().unwrap();
            (
                format!(
                    "HTTP/1.1 302 Found\r\nLocation: /long/{}/{}\r\nContent-Length: 0\r\n\r\n",
                    n + 1,
                    "y".repeat(7000)
                )
                .into_bytes(),
                false,
            )
        }
        _ => (
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
            false,
        ),
    })
    .await;
    let fetcher = Fetcher::new(&FetchConfig {
        max_redirects: 40,
        ..open_config()
    })
    .unwrap();
    let e = fetch_err(&fetcher, &format!("http://127.0.0.1:{port}/huge-location")).await;
    assert_eq!(e.error.class(), "invalid_url", "{}", e.error);
    assert!(!e.error.retryable());
    assert!(
        e.error.to_string().len() < 1000,
        "{}",
        e.error.to_string().len()
    );
    let e = fetch_err(&fetcher, &format!("http://127.0.0.1:{port}/long/0")).await;
    assert_eq!(e.error.class(), "too_many_redirects", "{}", e.error);
    assert!(
        e.error.to_string().len() < 2000,
        "{}",
        e.error.to_string().len()
    );
}

/// The time limit runs from the host's turn: a page queued behind a slow
/// page of the same host (one request at a time) is not failed for the
/// time it waited, and the slow one still times out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_queued_for_the_hosts_turn_is_not_a_timeout() {
    let server = start().await;
    let fetcher = Arc::new(
        Fetcher::new(&FetchConfig {
            retries: 0,
            per_host_concurrency: 1,
            timeout_ms: 1_500,
            read_timeout_ms: 5_000,
            ..open_config()
        })
        .unwrap(),
    );
    let slow: Vec<_> = (0..2)
        .map(|_| {
            let (fetcher, url) = (Arc::clone(&fetcher), server.url("/trickle"));
            tokio::spawn(async move { fetcher.fetch(&url).await })
        })
        .collect();
    // Queued behind both trickles, 1.5 s each: longer than the time limit.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let fast = fetcher.fetch(&server.url("/article")).await;
    assert!(fast.is_ok(), "{:?}", fast.err());
    for slow in slow {
        assert_eq!(slow.await.unwrap().unwrap_err().error.class(), "timeout");
    }
    // Each slow page was requested and given its time; none failed while
    // it waited for the first.
    assert_eq!(server.hits("/trickle"), 2);
}
