//! dom_smoothie (a Readability port): read, gunzip, extract each page and
//! write its title and text as one JSON line, as `newsworker extract`
//! writes a record per page.

use std::io::Write;

fn main() {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (path, html) in newsworker_contenders::pages() {
        let line = match dom_smoothie::Readability::new(html, None, None)
            .and_then(|mut r| r.parse())
        {
            Ok(article) => serde_json::json!({
                "input": path,
                "title": article.title,
                "text": article.text_content.to_string(),
            }),
            Err(e) => serde_json::json!({"input": path, "error": e.to_string()}),
        };
        let _ = writeln!(out, "{line}");
    }
}
