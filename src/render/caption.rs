//! Names for what a figure shows, shared by the CLI's figures and the page's titles.
//!
//! A map's plane is named so a reader knows how to read its axes: a random plane says
//! how its directions were scaled (Li et al. 2018 §4: filter normalization makes one unit
//! along α a change as large as the weights themselves), a PCA plane says how much of the
//! path's variance each axis explains (Li et al. §7).

use crate::config::{Normalization, Plane};
use crate::landscape::PlaneInfo;

/// A short name of the plane, e.g. "PCA plane (explained 81 %, 12 %)" or "random plane,
/// filter-normalized".
pub fn plane_label(plane: &PlaneInfo, normalization: Normalization) -> String {
    match plane.plane {
        Plane::Random => {
            let scaled = match normalization {
                Normalization::Filter => "filter-normalized",
                Normalization::Layer => "layer-normalized",
                Normalization::Model => "model-normalized",
                Normalization::None => "unnormalized",
            };
            format!("random plane, {scaled}")
        }
        Plane::Pca => match plane.explained_variance {
            Some([first, second]) if first.is_finite() && second.is_finite() => format!(
                "PCA plane (explained {} %, {} %)",
                percent(first),
                percent(second)
            ),
            _ => "PCA plane of the path".to_string(),
        },
        Plane::Parameters => "plane of the two parameters".to_string(),
    }
}

/// A fraction in whole percent, with one decimal below 10 % so small shares do not
/// read as zero.
pub fn percent(fraction: f64) -> String {
    let value = 100.0 * fraction;
    if value.abs() < 9.95 && value != 0.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(plane: Plane, explained: Option<[f64; 2]>) -> PlaneInfo {
        PlaneInfo {
            plane,
            cosine: 0.0,
            explained_variance: explained,
            half_width: 1.0,
        }
    }

    #[test]
    fn planes_are_named_with_their_facts() {
        let pca = info(Plane::Pca, Some([0.812, 0.118]));
        assert_eq!(
            plane_label(&pca, Normalization::Filter),
            "PCA plane (explained 81 %, 12 %)",
            "percent rounded to whole numbers"
        );
        let random = info(Plane::Random, None);
        assert_eq!(
            plane_label(&random, Normalization::Filter),
            "random plane, filter-normalized"
        );
        let small = info(Plane::Pca, Some([0.97, 0.021]));
        assert_eq!(
            plane_label(&small, Normalization::Filter),
            "PCA plane (explained 97 %, 2.1 %)",
            "a share under 10 % keeps a decimal"
        );
    }
}
