//! Small seeded 2-D (and 1-D) sets for seeing decision boundaries form. Every point gets
//! Gaussian noise of standard deviation `noise` on each coordinate (on the target for
//! `sine`). Classes are balanced: sample i belongs to class `i mod K` in generation order
//! (the split shuffles them).

use std::f64::consts::PI;

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use super::Dataset;
use crate::config::DataSource;

/// Generates `samples` points of `source` with the given noise and generator.
pub fn generate(source: DataSource, samples: usize, noise: f64, rng: &mut ChaCha8Rng) -> Dataset {
    let mut features = Vec::with_capacity(samples * 2);
    let mut targets = Vec::with_capacity(samples);
    let gauss = |rng: &mut ChaCha8Rng| -> f64 {
        let z: f64 = StandardNormal.sample(rng);
        noise * z
    };

    if source == DataSource::Sine {
        for _ in 0..samples {
            let x = rng.random_range(-3.0..=3.0f64);
            features.push(x as f32);
            targets.push((x.sin() + gauss(rng)) as f32);
        }
        return table(features, targets, 1, &["x"]);
    }

    for i in 0..samples {
        let (point, label) = match source {
            DataSource::Moons => {
                // Upper half circle at the origin; lower one shifted right and down.
                let class = i % 2;
                let t = PI * rng.random::<f64>();
                let point = if class == 0 {
                    (t.cos(), t.sin())
                } else {
                    (1.0 - t.cos(), 0.5 - t.sin())
                };
                (point, class)
            }
            DataSource::Circles => {
                let class = i % 2;
                let radius = if class == 0 { 1.0 } else { 0.5 };
                let t = 2.0 * PI * rng.random::<f64>();
                ((radius * t.cos(), radius * t.sin()), class)
            }
            DataSource::Spirals => {
                // Two arms, half a turn apart, each winding 1.5 turns outward.
                let class = i % 2;
                let r = rng.random::<f64>();
                let angle = 3.0 * PI * r + PI * class as f64;
                ((r * angle.cos(), r * angle.sin()), class)
            }
            DataSource::Xor => {
                let x = rng.random_range(-1.0..=1.0f64);
                let y = rng.random_range(-1.0..=1.0f64);
                ((x, y), usize::from(x * y < 0.0))
            }
            _ => {
                // Gaussians: three blob centres on a circle of radius 1.
                let class = i % 3;
                let angle = 2.0 * PI * class as f64 / 3.0 + PI / 2.0;
                ((angle.cos(), angle.sin()), class)
            }
        };
        features.push((point.0 + gauss(rng)) as f32);
        features.push((point.1 + gauss(rng)) as f32);
        targets.push(label as f32);
    }
    table(features, targets, 2, &["x1", "x2"])
}

fn table(features: Vec<f32>, targets: Vec<f32>, n_features: usize, names: &[&str]) -> Dataset {
    Dataset {
        features,
        targets,
        n_features,
        n_outputs: 1,
        feature_names: names.iter().map(|n| n.to_string()).collect(),
        target_names: vec!["target".into()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeding::{rng, Stream};

    #[test]
    fn shapes_classes_and_seeding() {
        for (source, classes) in [
            (DataSource::Moons, 2),
            (DataSource::Circles, 2),
            (DataSource::Spirals, 2),
            (DataSource::Xor, 2),
            (DataSource::Gaussians, 3),
        ] {
            let data = generate(source, 120, 0.1, &mut rng(1, Stream::Split));
            assert_eq!((data.len(), data.n_features), (120, 2), "{source:?}");
            let mut counts = vec![0; classes];
            for &y in &data.targets {
                counts[y as usize] += 1;
            }
            assert!(
                counts.iter().all(|&c| c >= 20),
                "{source:?} classes {counts:?}"
            );
            let again = generate(source, 120, 0.1, &mut rng(1, Stream::Split));
            assert_eq!(data, again, "{source:?} is seeded");
        }
        let sine = generate(DataSource::Sine, 50, 0.0, &mut rng(1, Stream::Split));
        for i in 0..50 {
            let x = f64::from(sine.features[i]);
            assert!((f64::from(sine.targets[i]) - x.sin()).abs() < 1e-6);
        }
    }

    #[test]
    fn circles_without_noise_lie_on_their_radius() {
        let data = generate(DataSource::Circles, 40, 0.0, &mut rng(2, Stream::Split));
        for i in 0..40 {
            let row = data.feature_row(i);
            let radius = (row[0] * row[0] + row[1] * row[1]).sqrt();
            let expected = if data.targets[i] == 0.0 { 1.0 } else { 0.5 };
            assert!((radius - expected).abs() < 1e-5);
        }
    }
}
