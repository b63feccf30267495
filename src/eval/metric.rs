//! The ScrapingHub article-extraction metric, as in
//! `shared/bench/score_extraction.py`: 4-word shingles of `\w+` tokens,
//! per-page precision and recall averaged over pages, F1 of the averages.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\w+").unwrap_or_else(|err| panic!("bad pattern: {err}")));

/// Tokens as the scorer sees them.
pub fn words(text: &str) -> Vec<&str> {
    WORD.find_iter(text).map(|m| m.as_str()).collect()
}

fn shingles<'a>(words: &[&'a str]) -> HashMap<Vec<&'a str>, u32> {
    let mut out = HashMap::new();
    if words.is_empty() {
        return out;
    }
    if words.len() < 4 {
        out.insert(words.to_vec(), 1);
        return out;
    }
    for w in words.windows(4) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

/// One page's normalised shingle counts.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageCounts {
    pub tp: f64,
    pub fp: f64,
    pub fn_: f64,
    pub exact: bool,
}

impl PageCounts {
    pub fn precision(&self) -> f64 {
        if self.fp == 0.0 && self.fn_ == 0.0 {
            1.0
        } else if self.tp + self.fp > 0.0 {
            self.tp / (self.tp + self.fp)
        } else {
            0.0
        }
    }

    pub fn recall(&self) -> f64 {
        if self.fp == 0.0 && self.fn_ == 0.0 {
            1.0
        } else if self.tp + self.fn_ > 0.0 {
            self.tp / (self.tp + self.fn_)
        } else {
            0.0
        }
    }
}

/// Compares one prediction with its truth.
pub fn compare(truth: &str, prediction: &str) -> PageCounts {
    let tw = words(truth);
    let pw = words(prediction);
    let t = shingles(&tw);
    let p = shingles(&pw);
    let tp: u32 = t
        .iter()
        .map(|(k, c)| (*c).min(p.get(k).copied().unwrap_or(0)))
        .sum();
    let p_total: u32 = p.values().sum();
    let t_total: u32 = t.values().sum();
    let (fp, fn_) = (p_total - tp, t_total - tp);
    let total = (tp + fp + fn_) as f64;
    let exact = tw == pw;
    if total == 0.0 {
        return PageCounts {
            exact,
            ..Default::default()
        };
    }
    PageCounts {
        tp: tp as f64 / total,
        fp: fp as f64 / total,
        fn_: fn_ as f64 / total,
        exact,
    }
}

/// The aggregate scores over a set of pages.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scores {
    pub f1: f64,
    pub precision: f64,
    pub recall: f64,
    pub accuracy: f64,
}

/// Aggregates page counts the way the scorer does (macro averages).
pub fn aggregate(pages: &[PageCounts]) -> Scores {
    let precs: Vec<f64> = pages
        .iter()
        .filter(|c| c.tp + c.fp > 0.0)
        .map(PageCounts::precision)
        .collect();
    let recs: Vec<f64> = pages
        .iter()
        .filter(|c| c.tp + c.fn_ > 0.0)
        .map(PageCounts::recall)
        .collect();
    let mean = |v: &[f64]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let precision = mean(&precs);
    let recall = mean(&recs);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let accuracy = if pages.is_empty() {
        0.0
    } else {
        pages.iter().filter(|c| c.exact).count() as f64 / pages.len() as f64
    };
    Scores {
        f1,
        precision,
        recall,
        accuracy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_score_one() {
        let c = compare("one two three four five", "one, two three four five!");
        assert!(c.exact);
        assert_eq!(c.precision(), 1.0);
        assert_eq!(c.recall(), 1.0);
    }

    #[test]
    fn extra_text_lowers_precision_only() {
        let c = compare("a b c d e", "a b c d e f g");
        // truth shingles: 2; prediction: 4, of which 2 match.
        assert!((c.precision() - 0.5).abs() < 1e-9);
        assert_eq!(c.recall(), 1.0);
    }

    #[test]
    fn empty_prediction_is_left_out_of_precision() {
        let pages = [compare("a b c d e", ""), compare("a b c d e", "a b c d e")];
        let s = aggregate(&pages);
        assert_eq!(s.precision, 1.0);
        assert_eq!(s.recall, 0.5);
    }
}
