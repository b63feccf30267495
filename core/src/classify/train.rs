//! Fitting the topic model ([`super::model`]) to labelled examples: an
//! L2-regularised logistic regression solved by Newton's method.
//!
//! The problem is small (a few dozen parameters, some thousand candidate
//! pairs), so each Newton step solves the full Hessian system directly and
//! a fit converges in a handful of steps, deterministically: the same
//! labels give the same weights file, byte for byte.

use super::model::{FEATURE_COUNT, TopicModel};

/// One (article, topic) candidate with its label.
#[derive(Debug, Clone)]
pub struct Example {
    pub topic: usize,
    pub features: [f64; FEATURE_COUNT],
    /// Whether the labels make the topic a subject of the article.
    pub positive: bool,
    /// Whether the labels leave the topic open (optional): not trained on.
    pub optional: bool,
}

/// How strongly the fit is pulled towards zero weights.
#[derive(Debug, Clone, Copy)]
pub struct Regularization {
    /// On the shared feature weights.
    pub features: f64,
    /// On each topic's bias: stronger, since some topics have a handful of
    /// labelled articles.
    pub topic_bias: f64,
}

impl Default for Regularization {
    fn default() -> Self {
        Regularization {
            features: 1.0,
            topic_bias: 4.0,
        }
    }
}

/// Fits the model to `examples` for a taxonomy of `topics` topics.
pub fn fit(
    examples: &[Example],
    topics: usize,
    regularization: Regularization,
    threshold: f64,
    trained_on: String,
) -> TopicModel {
    // Parameters: the feature weights, the intercept, then one bias per topic.
    let n = FEATURE_COUNT + 1 + topics;
    let mut beta = vec![0.0f64; n];
    let penalty: Vec<f64> = (0..n)
        .map(|i| match i {
            i if i < FEATURE_COUNT => regularization.features,
            i if i == FEATURE_COUNT => 0.0,
            _ => regularization.topic_bias,
        })
        .collect();
    let used: Vec<&Example> = examples.iter().filter(|e| !e.optional).collect();
    for _ in 0..50 {
        let mut gradient: Vec<f64> = beta.iter().zip(&penalty).map(|(b, l)| b * l).collect();
        let mut hessian = vec![0.0f64; n * n];
        for i in 0..n {
            hessian[i * n + i] = penalty[i];
        }
        for e in &used {
            let x = design_row(e, topics);
            let z: f64 = x.iter().map(|&(i, v)| beta[i] * v).sum();
            let p = super::model::sigmoid(z);
            let residual = p - f64::from(u8::from(e.positive));
            let w = (p * (1.0 - p)).max(1e-9);
            for &(i, vi) in &x {
                gradient[i] += residual * vi;
                for &(j, vj) in &x {
                    hessian[i * n + j] += w * vi * vj;
                }
            }
        }
        let Some(step) = solve(hessian, gradient, n) else {
            break;
        };
        let mut largest = 0.0f64;
        for (b, s) in beta.iter_mut().zip(&step) {
            *b -= s;
            largest = largest.max(s.abs());
        }
        if largest < 1e-8 {
            break;
        }
    }
    let mut weights = [0.0; FEATURE_COUNT];
    weights.copy_from_slice(&beta[..FEATURE_COUNT]);
    TopicModel {
        threshold,
        trained_on,
        weights,
        intercept: beta[FEATURE_COUNT],
        topic_bias: beta[FEATURE_COUNT + 1..].to_vec(),
    }
}

/// The example's non-zero entries of the design matrix: its features, the
/// intercept and its topic's indicator.
fn design_row(e: &Example, topics: usize) -> Vec<(usize, f64)> {
    let mut row: Vec<(usize, f64)> = e
        .features
        .iter()
        .enumerate()
        .filter(|(_, v)| **v != 0.0)
        .map(|(i, v)| (i, *v))
        .collect();
    row.push((FEATURE_COUNT, 1.0));
    if e.topic < topics {
        row.push((FEATURE_COUNT + 1 + e.topic, 1.0));
    }
    row
}

/// Solves `a x = b` (a symmetric positive definite, n x n, row-major) by
/// Gaussian elimination with partial pivoting; `None` when singular.
fn solve(mut a: Vec<f64>, mut b: Vec<f64>, n: usize) -> Option<Vec<f64>> {
    for col in 0..n {
        let pivot =
            (col..n).max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))?;
        if a[pivot * n + col].abs() < 1e-12 {
            return None;
        }
        if pivot != col {
            for k in 0..n {
                a.swap(col * n + k, pivot * n + k);
            }
            b.swap(col, pivot);
        }
        for row in col + 1..n {
            let factor = a[row * n + col] / a[col * n + col];
            if factor == 0.0 {
                continue;
            }
            for k in col..n {
                a[row * n + k] -= factor * a[col * n + k];
            }
            b[row] -= factor * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let tail: f64 = (row + 1..n).map(|k| a[row * n + k] * x[k]).sum();
        x[row] = (b[row] - tail) / a[row * n + row];
    }
    Some(x)
}

/// The fold (0..folds) an article belongs to in cross-validation: fixed by
/// a hash of its id, so folds do not change when the labels file is
/// reordered or grows.
pub fn fold_of(id: &str, folds: usize) -> usize {
    // FNV-1a: stable across builds and platforms, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash % folds.max(1) as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(topic: usize, strong_title: f64, positive: bool) -> Example {
        let mut features = [0.0; FEATURE_COUNT];
        features[0] = strong_title;
        features[12] = 1.0;
        Example {
            topic,
            features,
            positive,
            optional: false,
        }
    }

    #[test]
    fn fit_learns_that_evidence_counts() {
        let mut examples = Vec::new();
        for i in 0..40 {
            examples.push(example(i % 2, 1.0, i % 5 != 0));
            examples.push(example(i % 2, 0.0, i % 5 == 0));
        }
        let model = fit(&examples, 2, Regularization::default(), 0.5, "t".into());
        assert!(model.weights[0] > 1.0, "{model:?}");
        let (with, _) = model.log_odds(0, &examples[0].features);
        let (without, _) = model.log_odds(0, &examples[1].features);
        assert!(with > 0.0 && without < 0.0, "{with} {without}");
    }

    #[test]
    fn optional_examples_are_not_trained_on() {
        let mut examples = vec![example(0, 1.0, true), example(0, 0.0, false)];
        let before = fit(&examples, 1, Regularization::default(), 0.5, "t".into());
        examples.push(Example {
            optional: true,
            ..example(0, 1.0, false)
        });
        let after = fit(&examples, 1, Regularization::default(), 0.5, "t".into());
        assert_eq!(before, after);
    }

    #[test]
    fn folds_are_stable_and_spread() {
        assert_eq!(fold_of("abc", 5), fold_of("abc", 5));
        let mut counts = [0; 5];
        for i in 0..1000 {
            counts[fold_of(&format!("doc-{i}"), 5)] += 1;
        }
        assert!(counts.iter().all(|&c| c > 150), "{counts:?}");
    }
}
