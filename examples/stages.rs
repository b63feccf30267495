//! Where extraction spends its time, stage by stage, over a benchmark set:
//! `cargo run --release --example stages -- ../shared/bench/scrapinghub/html`.

use std::time::{Duration, Instant};

use newsworker::extract::{content, decode, dom::Dom, metadata, text};

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/bench/scrapinghub/html".into());
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let bytes = std::fs::read(entry?.path())?;
        pages.push(decode::gunzip_if_needed(&bytes, u64::MAX)?.into_owned());
    }
    let mut t = [Duration::ZERO; 10];
    let names = [
        "decode",
        "parse",
        "dom",
        "metadata",
        "classify",
        "analyse+select",
        "render",
        "language",
        "embeds",
        "filter",
    ];
    // Compile the pattern tables first: one-time set-up is not per-page work.
    let _ = newsworker::extract::extract(
        newsworker::extract::Page {
            bytes: &pages[0],
            url: None,
            charset: None,
        },
        &Default::default(),
    );
    // With `--full-only`, only whole extractions run (for profilers).
    let per_stage = std::env::args().nth(2).as_deref() != Some("--full-only");
    for bytes in pages.iter().filter(|_| per_stage) {
        let s = Instant::now();
        let d = decode::decode_html(bytes, None)?;
        t[0] += s.elapsed();
        let s = Instant::now();
        let html = scraper::Html::parse_document(&d.text);
        t[1] += s.elapsed();
        let s = Instant::now();
        let dom = Dom::build(&html);
        t[2] += s.elapsed();
        let s = Instant::now();
        let meta = metadata::extract(&dom, None);
        t[3] += s.elapsed();
        let s = Instant::now();
        let (forced, _) = newsworker::extract::find_embeds(&dom);
        t[8] += s.elapsed();
        let s = Instant::now();
        let a = content::analyse(&dom, &forced, false);
        let roots = content::select(&dom, &a);
        t[5] += s.elapsed();
        let s = Instant::now();
        let blocks = text::render(&dom, &a, &roots);
        let s2 = Instant::now();
        let mut removed = Default::default();
        newsworker::extract::count_removed(&dom, &a.removed, &mut removed);
        let blocks =
            newsworker::extract::filter_blocks(blocks, &meta, &mut removed, &mut Vec::new());
        t[9] += s2.elapsed();
        let joined = text::join(&blocks);
        t[6] += s.elapsed();
        let s = Instant::now();
        std::hint::black_box(newsworker::language::detect(&joined));
        t[7] += s.elapsed();
    }
    for (name, d) in names.iter().zip(t) {
        println!("{name:>16}: {:>8.1} ms", d.as_secs_f64() * 1000.0);
    }
    let s = Instant::now();
    for bytes in &pages {
        let _ = newsworker::extract::extract(
            newsworker::extract::Page {
                bytes,
                url: None,
                charset: None,
            },
            &Default::default(),
        );
    }
    println!(
        "{:>16}: {:>8.1} ms",
        "full extract",
        s.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}
