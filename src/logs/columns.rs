//! Which column (or JSON key, or TensorBoard tag) holds which curve, from its name.
//!
//! Names are compared after normalizing: camelCase is split (`GradNorm` → `grad_norm`),
//! letters are lower-cased and any run of other characters becomes one `_`. Then:
//! - `epoch`, `epochs`: the epoch; `step`, `global_step`, `update`, `iteration`: the step.
//! - a name with `loss` (or just `train` / `val`) is a loss: validation when it mentions
//!   `val`, `valid`, `validation` or `dev`, or `eval` without `train` (Hugging Face's
//!   `eval_loss`; the lab's `train_loss_eval` is the train loss evaluated); test losses
//!   are ignored; otherwise the train loss.
//! - `lr`, `learning_rate` (also Lightning's `lr-AdamW`): the learning rate.
//! - `grad` or `gradient` with `norm` (`grad_norm`, `GradNorm`, `grad_2.0_norm_total`):
//!   the gradient norm.
//! - a trailing `_step` or `_epoch` (Lightning's `train_loss_step`) says the level.
//!
//! When two names fit one curve at one level, a preference decides (the evaluated train
//! loss over the running one, a total gradient norm over per-layer ones); when none does,
//! the user names the column with `--column ROLE=NAME` ([`ColumnMap`]).

use super::series::Quantity;
use crate::error::{Error, Result};

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Epoch,
    Step,
    Value(Quantity),
}

impl Role {
    /// Every role, with its name in `--column ROLE=NAME`.
    pub const ALL: [(Role, &'static str); 6] = [
        (Role::Epoch, "epoch"),
        (Role::Step, "step"),
        (Role::Value(Quantity::TrainLoss), "train_loss"),
        (Role::Value(Quantity::ValLoss), "val_loss"),
        (Role::Value(Quantity::LearningRate), "lr"),
        (Role::Value(Quantity::GradNorm), "grad_norm"),
    ];
}

/// A level a column's name states with a `_step` or `_epoch` suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Epoch,
    Step,
}

/// A name's reading: its role, the level its suffix states, and a preference (lower is
/// preferred when several names fit the same role).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reading {
    pub role: Role,
    pub level: Option<Level>,
    pub rank: u8,
}

/// Lower-case words of a name: `Loss/val` → `loss_val`, `GradNorm` → `grad_norm`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if c.is_alphanumeric() {
            let camel_break = previous.is_some_and(|p| p.is_lowercase()) && c.is_uppercase();
            if camel_break && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        previous = Some(c);
    }
    out.trim_end_matches('_').to_string()
}

const EPOCH_NAMES: [&str; 4] = ["epoch", "epochs", "epoch_num", "epoch_number"];
const STEP_NAMES: [&str; 9] = [
    "step",
    "steps",
    "global_step",
    "trainer_global_step",
    "update",
    "updates",
    "iteration",
    "iter",
    "it",
];

/// How a name reads, or `None` for a column the diagnosis does not use.
pub fn read_name(name: &str) -> Option<Reading> {
    let normalized = normalize(name);
    let reading = |role, level, rank| Some(Reading { role, level, rank });
    if EPOCH_NAMES.contains(&normalized.as_str()) {
        return reading(Role::Epoch, None, 0);
    }
    if STEP_NAMES.contains(&normalized.as_str()) {
        return reading(Role::Step, None, 0);
    }
    let words: Vec<&str> = normalized.split('_').collect();
    let has = |word: &str| words.contains(&word);
    let level = match words.last().copied() {
        Some("step") if words.len() > 1 => Some(Level::Step),
        Some("epoch") if words.len() > 1 => Some(Level::Epoch),
        _ => None,
    };

    let train_word = has("train") || has("training");
    let strong_val = has("val") || has("valid") || has("validation") || has("dev");
    let loss_like = has("loss")
        || words.iter().any(|w| w.ends_with("loss"))
        || normalized == "train"
        || normalized == "training"
        || normalized == "val"
        || normalized == "validation";
    if loss_like {
        if has("test") {
            return None;
        }
        let is_val = strong_val || ((has("eval") || has("evaluation")) && !train_word);
        if is_val {
            return reading(Role::Value(Quantity::ValLoss), level, 0);
        }
        // The lab's evaluated train loss is what its diagnosis judges; a running mean
        // over the epoch's batches comes second.
        let rank = if has("eval") {
            0
        } else if has("running") {
            2
        } else {
            1
        };
        return reading(Role::Value(Quantity::TrainLoss), level, rank);
    }
    let grad = has("grad") || has("gradient") || has("grads") || normalized == "gnorm";
    if (grad && has("norm")) || normalized == "gradnorm" || normalized == "gnorm" {
        let rank = if has("total") || words.len() <= 3 {
            0
        } else {
            1
        };
        return reading(Role::Value(Quantity::GradNorm), level, rank);
    }
    if has("lr") || (has("learning") && has("rate")) || has("learningrate") {
        return reading(Role::Value(Quantity::LearningRate), level, 0);
    }
    None
}

