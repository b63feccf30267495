//! Shows how the extractor saw a page: the best-scoring containers, the
//! chosen roots and the boilerplate it removed. For tuning rules by hand:
//! `cargo run --release --example explain -- PAGE.html.gz`.

use newsworker::extract::{content, decode, dom::Dom};

fn describe(dom: &Dom<'_>, i: usize) -> String {
    let node = &dom.nodes[i];
    let name = node
        .element()
        .map_or("#text".to_owned(), |e| e.value().name().to_owned());
    let id = node.attr("id").map(|s| format!("#{s}")).unwrap_or_default();
    let class = node
        .attr("class")
        .map(|s| format!(".{}", s.split_whitespace().collect::<Vec<_>>().join(".")))
        .unwrap_or_default();
    format!("[{i}] {name}{id}{class}")
}

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: explain PAGE"))?;
    let bytes = std::fs::read(&path)?;
    let bytes = decode::gunzip_if_needed(&bytes, u64::MAX)?;
    let text = decode::decode_html(&bytes, None)?.text;
    let text = text.to_string();
    let html = scraper::Html::parse_document(&text);
    let dom = Dom::build(&html);
    let (forced, _) = newsworker::extract::find_embeds(&dom);
    let a = content::analyse(&dom, &forced, false);
    let mut ranked: Vec<usize> = (1..dom.len()).filter(|&i| a.score[i] > 0.0).collect();
    ranked.sort_by(|&x, &y| a.score[y].total_cmp(&a.score[x]));
    println!("top candidates:");
    for &i in ranked.iter().take(12) {
        println!(
            "  {:7.1} text={:6} ld={:.2} depth={} {}",
            a.score[i],
            a.text_len[i],
            a.link_density(i),
            dom.nodes[i].depth,
            describe(&dom, i)
        );
    }
    let roots = content::select(&dom, &a);
    println!("roots:");
    for &r in &roots {
        println!("  {} text={}", describe(&dom, r), a.text_len[r]);
    }
    println!("removed (with text):");
    for i in 1..dom.len() {
        if let Some(kind) = a.removed[i] {
            let end = dom.nodes[i].end as usize;
            let t: String = dom.nodes[i..end]
                .iter()
                .filter_map(|n| n.text())
                .collect::<String>();
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            if !t.is_empty() {
                println!(
                    "  {:10} {} :: {}",
                    kind.as_str(),
                    describe(&dom, i),
                    t.chars().take(100).collect::<String>()
                );
            }
        }
    }
    Ok(())
}
