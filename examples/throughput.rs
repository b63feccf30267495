//! One workload per process, for `perf stat` or `time`:
//! `throughput parse|extract|smoothie|alternate|compare DIR ROUNDS`.
//! `compare` is the fair one on a noisy machine: per page, all three
//! timed side by side, fastest of ROUNDS kept.

use newsworker::extract::{self, Options, Page, decode};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("extract");
    let dir = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "../shared/bench/scrapinghub/html".into());
    let rounds: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(3);
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let bytes = std::fs::read(entry?.path())?;
        pages.push(decode::gunzip_if_needed(&bytes, u64::MAX)?.into_owned());
    }
    let texts: Vec<String> = pages
        .iter()
        .map(|b| decode::decode_html(b, None).map(|d| d.text.to_string()))
        .collect::<Result<_, _>>()?;
    let options = Options::default();
    if mode == "compare" {
        // Per page, the three side by side in rotating order; each keeps its
        // fastest round, so machine noise hits all three alike.
        let mut best = vec![[f64::INFINITY; 3]; pages.len()];
        for round in 0..rounds {
            for (i, (bytes, text)) in pages.iter().zip(&texts).enumerate() {
                for k in 0..3 {
                    let which = (k + round) % 3;
                    let start = newsworker::eval::cpu_seconds();
                    match which {
                        0 => drop(std::hint::black_box(scraper::Html::parse_document(text))),
                        1 => drop(std::hint::black_box(extract::extract(
                            Page {
                                bytes,
                                url: None,
                                charset: None,
                            },
                            &options,
                        ))),
                        _ => {
                            if let Ok(mut r) =
                                dom_smoothie::Readability::new(text.as_str(), None, None)
                            {
                                let _ = std::hint::black_box(r.parse());
                            }
                        }
                    }
                    let t = newsworker::eval::cpu_seconds() - start;
                    best[i][which] = best[i][which].min(t);
                }
            }
        }
        let sum = |k: usize| best.iter().map(|b| b[k]).sum::<f64>();
        let (parse, ours, smoothie) = (sum(0), sum(1), sum(2));
        let n = pages.len() as f64;
        println!(
            "pages/cpu-s: bare parse {:.0}, newsworker extract {:.0}, dom_smoothie {:.0}; extract/parse {:.2}x; newsworker is {:.2}x faster than dom_smoothie",
            n / parse,
            n / ours,
            n / smoothie,
            ours / parse,
            smoothie / ours
        );
        return Ok(());
    }
    if mode == "alternate" {
        // Whole batches of each, alternating, in one process.
        for _ in 0..rounds {
            let start = newsworker::eval::cpu_seconds();
            for text in &texts {
                drop(std::hint::black_box(scraper::Html::parse_document(text)));
            }
            let parse = newsworker::eval::cpu_seconds() - start;
            let start = newsworker::eval::cpu_seconds();
            for bytes in &pages {
                drop(std::hint::black_box(extract::extract(
                    Page {
                        bytes,
                        url: None,
                        charset: None,
                    },
                    &options,
                )));
            }
            let extract = newsworker::eval::cpu_seconds() - start;
            println!(
                "parse {parse:.3}s extract {extract:.3}s ratio {:.2}",
                extract / parse
            );
        }
        return Ok(());
    }
    let start = newsworker::eval::cpu_seconds();
    for _ in 0..rounds {
        for (bytes, text) in pages.iter().zip(&texts) {
            match mode {
                "parse" => drop(std::hint::black_box(scraper::Html::parse_document(text))),
                "smoothie" => {
                    if let Ok(mut r) = dom_smoothie::Readability::new(text.as_str(), None, None) {
                        let _ = std::hint::black_box(r.parse());
                    }
                }
                _ => drop(std::hint::black_box(extract::extract(
                    Page {
                        bytes,
                        url: None,
                        charset: None,
                    },
                    &options,
                ))),
            }
        }
    }
    let cpu = newsworker::eval::cpu_seconds() - start;
    println!(
        "{mode}: {:.1} pages/cpu-s",
        (pages.len() * rounds) as f64 / cpu
    );
    Ok(())
}
