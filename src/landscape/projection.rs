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

/// (a, b) of `params` in the plane through `center`; `None` for degenerate directions.
pub fn project(params: &[f32], center: &[f32], directions: &[Vec<f32>; 2]) -> Option<(f64, f64)> {
    let [g11, g12, g22] = gram(directions)?;
    let (mut r1, mut r2) = (0.0, 0.0);
    for ((&p, &c), (&d1, &d2)) in params
        .iter()
        .zip(center)
        .zip(directions[0].iter().zip(&directions[1]))
    {
        let v = f64::from(p) - f64::from(c);
        r1 += f64::from(d1) * v;
        r2 += f64::from(d2) * v;
    }
    let determinant = g11 * g22 - g12 * g12;
    Some((
        (g22 * r1 - g12 * r2) / determinant,
        (g11 * r2 - g12 * r1) / determinant,
    ))
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
    fn parallel_directions_are_rejected() {
        assert!(gram(&[vec![1.0, 2.0], vec![2.0, 4.0]]).is_none());
        assert!(gram(&[vec![0.0, 0.0], vec![1.0, 0.0]]).is_none());
    }
}
