//! Weights along the optimizer path, for drawing it on the landscape.
//!
//! The first weights and every `stride`-th update are kept. When more than `capacity`
//! are held, every other one is dropped (the first always stays) and the stride doubles,
//! so memory stays bounded however long the run and the kept points stay evenly spaced.

/// The weights after `update` optimizer updates.
#[derive(Clone, Debug, PartialEq)]
pub struct Checkpoint {
    /// Number of updates applied (0 = the initial weights).
    pub update: usize,
    pub params: Vec<f32>,
}

/// A bounded, evenly thinned list of checkpoints.
#[derive(Clone, Debug)]
pub struct Checkpoints {
    kept: Vec<Checkpoint>,
    stride: usize,
    capacity: usize,
}

impl Checkpoints {
    /// Keeps at most `capacity` (≥ 2) checkpoints.
    pub fn new(capacity: usize) -> Self {
        Checkpoints {
            kept: Vec::new(),
            stride: 1,
            capacity: capacity.max(2),
        }
    }

    /// Offers the weights after `update` updates; kept if on the current stride.
    pub fn offer(&mut self, update: usize, params: &[f32]) {
        if !update.is_multiple_of(self.stride) {
            return;
        }
        self.kept.push(Checkpoint {
            update,
            params: params.to_vec(),
        });
        if self.kept.len() > self.capacity {
            self.stride *= 2;
            let stride = self.stride;
            self.kept.retain(|c| c.update % stride == 0);
        }
    }

    /// Records weights that replace the current ones outside the update sequence (e.g.
    /// restored best weights), whatever the stride.
    pub fn offer_latest(&mut self, update: usize, params: &[f32]) {
        self.kept.retain(|c| c.update < update);
        self.kept.push(Checkpoint {
            update,
            params: params.to_vec(),
        });
    }

    pub fn as_slice(&self) -> &[Checkpoint] {
        &self.kept
    }

    /// Updates between kept checkpoints.
    pub fn stride(&self) -> usize {
        self.stride
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_bounded_and_evenly_spaced() {
        let mut checkpoints = Checkpoints::new(8);
        for update in 0..=100 {
            checkpoints.offer(update, &[update as f32]);
        }
        let updates: Vec<usize> = checkpoints.as_slice().iter().map(|c| c.update).collect();
        assert!(updates.len() <= 8, "bounded: {updates:?}");
        assert_eq!(updates[0], 0, "the initial weights stay");
        let stride = checkpoints.stride();
        assert_eq!(stride, 16);
        assert!(
            updates.windows(2).all(|w| w[1] - w[0] == stride),
            "{updates:?}"
        );
    }
}
