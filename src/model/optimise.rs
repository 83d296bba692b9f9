//! L2-regularised, sample-weighted logistic regression by L-BFGS.
//!
//! Written here rather than taken from a crate: `linfa-logistic` needs dense
//! `ndarray` matrices and the `argmin` framework and takes no per-sample
//! weights; `smartcore`'s logistic regression has no sample weights either and
//! pulls in a large tree. Class balancing needs sample weights, the data is
//! sparse (a text has a few dozen of some thousand features), and the fit
//! must give the same bytes for the same input: every sum here runs in index
//! order on one thread, and the number of iterations is bounded.

/// A sparse row: (feature index, value), indices ascending.
pub type Row = Vec<(u32, f64)>;

/// A fitted linear model: `z = bias + Σ weights[f] · x[f]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    pub weights: Vec<f64>,
    pub bias: f64,
}

impl Linear {
    pub fn logit(&self, row: &[(u32, f64)]) -> f64 {
        self.bias
            + row
                .iter()
                .map(|&(f, v)| self.weights[f as usize] * v)
                .sum::<f64>()
    }
}

pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// log(1 + e^-m), stable for large |m|.
fn log_loss(margin: f64) -> f64 {
    if margin > 0.0 {
        (-margin).exp().ln_1p()
    } else {
        -margin + margin.exp().ln_1p()
    }
}

/// The problem: rows, labels, per-row weights and the L2 strength (the
/// bias is not regularised).
pub struct Problem<'a> {
    pub rows: &'a [Row],
    pub labels: &'a [bool],
    pub sample_weights: &'a [f64],
    pub features: usize,
    pub l2: f64,
}

impl Problem<'_> {
    /// Loss and gradient at `x` (weights, then the bias last).
    fn eval(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let n = self.features;
        let (w, b) = (&x[..n], x[n]);
        let mut loss = 0.0;
        for (i, g) in grad.iter_mut().enumerate() {
            *g = if i < n { self.l2 * w[i] } else { 0.0 };
        }
        loss += 0.5 * self.l2 * w.iter().map(|v| v * v).sum::<f64>();
        for ((row, &y), &s) in self.rows.iter().zip(self.labels).zip(self.sample_weights) {
            let z = b + row.iter().map(|&(f, v)| w[f as usize] * v).sum::<f64>();
            let sign = if y { 1.0 } else { -1.0 };
            loss += s * log_loss(sign * z);
            // d/dz of log(1+e^{-yz}) = -y σ(-yz)
            let dz = -sign * sigmoid(-sign * z) * s;
            for &(f, v) in row {
                grad[f as usize] += dz * v;
            }
            grad[n] += dz;
        }
        loss
    }
}

