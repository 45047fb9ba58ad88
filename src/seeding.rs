//! Seeded random streams. One run seed feeds several independent ChaCha8 streams, one per
//! purpose, so that e.g. changing the shuffling never changes the initialization.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The purposes a run draws random numbers for; each has its own stream.
#[derive(Clone, Copy, Debug)]
pub enum Stream {
    Split = 0,
    Init = 1,
    Shuffle = 2,
    Directions = 3,
    /// Synthetic data sets.
    Data = 4,
}

/// A generator for `purpose`, fully determined by `seed`.
pub fn rng(seed: u64, purpose: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(purpose as u64);
    rng
}
