//! How sharp the minimum is at the current weights, over the train split:
//!
//! - λmax, the top Hessian eigenvalue, by power iteration on exact Hessian-vector
//!   products (Rayleigh quotient; if the largest-magnitude eigenvalue is negative the
//!   iteration is repeated on H − λ·I to reach the top one).
//! - tr(H) by Hutchinson's estimator `E[vᵀHv]` with Rademacher v, with its standard error.
//! - ε-sharpness (Keskar et al., "On Large-Batch Training for Deep Learning", ICLR 2017):
//!   `100 · (max_{z∈C} L(θ+z) − L(θ)) / (1 + L(θ))` over the box
//!   `|z_i| ≤ ε(|θ_i| + 1)`. The maximum is sought by projected sign-gradient ascent
//!   (a fixed number of steps of a quarter box), so the value is a lower bound of the
//!   exact maximum, as any local search gives.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;

use super::curvature::Curvature;
use crate::config::LossKind;
use crate::data::Dataset;
use crate::nn::Mlp;

/// Power iterations at most.
pub const MAX_POWER_ITERATIONS: usize = 100;
/// Relative change of the Rayleigh quotient that ends the power iteration.
pub const POWER_TOLERANCE: f64 = 1e-7;
/// Rademacher samples for the trace.
pub const TRACE_SAMPLES: usize = 50;
/// Box half-width factor of ε-sharpness (Keskar et al. report 1e-3 and 5e-4).
pub const EPSILON: f64 = 1e-3;
/// Ascent steps for ε-sharpness.
pub const ASCENT_STEPS: usize = 20;

/// Curvature measures at one point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sharpness {
    pub lambda_max: f64,
    pub lambda_iterations: usize,
    pub trace: f64,
    pub trace_std_error: f64,
    pub trace_samples: usize,
    pub eps_sharpness: f64,
    pub eps: f64,
}

