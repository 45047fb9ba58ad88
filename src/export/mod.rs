//! Writing a run out for other tools: the equivalent PyTorch script.

pub mod pytorch;