/// Minimises the problem's loss from zero. Deterministic: the same problem
/// gives the same weights, bit for bit.
pub fn fit(problem: &Problem) -> Linear {
    const MEMORY: usize = 8;
    const MAX_ITERATIONS: usize = 300;
    const TOLERANCE: f64 = 1e-6;
    let dim = problem.features + 1;
    let mut x = vec![0.0; dim];
    let mut g = vec![0.0; dim];
    let mut f = problem.eval(&x, &mut g);
    let scale = 1.0 + problem.sample_weights.iter().sum::<f64>();
    let mut history: Vec<(Vec<f64>, Vec<f64>, f64)> = Vec::with_capacity(MEMORY);
    let mut x_new = vec![0.0; dim];
    let mut g_new = vec![0.0; dim];
    for _ in 0..MAX_ITERATIONS {
        if norm(&g) / scale < TOLERANCE {
            break;
        }
        let d = direction(&g, &history);
        let slope = dot(&g, &d);
        let (d, slope) = if slope < 0.0 {
            (d, slope)
        } else {
            // Not a descent direction (numerical trouble): restart from steepest descent.
            history.clear();
            let d: Vec<f64> = g.iter().map(|v| -v).collect();
            let slope = dot(&g, &d);
            (d, slope)
        };
        // The first step of a steepest-descent direction is scaled so that it
        // is not absurdly long.
        let mut step = if history.is_empty() {
            1.0 / norm(&d).max(1.0)
        } else {
            1.0
        };
        let mut accepted = false;
        for _ in 0..40 {
            for i in 0..dim {
                x_new[i] = x[i] + step * d[i];
            }
            let f_new = problem.eval(&x_new, &mut g_new);
            if f_new <= f + 1e-4 * step * slope {
                let s: Vec<f64> = (0..dim).map(|i| x_new[i] - x[i]).collect();
                let y: Vec<f64> = (0..dim).map(|i| g_new[i] - g[i]).collect();
                let sy = dot(&s, &y);
                if sy > 1e-12 {
                    if history.len() == MEMORY {
                        history.remove(0);
                    }
                    history.push((s, y, 1.0 / sy));
                }
                std::mem::swap(&mut x, &mut x_new);
                std::mem::swap(&mut g, &mut g_new);
                let improvement = f - f_new;
                f = f_new;
                accepted = true;
                if improvement.abs() / scale < 1e-12 {
                    return finish(x, problem.features);
                }
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            break;
        }
    }
    finish(x, problem.features)
}

fn finish(mut x: Vec<f64>, features: usize) -> Linear {
    let bias = x[features];
    x.truncate(features);
    Linear { weights: x, bias }
}

/// The L-BFGS two-loop recursion: an approximation of -H⁻¹g.
fn direction(g: &[f64], history: &[(Vec<f64>, Vec<f64>, f64)]) -> Vec<f64> {
    let mut q: Vec<f64> = g.to_vec();
    let mut alphas = vec![0.0; history.len()];
    for (k, (s, y, rho)) in history.iter().enumerate().rev() {
        let a = rho * dot(s, &q);
        alphas[k] = a;
        for i in 0..q.len() {
            q[i] -= a * y[i];
        }
    }
    if let Some((s, y, _)) = history.last() {
        let gamma = dot(s, y) / dot(y, y);
        q.iter_mut().for_each(|v| *v *= gamma);
    }
    for (k, (s, y, rho)) in history.iter().enumerate() {
        let b = rho * dot(y, &q);
        for i in 0..q.len() {
            q[i] += s[i] * (alphas[k] - b);
        }
    }
    q.iter_mut().for_each(|v| *v = -*v);
    q
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem<'a>(
        rows: &'a [Row],
        labels: &'a [bool],
        weights: &'a [f64],
        l2: f64,
    ) -> Problem<'a> {
        Problem {
            rows,
            labels,
            sample_weights: weights,
            features: 2,
            l2,
        }
    }

    #[test]
    fn separates_by_the_informative_feature() {
        // Feature 0 goes with the positive class, feature 1 is on everywhere.
        let rows: Vec<Row> = vec![
            vec![(0, 1.0), (1, 1.0)],
            vec![(0, 1.0), (1, 1.0)],
            vec![(1, 1.0)],
            vec![(1, 1.0)],
            vec![(1, 1.0)],
        ];
        let labels = [true, true, false, false, false];
        let weights = [1.0; 5];
        let m = fit(&problem(&rows, &labels, &weights, 0.1));
        assert!(m.weights[0] > 1.0, "{m:?}");
        for (row, &y) in rows.iter().zip(&labels) {
            assert_eq!(sigmoid(m.logit(row)) > 0.5, y, "{m:?}");
        }
    }

    #[test]
    fn reaches_the_optimum_where_the_gradient_vanishes() {
        let rows: Vec<Row> = vec![
            vec![(0, 1.0)],
            vec![(0, 1.0), (1, 0.5)],
            vec![(1, 1.0)],
            vec![(0, 1.0), (1, 1.0)],
            vec![],
        ];
        let labels = [true, false, false, true, false];
        let weights = [1.0, 2.0, 1.0, 0.5, 1.0];
        let p = problem(&rows, &labels, &weights, 0.3);
        let m = fit(&p);
        let mut x = m.weights.clone();
        x.push(m.bias);
        let mut g = vec![0.0; 3];
        p.eval(&x, &mut g);
        assert!(norm(&g) < 1e-4, "gradient {g:?}");
    }

    #[test]
    fn stronger_regularisation_shrinks_weights_and_fits_are_repeatable() {
        let rows: Vec<Row> = vec![vec![(0, 1.0)], vec![(0, 1.0)], vec![(1, 1.0)], vec![]];
        let labels = [true, true, false, false];
        let weights = [1.0; 4];
        let loose = fit(&problem(&rows, &labels, &weights, 0.01));
        let tight = fit(&problem(&rows, &labels, &weights, 10.0));
        assert!(tight.weights[0].abs() < loose.weights[0].abs());
        assert_eq!(loose, fit(&problem(&rows, &labels, &weights, 0.01)));
    }

    #[test]
    fn sample_weights_move_the_bias() {
        // No informative feature: the bias alone follows the weighted base rate.
        let rows: Vec<Row> = vec![vec![], vec![], vec![], vec![]];
        let labels = [true, false, false, false];
        let even = fit(&problem(&rows, &labels, &[1.0; 4], 1.0));
        let balanced = fit(&problem(&rows, &labels, &[3.0, 1.0, 1.0, 1.0], 1.0));
        assert!((sigmoid(even.bias) - 0.25).abs() < 1e-4, "{even:?}");
        assert!((sigmoid(balanced.bias) - 0.5).abs() < 1e-4, "{balanced:?}");
    }
}
