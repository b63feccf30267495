//! `newsworker extract`: HTML files in, one classified JSON record per file
//! out, in order.

use std::io::Write;
use std::path::Path;

use serde_json::json;
use url::Url;

use crate::classify::Classifier;
use crate::extract::{self, Options, Page};
use crate::record::Record;

/// Extracts every file in `paths`, writing one JSON line each to `out`.
/// Returns how many files failed; the run goes on past failures.
pub fn run(
    paths: &[impl AsRef<Path>],
    url: Option<&Url>,
    options: &Options,
    classifier: &Classifier,
    out: &mut impl Write,
) -> std::io::Result<usize> {
    let mut failures = 0;
    for path in paths {
        let path = path.as_ref();
        let line = match extract_file(path, url, options, classifier) {
            Ok(record) => serde_json::to_string(&record),
            Err((class, message)) => {
                failures += 1;
                tracing::warn!(input = %path.display(), class, message = %message, "extraction failed");
                serde_json::to_string(&json!({
                    "input": path.display().to_string(),
                    "error": { "class": class, "message": message },
                }))
            }
        }
        .map_err(std::io::Error::other)?;
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(failures)
}

fn extract_file(
    path: &Path,
    url: Option<&Url>,
    options: &Options,
    classifier: &Classifier,
) -> Result<Record, (&'static str, String)> {
    let meta = std::fs::metadata(path)
        .map_err(|e| ("io", format!("cannot read {}: {e}", path.display())))?;
    // A regular file's size is known before reading it.
    if meta.is_file() && meta.len() > options.max_bytes {
        let err = crate::extract::ExtractError::TooLarge {
            size: meta.len(),
            limit: options.max_bytes,
        };
        return Err((err.class(), err.to_string()));
    }
    let bytes = super::read_bounded(path, options.max_bytes)?;
    let article = extract::extract(
        Page {
            bytes: &bytes,
            url,
            charset: None,
        },
        options,
    )
    .map_err(|e| (e.class(), e.to_string()))?;
    let geo = classifier.classify_article(&article, url.map(Url::as_str));
    Ok(Record::from_article(article, url, geo))
}
