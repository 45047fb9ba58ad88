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
//! - `OneCycleLR` (two phases): phase 1 ends at step `pct_start·N − 1` and goes from
//!   `max_lr/div_factor` to `max_lr`; phase 2 ends at `N − 1` and goes down to
//!   `max_lr/(div_factor·final_div_factor)`. Within a phase `pct = (k − start)/(end −
//!   start)` and the rate is `end + (start − end)(1 + cos(π·pct))/2` (cos) or
//!   `start + (end − start)·pct` (linear). Momentum (or Adam's beta1) runs the opposite
//!   way between `max_momentum` and `base_momentum`.

use crate::config::{Anneal, ScheduleConfig};

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

    /// Number of warmup updates: `warmup_updates`, else `floor(N · warmup_fraction)`, at
    /// most N (0 for other schedules).
    pub fn warmup_updates(&self) -> usize {
        match self.config {
            ScheduleConfig::WarmupCosine {
                warmup_fraction,
                warmup_updates,
                ..
            } => warmup_updates
                .unwrap_or((self.total_updates as f64 * warmup_fraction).floor() as usize)
                .min(self.total_updates),
            _ => 0,
        }
    }

    /// N, the number of updates the schedule spans.
    pub fn total_updates(&self) -> usize {
        self.total_updates
    }

    /// The learning rate of every update, k = 0..N−1.
    pub fn curve(&self) -> Vec<f64> {
        (0..self.total_updates).map(|k| self.lr(k)).collect()
    }

    /// The momentum (SGD) or beta1 (Adam) update `k` uses when the schedule cycles it;
    /// `None` leaves the optimizer's own.
    pub fn momentum(&self, k: usize) -> Option<f64> {
        match self.config {
            ScheduleConfig::OneCycle {
                cycle_momentum: true,
                base_momentum,
                max_momentum,
                anneal,
                pct_start,
                ..
            } => {
                let (phase, pct) = self.one_cycle_phase(k, pct_start);
                let (start, end) = if phase == 0 {
                    (max_momentum, base_momentum)
                } else {
                    (base_momentum, max_momentum)
                };
                Some(interpolate(anneal, start, end, pct))
            }
            _ => None,
        }
    }

    /// OneCycleLR's phase (0 or 1) of update `k` and the fraction done within it.
    fn one_cycle_phase(&self, k: usize, pct_start: f64) -> (usize, f64) {
        let k = k.min(self.total_updates.saturating_sub(1)) as f64;
        let first_end = pct_start * self.total_updates as f64 - 1.0;
        let last_end = self.total_updates as f64 - 1.0;
        let (phase, start, end) = if k <= first_end {
            (0, 0.0, first_end)
        } else {
            (1, first_end, last_end)
        };
        // A zero-length phase (PyTorch divides by zero there) counts as not started.
        let pct = if end > start {
            (k - start) / (end - start)
        } else {
            0.0
        };
        (phase, pct)
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
            ScheduleConfig::OneCycle {
                max_lr,
                pct_start,
                div_factor,
                final_div_factor,
                anneal,
                ..
            } => {
                let max_lr = max_lr.unwrap_or(base);
                let initial = max_lr / div_factor;
                let minimum = initial / final_div_factor;
                let (phase, pct) = self.one_cycle_phase(k, pct_start);
                let (start, end) = if phase == 0 {
                    (initial, max_lr)
                } else {
                    (max_lr, minimum)
                };
                interpolate(anneal, start, end, pct)
            }
        }
    }
}