/// Column names the user chose for roles (`--column val_loss=valid_mse`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMap {
    entries: Vec<(Role, String)>,
}

impl ColumnMap {
    /// Adds one `ROLE=NAME` choice.
    pub fn add(&mut self, spec: &str) -> Result<()> {
        let roles: Vec<&str> = Role::ALL.iter().map(|(_, name)| *name).collect();
        let bad = || {
            Error::config(
                "--column",
                format!(
                    "needs ROLE=NAME with ROLE one of {}, got \"{spec}\"",
                    roles.join(", ")
                ),
            )
        };
        let (role_name, column) = spec.split_once('=').ok_or_else(bad)?;
        let role = Role::ALL
            .iter()
            .find(|(_, name)| *name == role_name.trim())
            .map(|(role, _)| *role)
            .ok_or_else(bad)?;
        if column.trim().is_empty() {
            return Err(bad());
        }
        self.entries.retain(|(r, _)| *r != role);
        self.entries.push((role, column.trim().to_string()));
        Ok(())
    }

    /// The name chosen for `role`, if any.
    pub fn name_for(&self, role: Role) -> Option<&str> {
        self.entries
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, name)| name.as_str())
    }

    /// The role `name` was chosen for, if any (exact, or equal after normalizing).
    pub fn role_of(&self, name: &str) -> Option<Role> {
        self.entries
            .iter()
            .find(|(_, chosen)| chosen == name || normalize(chosen) == normalize(name))
            .map(|(role, _)| *role)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A column picked for a curve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueColumn {
    pub index: usize,
    pub quantity: Quantity,
    pub level: Option<Level>,
}

/// The columns of a header that the readers use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choice {
    pub epoch: Option<usize>,
    pub step: Option<usize>,
    pub values: Vec<ValueColumn>,
    /// Names no rule reads (accuracy and the like).
    pub ignored: Vec<String>,
}

