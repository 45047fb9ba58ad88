//! Element-wise non-linearities. The derivative is taken from the pre-activation `z`;
//! ReLU's derivative at exactly 0 is 0, as in PyTorch. GELU is PyTorch's default exact
//! form `z·Φ(z)`, Φ(z) = (1 + erf(z/√2))/2, with derivative `Φ(z) + z·φ(z)`.

use crate::config::Activation;

impl Activation {
    /// σ(z).
    pub fn apply(self, z: f32) -> f32 {
        match self {
            Activation::Relu => {
                if z < 0.0 {
                    0.0
                } else {
                    z
                }
            }
            Activation::Tanh => z.tanh(),
            Activation::Sigmoid => sigmoid(z),
            Activation::Gelu => z * normal_cdf(z),
            Activation::Linear => z,
        }
    }

    /// σ'(z).
    pub fn derivative(self, z: f32) -> f32 {
        match self {
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Tanh => {
                let t = z.tanh();
                1.0 - t * t
            }
            Activation::Sigmoid => {
                let s = sigmoid(z);
                s * (1.0 - s)
            }
            Activation::Gelu => {
                let density = (-0.5 * z * z).exp() / (2.0 * std::f32::consts::PI).sqrt();
                normal_cdf(z) + z * density
            }
            Activation::Linear => 1.0,
        }
    }
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

impl Activation {
    /// `out_i = σ(z_i)`, with the choice of σ made once, outside the loop.
    pub fn apply_slice(self, z: &[f32], out: &mut [f32]) {
        let pairs = out.iter_mut().zip(z);
        match self {
            // Written as a select so it vectorizes; NaN stays NaN, as in PyTorch.
            Activation::Relu => pairs.for_each(|(a, &v)| *a = if v < 0.0 { 0.0 } else { v }),
            Activation::Linear => pairs.for_each(|(a, &v)| *a = v),
            other => pairs.for_each(|(a, &v)| *a = other.apply(v)),
        }
    }

    /// `z_i ← σ(z_i)`.
    pub fn apply_in_place(self, z: &mut [f32]) {
        match self {
            Activation::Relu => z
                .iter_mut()
                .for_each(|v| *v = if *v < 0.0 { 0.0 } else { *v }),
            Activation::Linear => {}
            other => z.iter_mut().for_each(|v| *v = other.apply(*v)),
        }
    }

    /// `g_i ← g_i · σ'(z_i)`, with the choice of σ made once, outside the loop.
    pub fn scale_by_derivative(self, z: &[f32], gradient: &mut [f32]) {
        let pairs = gradient.iter_mut().zip(z);
        match self {
            Activation::Relu => pairs.for_each(|(g, &v)| {
                if v <= 0.0 {
                    *g = 0.0
                }
            }),
            Activation::Linear => {}
            other => pairs.for_each(|(g, &v)| *g *= other.derivative(v)),
        }
    }

    /// σ(z), σ'(z) and σ''(z) in f64, for exact curvature (Hessian-vector products).
    pub fn derivatives_f64(self, z: f64) -> (f64, f64, f64) {
        match self {
            Activation::Relu => {
                if z > 0.0 {
                    (z, 1.0, 0.0)
                } else {
                    (0.0, 0.0, 0.0)
                }
            }
            Activation::Tanh => {
                let t = z.tanh();
                (t, 1.0 - t * t, -2.0 * t * (1.0 - t * t))
            }
            Activation::Sigmoid => {
                let s = 1.0 / (1.0 + (-z).exp());
                (s, s * (1.0 - s), s * (1.0 - s) * (1.0 - 2.0 * s))
            }
            Activation::Gelu => {
                let cdf = 0.5 * (1.0 + libm::erf(z / std::f64::consts::SQRT_2));
                let density = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
                (z * cdf, cdf + z * density, density * (2.0 - z * z))
            }
            Activation::Linear => (z, 1.0, 0.0),
        }
    }
}

fn normal_cdf(z: f32) -> f32 {
    0.5 * (1.0 + libm::erff(z / std::f32::consts::SQRT_2))
}