/// All measures at `params` on `data`, with random vectors from `rng`.
pub fn measure(
    model: &Mlp,
    loss: LossKind,
    data: &Dataset,
    params: &[f32],
    rng: &mut ChaCha8Rng,
) -> Sharpness {
    let curvature = Curvature::new(model, loss, data, params);
    let (lambda_max, lambda_iterations) =
        top_eigenvalue(|v| curvature.hessian_times(v), curvature.dimension(), rng);
    let (trace, trace_std_error) = hutchinson_trace(
        |v| curvature.hessian_times(v),
        curvature.dimension(),
        TRACE_SAMPLES,
        rng,
    );
    Sharpness {
        lambda_max,
        lambda_iterations,
        trace,
        trace_std_error,
        trace_samples: TRACE_SAMPLES,
        eps_sharpness: epsilon_sharpness(model, loss, data, params, EPSILON),
        eps: EPSILON,
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn normalized(mut v: Vec<f64>) -> Vec<f64> {
    let norm = dot(&v, &v).sqrt();
    if norm > 0.0 {
        for x in &mut v {
            *x /= norm;
        }
    }
    v
}

/// Power iteration for the largest-magnitude eigenvalue of `shifted(v) = H v − shift·v`.
fn power_iteration(
    times: &impl Fn(&[f64]) -> Vec<f64>,
    dimension: usize,
    shift: f64,
    rng: &mut ChaCha8Rng,
) -> (f64, usize) {
    let start: Vec<f64> = (0..dimension).map(|_| StandardNormal.sample(rng)).collect();
    let mut v = normalized(start);
    let mut rayleigh = 0.0;
    for iteration in 1..=MAX_POWER_ITERATIONS {
        let mut hv = times(&v);
        for (h, x) in hv.iter_mut().zip(&v) {
            *h -= shift * x;
        }
        let next = dot(&v, &hv);
        let converged = (next - rayleigh).abs() <= POWER_TOLERANCE * next.abs().max(1e-30);
        rayleigh = next;
        if converged || dot(&hv, &hv) == 0.0 {
            return (rayleigh, iteration);
        }
        v = normalized(hv);
    }
    (rayleigh, MAX_POWER_ITERATIONS)
}

/// The algebraically largest eigenvalue of the symmetric operator `times`, and the
/// iterations used.
pub fn top_eigenvalue(
    times: impl Fn(&[f64]) -> Vec<f64>,
    dimension: usize,
    rng: &mut ChaCha8Rng,
) -> (f64, usize) {
    let (dominant, iterations) = power_iteration(&times, dimension, 0.0, rng);
    if dominant >= 0.0 {
        return (dominant, iterations);
    }
    // The dominant eigenvalue is negative: on H − dominant·I every eigenvalue is ≥ 0 and
    // the top one of H is the dominant one there.
    let (shifted, more) = power_iteration(&times, dimension, dominant, rng);
    (shifted + dominant, iterations + more)
}

/// Hutchinson's trace estimate and its standard error over `samples` Rademacher vectors.
pub fn hutchinson_trace(
    times: impl Fn(&[f64]) -> Vec<f64>,
    dimension: usize,
    samples: usize,
    rng: &mut ChaCha8Rng,
) -> (f64, f64) {
    let mut values = Vec::with_capacity(samples);
    for _ in 0..samples {
        let v: Vec<f64> = (0..dimension)
            .map(|_| if rng.random::<bool>() { 1.0 } else { -1.0 })
            .collect();
        values.push(dot(&v, &times(&v)));
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, (variance / n).sqrt())
}

/// Keskar's ε-sharpness at `params` (see the module docs).
pub fn epsilon_sharpness(
    model: &Mlp,
    loss: LossKind,
    data: &Dataset,
    params: &[f32],
    epsilon: f64,
) -> f64 {
    let center = Curvature::new(model, loss, data, params);
    let (base, _) = center.gradient();
    let bounds: Vec<f64> = params
        .iter()
        .map(|&p| epsilon * (f64::from(p).abs() + 1.0))
        .collect();
    let mut offset = vec![0.0f64; params.len()];
    let mut worst = base;
    for _ in 0..ASCENT_STEPS {
        let shifted: Vec<f32> = params
            .iter()
            .zip(&offset)
            .map(|(&p, &z)| (f64::from(p) + z) as f32)
            .collect();
        let (value, gradient) = Curvature::new(model, loss, data, &shifted).gradient();
        worst = worst.max(value);
        for ((z, g), bound) in offset.iter_mut().zip(&gradient).zip(&bounds) {
            *z = (*z + 0.25 * bound * g.signum()).clamp(-bound, *bound);
        }
    }
    let shifted: Vec<f32> = params
        .iter()
        .zip(&offset)
        .map(|(&p, &z)| (f64::from(p) + z) as f32)
        .collect();
    worst = worst.max(Curvature::new(model, loss, data, &shifted).gradient().0);
    100.0 * (worst - base) / (1.0 + base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Activation, ModelConfig};
    use crate::seeding::{rng, Stream};

    /// Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations, for checking.
    fn jacobi_eigenvalues(mut a: Vec<Vec<f64>>) -> Vec<f64> {
        let n = a.len();
        for _ in 0..100 {
            let off: f64 = (0..n)
                .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
                .map(|(i, j)| a[i][j] * a[i][j])
                .sum();
            if off < 1e-24 {
                break;
            }
            for p in 0..n {
                for q in p + 1..n {
                    if a[p][q].abs() < 1e-300 {
                        continue;
                    }
                    let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                    let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                    let t = if theta == 0.0 { 1.0 } else { t };
                    let c = 1.0 / (t * t + 1.0).sqrt();
                    let s = t * c;
                    for row in a.iter_mut() {
                        let (akp, akq) = (row[p], row[q]);
                        row[p] = c * akp - s * akq;
                        row[q] = s * akp + c * akq;
                    }
                    let (row_p, row_q) = (a[p].clone(), a[q].clone());
                    for (k, (apk, aqk)) in row_p.into_iter().zip(row_q).enumerate() {
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
        }
        let mut values: Vec<f64> = (0..n).map(|i| a[i][i]).collect();
        values.sort_by(f64::total_cmp);
        values
    }

    fn tiny_problem(hidden: Vec<usize>) -> (Mlp, Vec<f32>, Dataset) {
        let config = ModelConfig {
            hidden,
            activation: Activation::Tanh,
            ..ModelConfig::default()
        };
        let model = Mlp::new(2, 1, &config).unwrap();
        let params = model.init_pytorch(3);
        let x: Vec<f32> = (0..24).map(|i| (i as f32 * 0.91).sin()).collect();
        let y: Vec<f32> = (0..12).map(|i| (i as f32 * 0.4).cos()).collect();
        let data = Dataset {
            features: x,
            targets: y,
            n_features: 2,
            n_outputs: 1,
            feature_names: vec![],
            target_names: vec![],
        };
        (model, params, data)
    }

    fn full_hessian(curvature: &Curvature) -> Vec<Vec<f64>> {
        let n = curvature.dimension();
        (0..n)
            .map(|i| {
                let mut e = vec![0.0; n];
                e[i] = 1.0;
                curvature.hessian_times(&e)
            })
            .collect()
    }

    /// Linear model with MSE: H = 2/n·X̃ᵀX̃. λmax and the trace (of the full matrix, and
    /// Hutchinson's estimate within 4 standard errors) match the closed form.
    #[test]
    fn linear_model_lambda_max_and_trace_match_closed_form() {
        let (model, params, data) = tiny_problem(vec![]);
        let curvature = Curvature::new(&model, LossKind::Mse, &data, &params);
        let hessian = full_hessian(&curvature);
        let spectrum = jacobi_eigenvalues(hessian.clone());
        let exact_top = spectrum[spectrum.len() - 1];
        let exact_trace: f64 = (0..3).map(|i| hessian[i][i]).sum();
        let closed_trace: f64 = (0..12)
            .map(|r| {
                let row = data.feature_row(r);
                2.0 / 12.0 * (f64::from(row[0]).powi(2) + f64::from(row[1]).powi(2) + 1.0)
            })
            .sum();
        assert!((exact_trace - closed_trace).abs() < 1e-12);

        let mut generator = rng(5, Stream::Directions);
        let (lambda, _) = top_eigenvalue(|v| curvature.hessian_times(v), 3, &mut generator);
        assert!(
            (lambda - exact_top).abs() < 1e-6 * exact_top,
            "{lambda} vs {exact_top}"
        );
        let (trace, error) =
            hutchinson_trace(|v| curvature.hessian_times(v), 3, 2000, &mut generator);
        assert!(
            (trace - closed_trace).abs() < 4.0 * error + 1e-9,
            "{trace} ± {error}"
        );
    }

    /// On a tiny MLP (a Hessian with negative eigenvalues too) power iteration agrees
    /// with the top of the full spectrum.
    #[test]
    fn power_iteration_agrees_with_full_spectrum() {
        let (model, params, data) = tiny_problem(vec![3]);
        let curvature = Curvature::new(&model, LossKind::Mse, &data, &params);
        let spectrum = jacobi_eigenvalues(full_hessian(&curvature));
        let exact_top = spectrum[spectrum.len() - 1];
        let mut generator = rng(6, Stream::Directions);
        let (lambda, iterations) = top_eigenvalue(
            |v| curvature.hessian_times(v),
            curvature.dimension(),
            &mut generator,
        );
        assert!(
            (lambda - exact_top).abs() < 1e-4 * exact_top.abs(),
            "{lambda} vs {exact_top} after {iterations} iterations; spectrum {spectrum:?}"
        );
    }

    #[test]
    fn negative_dominant_eigenvalue_is_shifted_away() {
        // diag(−5, 1, 2): dominant −5, top 2.
        let diagonal = [-5.0, 1.0, 2.0];
        let times = |v: &[f64]| v.iter().zip(&diagonal).map(|(x, d)| x * d).collect();
        let (lambda, _) = top_eigenvalue(times, 3, &mut rng(1, Stream::Directions));
        assert!((lambda - 2.0).abs() < 1e-5, "{lambda}");
    }

    #[test]
    fn epsilon_sharpness_grows_with_the_box() {
        let (model, params, data) = tiny_problem(vec![3]);
        let small = epsilon_sharpness(&model, LossKind::Mse, &data, &params, 1e-4);
        let large = epsilon_sharpness(&model, LossKind::Mse, &data, &params, 1e-2);
        assert!(small > 0.0 && large > small, "{small} {large}");
    }
}
