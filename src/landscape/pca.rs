//! The plane of the optimizer path (Li et al. 2018, §7): principal components of the
//! checkpoints' offsets from the final weights.
//!
//! Rows `m_t = θ_t − θ_final` over the recorded checkpoints are centred (their mean row
//! subtracted) for the PCA; the top two eigenvectors e_k of the T × T Gram matrix `M Mᵀ`
//! give the unit axes `u_k = Mᵀ e_k / ‖Mᵀ e_k‖`, and `λ_k / tr(M Mᵀ)` their explained
//! variance ratios. Projections are not centred: a checkpoint's coordinates are
//! `(θ_t − θ_final)·u_k`, so the final weights sit at (0, 0). Sign rule: on each axis the
//! checkpoint with the largest |coordinate| is positive.

use serde::Serialize;

use crate::error::{Error, Result};

/// Iterations of the power method on the Gram matrix.
const ITERATIONS: usize = 500;

/// The two principal axes of a path.
#[derive(Clone, Debug, PartialEq)]
pub struct PathPca {
    /// Unit axes, one entry per parameter.
    pub axes: [Vec<f32>; 2],
    /// Fraction of the centred variance each axis explains.
    pub explained_variance: [f64; 2],
}

/// Explained variance, for exports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PcaReport {
    pub explained_variance: [f64; 2],
}

/// PCA of `points` (each a full weight vector) around `final_weights`.
pub fn path_pca(points: &[&[f32]], final_weights: &[f32]) -> Result<PathPca> {
    let t = points.len();
    if t < 3 {
        return Err(Error::Data(format!(
            "the PCA plane needs at least 3 checkpoints of the path, got {t}; train a few \
             updates first"
        )));
    }
    let p = final_weights.len();

    // Offsets from the final weights, then centred for the PCA.
    let offsets: Vec<Vec<f64>> = points
        .iter()
        .map(|w| {
            w.iter()
                .zip(final_weights)
                .map(|(&a, &b)| f64::from(a) - f64::from(b))
                .collect()
        })
        .collect();
    let mut mean = vec![0.0; p];
    for row in &offsets {
        for (m, v) in mean.iter_mut().zip(row) {
            *m += v / t as f64;
        }
    }
    let centred: Vec<Vec<f64>> = offsets
        .iter()
        .map(|row| row.iter().zip(&mean).map(|(v, m)| v - m).collect())
        .collect();

    let mut gram = vec![0.0; t * t];
    for i in 0..t {
        for j in i..t {
            let value: f64 = centred[i].iter().zip(&centred[j]).map(|(a, b)| a * b).sum();
            gram[i * t + j] = value;
            gram[j * t + i] = value;
        }
    }
    let total: f64 = (0..t).map(|i| gram[i * t + i]).sum();
    if total <= 0.0 {
        return Err(Error::Data(
            "the path has not moved: every checkpoint equals the final weights".into(),
        ));
    }

    let (first_value, first) = top_eigenvector(&gram, t, None);
    let (second_value, second) = top_eigenvector(&gram, t, Some((first_value, &first)));

    let mut axes = [Vec::new(), Vec::new()];
    for (k, e) in [&first, &second].into_iter().enumerate() {
        let mut axis = vec![0.0f64; p];
        for (weight, row) in e.iter().zip(&centred) {
            for (a, v) in axis.iter_mut().zip(row) {
                *a += weight * v;
            }
        }
        let norm = axis.iter().map(|a| a * a).sum::<f64>().sqrt();
        if norm > 0.0 {
            for a in &mut axis {
                *a /= norm;
            }
        }

        // The checkpoint farthest along the axis is on its positive side.
        let farthest = offsets
            .iter()
            .map(|row| row.iter().zip(&axis).map(|(v, a)| v * a).sum::<f64>())
            .fold(
                0.0f64,
                |best, c| if c.abs() > best.abs() { c } else { best },
            );
        let sign = if farthest < 0.0 { -1.0 } else { 1.0 };
        axes[k] = axis.iter().map(|a| (sign * a) as f32).collect();
    }
    Ok(PathPca {
        axes,
        explained_variance: [first_value.max(0.0) / total, second_value.max(0.0) / total],
    })
}

