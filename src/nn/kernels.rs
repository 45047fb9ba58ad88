//! The inner loops every layer runs, written so the compiler can vectorize them.
//!
//! A plain `iter().sum()` of products is a sequential chain of f32 additions, which the
//! compiler must not reorder, so it stays scalar. [`dot`] keeps `LANES` independent partial
//! sums instead (a fixed reassociation: the result is deterministic, but differs from the
//! sequential sum in the last bits), which maps onto SIMD registers (SSE/AVX natively,
//! simd128 in the browser). [`axpy`] has no reduction and vectorizes as written.

/// Partial sums kept by [`dot`].
pub const LANES: usize = 16;

/// `Σ a_i·b_i` over the common length.
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a_chunks, a_tail) = a[..n].as_chunks::<LANES>();
    let (b_chunks, b_tail) = b[..n].as_chunks::<LANES>();
    let mut partial = [0.0f32; LANES];
    for (x, y) in a_chunks.iter().zip(b_chunks) {
        for k in 0..LANES {
            partial[k] += x[k] * y[k];
        }
    }
    let mut tail = 0.0f32;
    for (x, y) in a_tail.iter().zip(b_tail) {
        tail += x * y;
    }
    // Pairwise folding of the lanes.
    let mut width = LANES / 2;
    while width > 0 {
        for k in 0..width {
            partial[k] += partial[k + width];
        }
        width /= 2;
    }
    partial[0] + tail
}

/// `y ← y + alpha·x` over the common length.
#[inline]
pub fn axpy(alpha: f32, x: &[f32], y: &mut [f32]) {
    for (y_i, &x_i) in y.iter_mut().zip(x) {
        *y_i += alpha * x_i;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_matches_a_sequential_sum_in_f64() {
        for n in [0, 1, 7, 16, 17, 64, 100, 1000] {
            let a: Vec<f32> = (0..n).map(|i| ((i * 7) % 13) as f32 * 0.25 - 1.0).collect();
            let b: Vec<f32> = (0..n).map(|i| ((i * 5) % 11) as f32 * 0.5 - 2.0).collect();
            let exact: f64 = a
                .iter()
                .zip(&b)
                .map(|(x, y)| f64::from(*x) * f64::from(*y))
                .sum();
            assert!(
                (f64::from(dot(&a, &b)) - exact).abs() < 1e-4 * (1.0 + exact.abs()),
                "{n}"
            );
        }
    }

    #[test]
    fn axpy_adds_the_scaled_vector() {
        let mut y = vec![1.0, 2.0, 3.0];
        axpy(2.0, &[1.0, 0.5, -1.0], &mut y);
        assert_eq!(y, vec![3.0, 3.0, 1.0]);
    }
}
