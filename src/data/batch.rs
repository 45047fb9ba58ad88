//! Counting and cutting one epoch the way PyTorch does.
//!
//! `micro_batches_per_epoch = ceil(n / batch_size)` (floor with `drop_last`);
//! `updates_per_epoch = ceil(micro_batches / accumulation_steps)`: the leftover window at
//! the end of an epoch is still an update, weighted by its real size. Schedules count
//! updates, never micro-batches.

use crate::error::{Error, Result};

/// How one epoch divides into micro-batches and optimizer updates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchPlan {
    pub n_samples: usize,
    pub batch_size: usize,
    pub accumulation_steps: usize,
    pub drop_last: bool,
}

impl BatchPlan {
    pub fn new(
        n_samples: usize,
        batch_size: usize,
        accumulation_steps: usize,
        drop_last: bool,
    ) -> Result<Self> {
        let plan = BatchPlan {
            n_samples,
            batch_size,
            accumulation_steps,
            drop_last,
        };
        if batch_size == 0 || accumulation_steps == 0 {
            return Err(Error::config(
                "batch_size",
                "and accumulation_steps must be at least 1",
            ));
        }
        if plan.micro_batches_per_epoch() == 0 {
            return Err(Error::config(
                "batch_size",
                format!(
                    "{batch_size} with drop_last leaves no batch from {n_samples} training samples"
                ),
            ));
        }
        Ok(plan)
    }

    /// Micro-batches per epoch (`len(train_loader)`).
    pub fn micro_batches_per_epoch(&self) -> usize {
        if self.drop_last {
            self.n_samples / self.batch_size
        } else {
            self.n_samples.div_ceil(self.batch_size)
        }
    }

    /// Optimizer updates per epoch, the leftover window included.
    pub fn updates_per_epoch(&self) -> usize {
        self.micro_batches_per_epoch()
            .div_ceil(self.accumulation_steps)
    }

    /// Samples per full update: `batch_size × accumulation_steps`.
    pub fn effective_batch_size(&self) -> usize {
        self.batch_size * self.accumulation_steps
    }

    /// Samples an epoch actually uses (fewer than `n_samples` with `drop_last`).
    pub fn samples_per_epoch(&self) -> usize {
        (self.micro_batches_per_epoch() * self.batch_size).min(self.n_samples)
    }

    /// Micro-batches of update `window` (0-based within the epoch) as position ranges into
    /// the epoch's sample order.
    pub fn window(&self, window: usize) -> Vec<std::ops::Range<usize>> {
        let first = window * self.accumulation_steps;
        let last = (first + self.accumulation_steps).min(self.micro_batches_per_epoch());
        let used = self.samples_per_epoch();
        (first..last)
            .map(|b| b * self.batch_size..((b + 1) * self.batch_size).min(used))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Practice question 1: 10,000 samples, batch 32 → 313 micro-batches (PyTorch's
    /// DataLoader without drop_last), 312 with drop_last; 100 epochs → 31,300 updates.
    #[test]
    fn practice_question_updates() {
        let plan = BatchPlan::new(10_000, 32, 1, false).unwrap();
        assert_eq!(plan.micro_batches_per_epoch(), 313);
        assert_eq!(plan.updates_per_epoch() * 100, 31_300);
        let dropped = BatchPlan::new(10_000, 32, 1, true).unwrap();
        assert_eq!(dropped.micro_batches_per_epoch(), 312);
    }

    /// Practice question 3: batch 8 × accumulation 4 → effective batch 32.
    #[test]
    fn effective_batch() {
        assert_eq!(
            BatchPlan::new(100, 8, 4, false)
                .unwrap()
                .effective_batch_size(),
            32
        );
    }

    #[test]
    fn leftover_window_is_an_update() {
        // 354 diabetes train rows, batch 32: 12 micro-batches (last one 2 samples), 3 updates.
        let plan = BatchPlan::new(354, 32, 4, false).unwrap();
        assert_eq!(plan.micro_batches_per_epoch(), 12);
        assert_eq!(plan.updates_per_epoch(), 3);
        assert_eq!(plan.window(2).last(), Some(&(352..354)));
        let odd = BatchPlan::new(6, 1, 4, false).unwrap();
        assert_eq!(odd.updates_per_epoch(), 2);
        assert_eq!(
            odd.window(1),
            vec![4..5, 5..6],
            "leftover window holds 2 batches"
        );
    }

    #[test]
    fn drop_last_with_too_few_samples_is_an_error() {
        let err = BatchPlan::new(10, 32, 1, true).unwrap_err();
        assert!(err.to_string().contains("leaves no batch"), "{err}");
    }
}
