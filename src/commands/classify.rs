//! `newsworker classify`: plain-text articles in, one JSON line per file out,
//! in order: `{"input", "language", "geo"}`.

use std::io::Write;
use std::path::Path;

use serde_json::json;

use serde::Serialize;

use crate::classify::{Classifier, Geo};

/// One output line, fields in this order.
#[derive(Serialize)]
struct Classified<'a> {
    input: &'a str,
    language: Option<&'static str>,
    geo: Geo,
}

/// Titles are short and do not end a sentence.
const MAX_TITLE_CHARS: usize = 300;

/// Classifies every file in `paths`, writing one JSON line each to `out`.
/// Returns how many files failed; the run goes on past failures.
pub fn run(
    paths: &[impl AsRef<Path>],
    classifier: &Classifier,
    out: &mut impl Write,
) -> std::io::Result<usize> {
    let mut failures = 0;
    for path in paths {
        let path = path.as_ref();
        let input = path.display().to_string();
        let line = match read_text(path) {
            Ok(text) => {
                let (title, body) = split_title(&text);
                let (language, geo) = classifier.classify_text(title, body);
                serde_json::to_string(&Classified {
                    input: &input,
                    language,
                    geo,
                })
                .map_err(std::io::Error::other)?
            }
            Err((class, message)) => {
                failures += 1;
                tracing::warn!(input = %input, class, message = %message, "classification failed");
                json!({ "input": input, "error": { "class": class, "message": message } })
                    .to_string()
            }
        };
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(failures)
}

/// Longest text file classified: ten times a long article, far below what
/// would take the process's memory.
pub const MAX_TEXT_BYTES: u64 = 10 * 1024 * 1024;

fn read_text(path: &Path) -> Result<String, (&'static str, String)> {
    let bytes = super::read_bounded(path, MAX_TEXT_BYTES)?;
    String::from_utf8(bytes).map_err(|e| {
        (
            "decode",
            format!(
                "{} is not UTF-8 (invalid byte at offset {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Splits off the first line as the title when it looks like one: short,
/// not ending a sentence, and followed by more text.
pub fn split_title(text: &str) -> (&str, &str) {
    let text = text.trim_start_matches('\u{feff}');
    let Some((first, rest)) = text.trim_start().split_once('\n') else {
        return ("", text);
    };
    let first = first.trim();
    let looks_like_title = !first.is_empty()
        && first.chars().count() <= MAX_TITLE_CHARS
        && !first.ends_with(['.', ',', ';', ':'])
        && !rest.trim().is_empty();
    if looks_like_title {
        (first, rest)
    } else {
        ("", text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_is_a_title_only_when_it_looks_like_one() {
        assert_eq!(
            split_title("NATO summit opens\n\nLeaders met in Vilnius."),
            ("NATO summit opens", "\nLeaders met in Vilnius.")
        );
        assert_eq!(split_title("Leaders met in Vilnius.\nThey talked.").0, "");
        assert_eq!(split_title("One line only").0, "");
        assert_eq!(split_title("").0, "");
    }
}
