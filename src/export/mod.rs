//! Writing a run out for other tools: the equivalent PyTorch script, the history and the
//! samples as CSV.

pub mod pytorch;
pub mod tables;