/// Top eigenpair of a symmetric positive semi-definite `n × n` matrix by the power method,
/// with an already found pair deflated away.
fn top_eigenvector(matrix: &[f64], n: usize, deflate: Option<(f64, &[f64])>) -> (f64, Vec<f64>) {
    let times = |v: &[f64]| -> Vec<f64> {
        let mut out: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| matrix[i * n + j] * v[j]).sum())
            .collect();
        if let Some((value, vector)) = deflate {
            let projection: f64 = vector.iter().zip(v).map(|(a, b)| a * b).sum();
            for (o, e) in out.iter_mut().zip(vector) {
                *o -= value * projection * e;
            }
        }
        out
    };
    // A deterministic, non-degenerate start.
    let mut v: Vec<f64> = (0..n).map(|i| 1.0 + (i as f64 * 0.618).fract()).collect();
    let mut value = 0.0;
    for _ in 0..ITERATIONS {
        let next = times(&v);
        let norm = next.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm == 0.0 {
            return (0.0, v);
        }
        value = v.iter().zip(&next).map(|(a, b)| a * b).sum::<f64>()
            / v.iter().map(|a| a * a).sum::<f64>();
        v = next.iter().map(|x| x / norm).collect();
    }
    (value, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A straight-line path: every point lies on the first axis, which explains all the
    /// variance; the axes are orthonormal and the start is on the positive side.
    #[test]
    fn straight_line_path_lies_on_the_first_axis() {
        let direction = [0.6f32, 0.0, -0.8, 0.0];
        let final_weights = [1.0f32, 2.0, 3.0, 4.0];
        let points: Vec<Vec<f32>> = (0..=10)
            .map(|k| {
                let s = (10 - k) as f32 * 0.3;
                final_weights
                    .iter()
                    .zip(&direction)
                    .map(|(w, d)| w + s * d)
                    .collect()
            })
            .collect();
        let refs: Vec<&[f32]> = points.iter().map(|p| p.as_slice()).collect();
        let pca = path_pca(&refs, &final_weights).unwrap();
        assert!(
            (pca.explained_variance[0] - 1.0).abs() < 1e-9,
            "{:?}",
            pca.explained_variance
        );
        let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
        assert!((dot(&pca.axes[0], &pca.axes[0]) - 1.0).abs() < 1e-6);
        assert!(
            (dot(&pca.axes[0], &direction) - 1.0).abs() < 1e-6,
            "{:?}",
            pca.axes[0]
        );
    }

    #[test]
    fn curved_path_axes_are_orthonormal() {
        let final_weights = [0.0f32; 3];
        let points: Vec<Vec<f32>> = (0..20)
            .map(|k| {
                let t = k as f32 * 0.2;
                vec![t.cos() * 2.0, t.sin(), 0.1 * t]
            })
            .collect();
        let refs: Vec<&[f32]> = points.iter().map(|p| p.as_slice()).collect();
        let pca = path_pca(&refs, &final_weights).unwrap();
        let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
        assert!((dot(&pca.axes[0], &pca.axes[0]) - 1.0).abs() < 1e-5);
        assert!((dot(&pca.axes[1], &pca.axes[1]) - 1.0).abs() < 1e-5);
        assert!(dot(&pca.axes[0], &pca.axes[1]).abs() < 1e-5);
        let ratios = pca.explained_variance;
        assert!(ratios[0] >= ratios[1] && ratios[0] + ratios[1] <= 1.0 + 1e-9);
    }

    #[test]
    fn too_few_points_is_an_error() {
        let w = [0.0f32; 2];
        let err = path_pca(&[&w, &w], &w).unwrap_err();
        assert!(err.to_string().contains("at least 3 checkpoints"), "{err}");
    }
}
