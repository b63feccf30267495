//! `newsworker process`: URLs in, one JSON line per URL out, in input order:
//! the record, or `{"url", "error": {"class", "message", "retryable"}}`.
//!
//! URLs run concurrently (up to `fetch.max_concurrency`), different hosts in
//! parallel while each host's politeness gate spaces its own requests; the
//! output keeps the input order through a bounded window, so memory stays
//! flat however many URLs come in on stdin.

use std::collections::VecDeque;
use std::io::{BufRead, Read, Write};
use std::sync::Arc;

use serde::Serialize;
use serde_json::json;
use tokio::task::JoinHandle;
use tracing::Instrument;

use crate::pipeline::Pipeline;

/// An input line that is not a URL to try: not UTF-8, or too long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// What the error line's `url` shows: the line's start, decoded lossily.
    pub shown: String,
    pub message: String,
}

/// Longest input line read as a URL (URLs themselves stop at 8 KiB; the
/// rest is room for spaces and a comment).
pub const MAX_LINE_BYTES: usize = 16 * 1024;

/// How much of a bad line its error line shows.
const SHOWN_BYTES: usize = 200;

/// The URLs of one-per-line input: blank lines and `#` comments skipped,
/// every other line one item, in order. A line that is not UTF-8 or is
/// longer than `max_len` bytes is an error item (read past, never held
/// whole), so one bad line costs one error line and nothing after it.
pub fn input_lines(
    mut reader: impl BufRead,
    max_len: usize,
) -> impl Iterator<Item = Result<String, BadLine>> {
    std::iter::from_fn(move || {
        loop {
            let mut line = Vec::new();
            let read = (&mut reader)
                .take(max_len as u64 + 1)
                .read_until(b'\n', &mut line);
            match read {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    return Some(Err(BadLine {
                        shown: String::new(),
                        message: format!("cannot read the input: {e}"),
                    }));
                }
            }
            let complete = line.last() == Some(&b'\n');
            if !complete && line.len() > max_len {
                // Read past the rest of the line without keeping it.
                let mut total = line.len();
                while let Ok(buf) = reader.fill_buf() {
                    if buf.is_empty() {
                        break;
                    }
                    match buf.iter().position(|&b| b == b'\n') {
                        Some(at) => {
                            reader.consume(at + 1);
                            total += at;
                            break;
                        }
                        None => {
                            let n = buf.len();
                            total += n;
                            reader.consume(n);
                        }
                    }
                }
                return Some(Err(BadLine {
                    shown: shown(&line),
                    message: format!(
                        "input line of {total} bytes is longer than the limit of {max_len} bytes"
                    ),
                }));
            }
            match String::from_utf8(line) {
                Ok(text) => {
                    let text = text.trim();
                    if text.is_empty() || text.starts_with('#') {
                        continue;
                    }
                    return Some(Ok(text.to_owned()));
                }
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    return Some(Err(BadLine {
                        shown: shown(e.as_bytes()),
                        message: format!("input line is not UTF-8 (invalid byte at offset {at})"),
                    }));
                }
            }
        }
    })
}

fn shown(line: &[u8]) -> String {
    let head = &line[..line.len().min(SHOWN_BYTES)];
    String::from_utf8_lossy(head).trim().to_owned()
}

/// Processes `urls`, writing one line each to `out` in order. Returns how
/// many failed.
pub async fn run(
    urls: impl IntoIterator<Item = Result<String, BadLine>>,
    pipeline: Arc<Pipeline>,
    max_concurrency: usize,
    out: &mut impl Write,
) -> std::io::Result<usize> {
    let window = max_concurrency.max(1);
    let mut pending: VecDeque<(String, JoinHandle<(bool, String)>)> = VecDeque::new();
    let mut failures = 0;
    for item in urls {
        if pending.len() >= window
            && let Some(first) = pending.pop_front()
        {
            failures += write_result(first, out).await?;
        }
        let pipeline = Arc::clone(&pipeline);
        let (url, task) = match item {
            Ok(url) => {
                let shown = url.chars().take(SHOWN_BYTES).collect();
                (
                    shown,
                    tokio::spawn(async move { one(&pipeline, &url).await }),
                )
            }
            Err(bad) => {
                let line = error_line(&bad.shown, "invalid_url", &bad.message, false);
                (bad.shown, tokio::spawn(async move { (false, line) }))
            }
        };
        pending.push_back((url, task));
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
    (url, handle): (String, JoinHandle<(bool, String)>),
    out: &mut impl Write,
) -> std::io::Result<usize> {
    let (ok, line) = match handle.await {
        Ok(result) => result,
        // A panicking task still gives its line, with its URL.
        Err(e) => (false, error_line(&url, "internal", &e.to_string(), true)),
    };
    writeln!(out, "{line}")?;
    Ok(usize::from(!ok))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<Result<String, BadLine>> {
        input_lines(std::io::Cursor::new(input.to_vec()), max).collect()
    }

    #[test]
    fn a_bad_line_is_one_error_and_reading_goes_on() {
        let got = lines(
            b"https://a.example/1\n\xff\xfe/x\n# note\n\nhttps://a.example/2",
            100,
        );
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0], Ok("https://a.example/1".to_owned()));
        let bad = got[1].as_ref().unwrap_err();
        assert!(bad.message.contains("not UTF-8"), "{bad:?}");
        assert_eq!(got[2], Ok("https://a.example/2".to_owned()));
    }

    #[test]
    fn an_overlong_line_is_refused_without_being_held() {
        let mut input = b"https://a.example/1\n".to_vec();
        input.extend(std::iter::repeat_n(b'a', 10_000));
        input.extend(b"\nhttps://a.example/2\n");
        let got = lines(&input, 1000);
        assert_eq!(got.len(), 3, "{got:?}");
        let bad = got[1].as_ref().unwrap_err();
        assert!(bad.message.contains("10000 bytes"), "{bad:?}");
        assert!(bad.shown.len() <= SHOWN_BYTES);
        assert_eq!(got[2], Ok("https://a.example/2".to_owned()));
    }
}
