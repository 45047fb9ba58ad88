//! Coordinates of a weight vector in the plane spanned by two directions through a
//! centre: the least-squares solution of `θ − centre ≈ a·d1 + b·d2`, from the 2 × 2
//! normal equations `G·[a, b]ᵀ = [d1·v, d2·v]ᵀ` with `G = [[d1·d1, d1·d2], [d1·d2, d2·d2]]`,
//! in f64. Movement outside the plane (including bias movement when bias directions are
//! zero) is not shown by these coordinates.

/// The Gram matrix `[g11, g12, g22]`, or `None` when the directions are (nearly)
/// parallel or zero.
pub fn gram(directions: &[Vec<f32>; 2]) -> Option<[f64; 3]> {
    let [d1, d2] = directions;
    let g11 = dot(d1, d1);
    let g12 = dot(d1, d2);
    let g22 = dot(d2, d2);
    let determinant = g11 * g22 - g12 * g12;
    (determinant > 1e-12 * (g11 * g22).max(f64::MIN_POSITIVE) && g11 > 0.0 && g22 > 0.0)
        .then_some([g11, g12, g22])
}

fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| f64::from(x) * f64::from(y))
        .sum()
}

/// The cosine of the angle between two vectors (0 if either is zero).
pub fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let norms = (dot(a, a) * dot(b, b)).sqrt();
    if norms > 0.0 {
        dot(a, b) / norms
    } else {
        0.0
    }
}

/// A least-squares fit of `θ − centre` in the plane.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fit {
    pub alpha: f64,
    pub beta: f64,
    /// ‖P(θ − centre)‖², the squared length of the projection.
    pub in_plane_squared: f64,
    /// ‖θ − centre‖².
    pub offset_squared: f64,
}

impl Fit {
    /// Distance from θ to the plane.
    pub fn off_plane(&self) -> f64 {
        (self.offset_squared - self.in_plane_squared)
            .max(0.0)
            .sqrt()
    }
}

/// Fits `params` in the plane through `center`; `None` for degenerate directions.
pub fn fit(params: &[f32], center: &[f32], directions: &[Vec<f32>; 2]) -> Option<Fit> {
    let [g11, g12, g22] = gram(directions)?;
    let (mut r1, mut r2, mut offset_squared) = (0.0, 0.0, 0.0);
    for ((&p, &c), (&d1, &d2)) in params
        .iter()
        .zip(center)
        .zip(directions[0].iter().zip(&directions[1]))
    {
        let v = f64::from(p) - f64::from(c);
        r1 += f64::from(d1) * v;
        r2 += f64::from(d2) * v;
        offset_squared += v * v;
    }
    let determinant = g11 * g22 - g12 * g12;
    let alpha = (g22 * r1 - g12 * r2) / determinant;
    let beta = (g11 * r2 - g12 * r1) / determinant;
    Some(Fit {
        alpha,
        beta,
        // For the least-squares solution ‖P v‖² = [α β]·Dᵀv.
        in_plane_squared: alpha * r1 + beta * r2,
        offset_squared,
    })
}

/// (α, β) of `params` in the plane through `center`; `None` for degenerate directions.
pub fn project(params: &[f32], center: &[f32], directions: &[Vec<f32>; 2]) -> Option<(f64, f64)> {
    fit(params, center, directions).map(|f| (f.alpha, f.beta))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_coordinates_of_points_in_the_plane() {
        let directions = [vec![1.0, 1.0, 0.0], vec![0.0, 1.0, 2.0]];
        let center = [0.5, -0.5, 1.0];
        let point: Vec<f32> = (0..3)
            .map(|k| center[k] + 0.3 * directions[0][k] - 1.5 * directions[1][k])
            .collect();
        let (a, b) = project(&point, &center, &directions).unwrap();
        assert!(
            (a - 0.3).abs() < 1e-6 && (b + 1.5).abs() < 1e-6,
            "({a}, {b})"
        );
    }

    #[test]
    fn off_plane_distance_is_the_orthogonal_part() {
        let directions = [vec![1.0, 0.0, 0.0], vec![0.0, 1.0, 0.0]];
        let fit = fit(&[2.0, -1.0, 3.0], &[0.0, 0.0, 1.0], &directions).unwrap();
        assert!((fit.alpha - 2.0).abs() < 1e-12 && (fit.beta + 1.0).abs() < 1e-12);
        assert!((fit.off_plane() - 2.0).abs() < 1e-12, "{fit:?}");
        assert!((fit.in_plane_squared - 5.0).abs() < 1e-12);
        assert!((cosine(&[1.0, 1.0], &[1.0, 0.0]) - 0.5f64.sqrt()).abs() < 1e-7);
    }

    #[test]
    fn parallel_directions_are_rejected() {
        assert!(gram(&[vec![1.0, 2.0], vec![2.0, 4.0]]).is_none());
        assert!(gram(&[vec![0.0, 0.0], vec![1.0, 0.0]]).is_none());
    }
}