/// Picks the columns of `names`, honouring the user's `map`; two equally good names for
/// one curve at one level are an error that says how to choose.
pub fn choose(names: &[String], map: &ColumnMap) -> std::result::Result<Choice, String> {
    let mut readings: Vec<Option<Reading>> = names.iter().map(|n| read_name(n)).collect();

    // The user's choices win; other names for the same role step aside.
    for (role, _) in Role::ALL {
        let Some(chosen) = map.name_for(role) else {
            continue;
        };
        let found = names
            .iter()
            .position(|n| n == chosen)
            .or_else(|| names.iter().position(|n| normalize(n) == normalize(chosen)))
            .ok_or_else(|| {
                format!(
                    "--column asks for \"{chosen}\", which is not among {}",
                    names.join(", ")
                )
            })?;
        for reading in readings.iter_mut().flatten() {
            if reading.role == role {
                reading.rank = u8::MAX;
            }
        }
        readings[found] = Some(Reading {
            role,
            level: readings[found].and_then(|r| r.level),
            rank: 0,
        });
    }

    let mut choice = Choice::default();
    let mut best: Vec<(Role, Option<Level>, u8, Vec<usize>)> = Vec::new();
    for (index, reading) in readings.iter().enumerate() {
        let Some(reading) = reading.filter(|r| r.rank != u8::MAX) else {
            if reading.is_none() {
                choice.ignored.push(names[index].clone());
            }
            continue;
        };
        match best
            .iter_mut()
            .find(|(role, level, _, _)| *role == reading.role && *level == reading.level)
        {
            Some(entry) if reading.rank < entry.2 => {
                entry.2 = reading.rank;
                entry.3 = vec![index];
            }
            Some(entry) if reading.rank == entry.2 => entry.3.push(index),
            Some(_) => {}
            None => best.push((reading.role, reading.level, reading.rank, vec![index])),
        }
    }
    for (role, level, _, indices) in best {
        if indices.len() > 1 {
            let role_name = Role::ALL
                .iter()
                .find(|(r, _)| *r == role)
                .map_or("", |(_, name)| *name);
            let candidates: Vec<String> = indices
                .iter()
                .map(|&i| format!("\"{}\"", names[i]))
                .collect();
            return Err(format!(
                "columns {} could each be the {}; choose one with --column {role_name}=NAME",
                candidates.join(" and "),
                role_description(role)
            ));
        }
        let index = indices[0];
        match role {
            Role::Epoch => choice.epoch = Some(index),
            Role::Step => choice.step = Some(index),
            Role::Value(quantity) => choice.values.push(ValueColumn {
                index,
                quantity,
                level,
            }),
        }
    }
    choice.values.sort_by_key(|v| v.index);
    Ok(choice)
}

/// "epoch", "step" or the quantity's name.
pub fn role_description(role: Role) -> &'static str {
    match role {
        Role::Epoch => "epoch",
        Role::Step => "step",
        Role::Value(quantity) => quantity.name(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quantity(name: &str) -> Option<Quantity> {
        match read_name(name)?.role {
            Role::Value(q) => Some(q),
            _ => None,
        }
    }

    /// Names from the frameworks this module reads, each with the curve it holds.
    #[test]
    fn framework_names_map_to_curves() {
        use Quantity::*;
        let table = [
            ("loss", Some(TrainLoss)),
            ("val_loss", Some(ValLoss)),
            ("eval_loss", Some(ValLoss)),
            ("train_loss_eval", Some(TrainLoss)),
            ("train_loss_step", Some(TrainLoss)),
            ("Loss/val", Some(ValLoss)),
            ("validation", Some(ValLoss)),
            ("test_loss", None),
            ("val_acc", None),
            ("learning_rate", Some(LearningRate)),
            ("lr-AdamW", Some(LearningRate)),
            ("lr_end", Some(LearningRate)),
            ("GradNorm", Some(GradNorm)),
            ("grad_2.0_norm_total", Some(GradNorm)),
            ("grad_norm_mean", Some(GradNorm)),
            ("Wall time", None),
        ];
        for (name, expected) in table {
            assert_eq!(quantity(name), expected, "{name}");
        }
        assert_eq!(read_name("global_step").map(|r| r.role), Some(Role::Step));
        assert_eq!(
            read_name("train_loss_epoch").and_then(|r| r.level),
            Some(Level::Epoch)
        );
    }

    /// The lab's epochs.csv has two train losses; the evaluated one is the diagnosis's.
    #[test]
    fn preferences_and_ambiguity() {
        let names: Vec<String> = ["epoch", "train_loss_running", "train_loss_eval", "val_loss"]
            .map(String::from)
            .to_vec();
        let choice = choose(&names, &ColumnMap::default()).unwrap();
        assert_eq!(choice.epoch, Some(0));
        assert_eq!(choice.values[0].index, 2, "the evaluated train loss");

        let names: Vec<String> = ["step", "loss", "train_loss"].map(String::from).to_vec();
        let error = choose(&names, &ColumnMap::default()).unwrap_err();
        assert_eq!(
            error,
            "columns \"loss\" and \"train_loss\" could each be the train loss; \
             choose one with --column train_loss=NAME"
        );
        let mut map = ColumnMap::default();
        map.add("train_loss=loss").unwrap();
        let choice = choose(&names, &map).unwrap();
        assert_eq!(choice.values.len(), 1);
        assert_eq!(choice.values[0].index, 1);
        assert!(map.add("speed=loss").is_err());
    }
}
