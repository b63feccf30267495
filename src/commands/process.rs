//! `newsworker process`: URLs in, one JSON line per URL out, in input order:
//! the record, or `{"url", "error": {"class", "message", "retryable"}}`.
//!
//! URLs run concurrently (up to `fetch.max_concurrency`), different hosts in
//! parallel while each host's politeness gate spaces its own requests; the
//! output keeps the input order through a bounded window, so memory stays
//! flat however many URLs come in on stdin.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::Arc;

use serde::Serialize;
use serde_json::json;
use tokio::task::JoinHandle;
use tracing::Instrument;

use crate::pipeline::Pipeline;

/// Processes `urls`, writing one line each to `out` in order. Returns how
/// many failed.
pub async fn run(
    urls: impl IntoIterator<Item = String>,
    pipeline: Arc<Pipeline>,
    max_concurrency: usize,
    out: &mut impl Write,
) -> std::io::Result<usize> {
    let window = max_concurrency.max(1);
    let mut pending: VecDeque<JoinHandle<(bool, String)>> = VecDeque::new();
    let mut failures = 0;
    for url in urls {
        if pending.len() >= window
            && let Some(first) = pending.pop_front()
        {
            failures += write_result(first, out).await?;
        }
        let pipeline = Arc::clone(&pipeline);
        pending.push_back(tokio::spawn(async move { one(&pipeline, &url).await }));
    }
    while let Some(next) = pending.pop_front() {
        failures += write_result(next, out).await?;
    }
    out.flush()?;
    Ok(failures)
}

/// One URL's line, and whether it is a success.
async fn one(pipeline: &Pipeline, url: &str) -> (bool, String) {
    let span = tracing::info_span!("process", url = %url);
    match pipeline.process(url).instrument(span).await {
        Ok(record) => match serde_json::to_string(&record) {
            Ok(line) => (true, line),
            Err(e) => (false, error_line(url, "encode", &e.to_string(), false)),
        },
        Err(e) => {
            tracing::warn!(
                url = %url,
                class = e.class(),
                stage = e.stage(),
                attempts = e.attempts(),
                message = %e,
                "url failed"
            );
            (
                false,
                error_line(url, e.class(), &e.to_string(), e.retryable()),
            )
        }
    }
}

/// An error line: `{"url", "error": {"class", "message", "retryable"}}`,
/// fields in that order.
#[derive(Serialize)]
struct ErrorLine<'a> {
    url: &'a str,
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    class: &'a str,
    message: &'a str,
    retryable: bool,
}

fn error_line(url: &str, class: &str, message: &str, retryable: bool) -> String {
    let line = ErrorLine {
        url,
        error: ErrorBody {
            class,
            message,
            retryable,
        },
    };
    serde_json::to_string(&line).unwrap_or_else(|e| {
        json!({ "url": url, "error": { "class": class, "message": e.to_string() } }).to_string()
    })
}

async fn write_result(
    handle: JoinHandle<(bool, String)>,
    out: &mut impl Write,
) -> std::io::Result<usize> {
    let (ok, line) = match handle.await {
        Ok(result) => result,
        Err(e) => (
            false,
            json!({ "error": { "class": "internal", "message": e.to_string(), "retryable": true } })
                .to_string(),
        ),
    };
    writeln!(out, "{line}")?;
    Ok(usize::from(!ok))
}