fn interpolate(anneal: Anneal, start: f64, end: f64, pct: f64) -> f64 {
    match anneal {
        Anneal::Cos => end + (start - end) / 2.0 * ((std::f64::consts::PI * pct).cos() + 1.0),
        Anneal::Linear => (end - start) * pct + start,
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
            warmup_updates: None,
            start_factor: 0.01,
            eta_min: 0.0,
        };
        let schedule = Schedule::new(&config, 0.1, 10);
        assert!(close(schedule.lr(0), 0.1));
        assert!(close(schedule.lr(5), 0.05));
    }

    /// PyTorch's recursive LinearLR and CosineAnnealingLR update rules, chained as
    /// SequentialLR chains them, computed here independently of `Schedule::lr` (the same
    /// rules as bench/golden/schedules.py): N = 250, W = 25, 1e-3 → 1e-6.
    fn pytorch_recursive_warmup_cosine(
        n: usize,
        w: usize,
        base: f64,
        start: f64,
        eta_min: f64,
    ) -> Vec<f64> {
        let t_max = (n - w) as f64;
        let mut lrs = Vec::with_capacity(n);
        let mut lr = base * start;
        for k in 0..n {
            lrs.push(lr);
            let e = k + 1;
            if e < w {
                lr *= 1.0 + (1.0 - start) / (w as f64 * start + (e as f64 - 1.0) * (1.0 - start));
            } else if e == w {
                lr = base;
            } else {
                let c = (e - w) as f64;
                let pi = std::f64::consts::PI;
                lr = (1.0 + (pi * c / t_max).cos()) / (1.0 + (pi * (c - 1.0) / t_max).cos())
                    * (lr - eta_min)
                    + eta_min;
            }
        }
        lrs
    }

    #[test]
    fn warmup_cosine_matches_pytorch_at_every_update() {
        let schedule = Schedule::new(&ScheduleConfig::default(), 1e-3, 250);
        assert_eq!(schedule.warmup_updates(), 25);
        let reference = pytorch_recursive_warmup_cosine(250, 25, 1e-3, 0.01, 1e-6);
        let curve = schedule.curve();
        assert_eq!(curve.len(), 250);
        for (k, (ours, theirs)) in curve.iter().zip(&reference).enumerate() {
            assert!(
                (ours - theirs).abs() <= 1e-12 * theirs,
                "update {k}: {ours} vs {theirs}"
            );
        }
    }

    /// torch.optim.lr_scheduler.OneCycleLR(max_lr=0.1, total_steps=10) defaults
    /// (pct_start 0.3, div 25, final_div 1e4, cos), by hand from the formulas in the module
    /// docs: phase 1 ends at step 2 (0.004 → 0.1), phase 2 at step 9 (0.1 → 4e-7).
    #[test]
    fn one_cycle_matches_the_pytorch_formulas() {
        let config = ScheduleConfig::OneCycle {
            max_lr: Some(0.1),
            pct_start: 0.3,
            div_factor: 25.0,
            final_div_factor: 1e4,
            anneal: Anneal::Cos,
            cycle_momentum: true,
            base_momentum: 0.85,
            max_momentum: 0.95,
        };
        let schedule = Schedule::new(&config, 0.5, 10);
        assert!(close(schedule.lr(0), 0.004));
        assert!(close(
            schedule.lr(1),
            0.1 + (0.004 - 0.1) / 2.0 * ((std::f64::consts::PI * 0.5).cos() + 1.0)
        ));
        assert!(close(schedule.lr(2), 0.1), "the peak ends phase 1");
        assert!(
            close(schedule.lr(9), 4e-7),
            "phase 2 ends at max_lr / 25 / 1e4"
        );
        assert!(close(schedule.momentum(0).unwrap(), 0.95));
        assert!(close(schedule.momentum(2).unwrap(), 0.85));
        assert!(close(schedule.momentum(9).unwrap(), 0.95));
    }

    /// Every schedule has exactly N points and never rises after the end.
    #[test]
    fn every_schedule_has_n_points_and_holds_after_the_end() {
        let schedules = [
            ScheduleConfig::Constant,
            ScheduleConfig::default(),
            ScheduleConfig::Step {
                step_size: 7,
                gamma: 0.5,
            },
            ScheduleConfig::Exponential { gamma: 0.97 },
            ScheduleConfig::OneCycle {
                max_lr: None,
                pct_start: 0.25,
                div_factor: 25.0,
                final_div_factor: 1e4,
                anneal: Anneal::Linear,
                cycle_momentum: false,
                base_momentum: 0.85,
                max_momentum: 0.95,
            },
        ];
        for config in schedules {
            let schedule = Schedule::new(&config, 0.1, 37);
            let curve = schedule.curve();
            assert_eq!(curve.len(), 37, "{config:?}");
            let last = curve[36];
            for k in 37..100 {
                assert!(
                    schedule.lr(k) <= last,
                    "{config:?} rises after the end at {k}"
                );
            }
        }
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
