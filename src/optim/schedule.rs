//! Learning rate as a function of the optimizer-update index k = 0..N−1, with PyTorch's
//! documented closed forms. The LR recorded for update k is the one update k used; past
//! the end (k ≥ N) the rate holds its value at k = N−1.
//!
//! - `LinearLR(start_factor, end_factor=1, total_iters=W)`:
//!   `lr_k = base · (s + (1 − s)·min(k, W)/W)`.
//! - `CosineAnnealingLR(T_max, eta_min)`:
//!   `lr_k = eta_min + (base − eta_min)·(1 + cos(π·k/T_max))/2`.
//! - `SequentialLR([LinearLR, Cosine], milestones=[W])`: the warmup for k < W, then the
//!   cosine at k − W with `T_max = N − W`; a zero-length warmup starts at the base rate.
//! - `StepLR(step_size, gamma)`: `base · gamma^floor(k/step_size)`;
//!   `ExponentialLR(gamma)`: `base · gamma^k`.

use crate::config::ScheduleConfig;

/// A schedule bound to a base rate and a total number of updates.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    config: ScheduleConfig,
    base_lr: f64,
    total_updates: usize,
}

impl Schedule {
    pub fn new(config: &ScheduleConfig, base_lr: f64, total_updates: usize) -> Self {
        Schedule {
            config: config.clone(),
            base_lr,
            total_updates,
        }
    }

    /// Number of warmup updates, `floor(N · warmup_fraction)` (0 for other schedules).
    pub fn warmup_updates(&self) -> usize {
        match self.config {
            ScheduleConfig::WarmupCosine {
                warmup_fraction, ..
            } => (self.total_updates as f64 * warmup_fraction).floor() as usize,
            _ => 0,
        }
    }

    /// The learning rate of update `k`.
    pub fn lr(&self, k: usize) -> f64 {
        let k = k.min(self.total_updates.saturating_sub(1));
        let base = self.base_lr;
        match self.config {
            ScheduleConfig::Constant => base,
            ScheduleConfig::WarmupCosine {
                start_factor,
                eta_min,
                ..
            } => {
                let warmup = self.warmup_updates();
                if k < warmup {
                    base * (start_factor + (1.0 - start_factor) * k as f64 / warmup as f64)
                } else {
                    let t_max = (self.total_updates - warmup).max(1) as f64;
                    let t = (k - warmup) as f64;
                    eta_min
                        + (base - eta_min) * (1.0 + (std::f64::consts::PI * t / t_max).cos()) / 2.0
                }
            }
            ScheduleConfig::Step { step_size, gamma } => {
                base * gamma.powi((k / step_size.max(1)) as i32)
            }
            ScheduleConfig::Exponential { gamma } => base * gamma.powi(k as i32),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 + 1e-9 * b.abs()
    }

    /// The reference run: N = 300 updates (3 per epoch × 100), W = 30. Golden values from
    /// bench/golden/schedules.py, which steps PyTorch's recursive
    /// SequentialLR(LinearLR(0.01, 30), CosineAnnealingLR(270, 1e-6)) update rules 300 times.
    #[test]
    fn reference_warmup_cosine() {
        let schedule = Schedule::new(&ScheduleConfig::default(), 1e-3, 300);
        assert_eq!(schedule.warmup_updates(), 30);
        assert!(
            close(schedule.lr(0), 1e-5),
            "update 0 runs at start_factor · base"
        );
        assert!(close(schedule.lr(15), 1e-3 * (0.01 + 0.99 * 0.5)));
        assert!(
            close(schedule.lr(30), 1e-3),
            "cosine starts at the base rate"
        );
        assert!(
            close(schedule.lr(165), 1e-6 + (1e-3 - 1e-6) * 0.5),
            "half-way down"
        );
        // The script's recursive PyTorch stepping prints 1.03381215212e-06 for update 299.
        assert!((schedule.lr(299) - 1.03381215212e-6).abs() < 1e-17);
        assert_eq!(schedule.lr(1000), schedule.lr(299), "holds its final value");
    }

    /// The source material's bug: counting micro-batches (12 per epoch) instead of updates
    /// (3) would make the warmup 120 updates long. Counting updates, warmup ends at 30.
    #[test]
    fn warmup_counts_updates_not_micro_batches() {
        let schedule = Schedule::new(&ScheduleConfig::default(), 1e-3, 300);
        assert!(schedule.lr(29) < 1e-3 && close(schedule.lr(30), 1e-3));
    }

    #[test]
    fn zero_warmup_starts_at_base() {
        let config = ScheduleConfig::WarmupCosine {
            warmup_fraction: 0.0,
            start_factor: 0.01,
            eta_min: 0.0,
        };
        let schedule = Schedule::new(&config, 0.1, 10);
        assert!(close(schedule.lr(0), 0.1));
        assert!(close(schedule.lr(5), 0.05));
    }

    #[test]
    fn step_and_exponential() {
        let step = Schedule::new(
            &ScheduleConfig::Step {
                step_size: 3,
                gamma: 0.5,
            },
            1.0,
            10,
        );
        let lrs: Vec<f64> = (0..7).map(|k| step.lr(k)).collect();
        assert_eq!(lrs, [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]);
        let exp = Schedule::new(&ScheduleConfig::Exponential { gamma: 0.9 }, 1.0, 10);
        assert!(close(exp.lr(2), 0.81));
    }
}
