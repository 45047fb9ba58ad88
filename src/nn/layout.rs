//! Parameter layout: layer by layer, the weight (out × in, row-major) then the bias (out),
//! named as PyTorch's `nn.Sequential` state dict names them (`0.weight`, `0.bias`,
//! `2.weight`, … — activations take the odd indices).

use serde::Serialize;

/// Whether a block is a weight matrix or a bias vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Weight,
    Bias,
}

/// One tensor inside the flat parameter vector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParamBlock {
    pub name: String,
    /// `[out, in]` for a weight, `[out]` for a bias.
    pub shape: Vec<usize>,
    /// Index of the tensor's first entry in the flat vector.
    pub offset: usize,
    #[serde(skip)]
    pub kind: BlockKind,
    /// The layer (0-based `Linear` count) the tensor belongs to.
    #[serde(skip)]
    pub layer: usize,
}

impl ParamBlock {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries' index range in the flat vector.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.offset..self.offset + self.len()
    }
}

/// The layout of an MLP with layer widths `sizes` (inputs first, outputs last).
pub fn layout(sizes: &[usize], bias: bool) -> Vec<ParamBlock> {
    let mut blocks = Vec::new();
    let mut offset = 0;
    for (layer, pair) in sizes.windows(2).enumerate() {
        let (fan_in, fan_out) = (pair[0], pair[1]);
        let index = 2 * layer;
        blocks.push(ParamBlock {
            name: format!("{index}.weight"),
            shape: vec![fan_out, fan_in],
            offset,
            kind: BlockKind::Weight,
            layer,
        });
        offset += fan_out * fan_in;
        if bias {
            blocks.push(ParamBlock {
                name: format!("{index}.bias"),
                shape: vec![fan_out],
                offset,
                kind: BlockKind::Bias,
                layer,
            });
            offset += fan_out;
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_model_layout() {
        let blocks = layout(&[10, 64, 1], true);
        let names: Vec<_> = blocks.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["0.weight", "0.bias", "2.weight", "2.bias"]);
        let offsets: Vec<_> = blocks.iter().map(|b| b.offset).collect();
        assert_eq!(offsets, [0, 640, 704, 768]);
        assert_eq!(blocks[3].range().end, 769, "10·64 + 64 + 64 + 1 parameters");
    }
}
