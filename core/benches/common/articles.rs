//! The classification benchmark's articles, shared by `core/benches/classify.rs`
//! and `examples/classify_work.rs` so that both measure the same texts.

use std::error::Error;
use std::path::PathBuf;

use newsworker_core::extract::{self, Options, Page};

/// Article size the target is stated for.
pub const ARTICLE_BYTES: usize = 5_000;

/// The bundled plain-text articles (the seed's paragraphs, and the example
/// pages' texts in German, Polish, French and Spanish), each cut or
/// repeated to [`ARTICLE_BYTES`].
pub fn articles() -> Result<Vec<String>, Box<dyn Error + Send + Sync>> {
    // The core's bench runs from core/, the service's examples from the
    // workspace root: the pages are under the root's examples/.
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = [
        manifest.join("examples/pages"),
        manifest.join("../examples/pages"),
    ]
    .into_iter()
    .find(|dir| dir.is_dir())
    .ok_or("examples/pages not found beside or above the package")?;
    let mut texts = vec![std::fs::read_to_string(root.join("seed-paragraphs.txt"))?];
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&root)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    for page in pages {
        let bytes = std::fs::read(&page)?;
        let page = Page {
            bytes: &bytes,
            url: None,
            charset: None,
        };
        texts.push(extract::extract(page, &Options::default())?.text);
    }
    Ok(texts.iter().map(|t| to_size(t, ARTICLE_BYTES)).collect())
}

/// The text repeated or cut (at a char boundary) to `bytes`.
fn to_size(text: &str, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 4);
    while out.len() < bytes {
        out.push_str(text);
        out.push_str("\n\n");
    }
    let mut end = bytes;
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    out.truncate(end);
    out
}
