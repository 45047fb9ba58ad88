//! [`RunConfig::validate`]: every field checked, the message naming the field and the
//! value ("batch_size must be at least 1, got 0").

use serde::Serialize;

use super::*;

impl RunConfig {
    fn validate_data(&self) -> Result<()> {
        let data = &self.data;
        let source = data.source;
        let fraction = data.val_fraction;
        if !(0.0..1.0).contains(&fraction) {
            return Err(Error::config(
                "data.val_fraction",
                format!("must be in [0, 1), got {fraction}"),
            ));
        }
        if let (Some(given), Some(known)) = (data.task, source.known_task()) {
            if given != known {
                return Err(Error::config(
                    "data.task",
                    format!(
                        "is {} but data.source {} is a {} set",
                        enum_name(&given),
                        enum_name(&source),
                        enum_name(&known)
                    ),
                ));
            }
        }
        let only_for = |field: &str, given: bool, allowed: bool, sources: &str| {
            if given && !allowed {
                return Err(Error::config(
                    format!("data.{field}"),
                    format!(
                        "is only used with source {sources}, got {}",
                        enum_name(&source)
                    ),
                ));
            }
            Ok(())
        };
        let synthetic = source.is_synthetic();
        only_for(
            "samples",
            data.samples.is_some(),
            synthetic,
            "a synthetic set",
        )?;
        only_for("noise", data.noise.is_some(), synthetic, "a synthetic set")?;
        only_for(
            "path",
            data.path.is_some(),
            source == DataSource::Csv,
            "csv",
        )?;
        only_for(
            "target",
            data.target.is_some(),
            source == DataSource::Csv,
            "csv",
        )?;
        only_for(
            "train",
            data.train.is_some(),
            source == DataSource::Inline,
            "inline",
        )?;
        only_for(
            "val",
            data.val.is_some(),
            source == DataSource::Inline,
            "inline",
        )?;

        if let Some(samples) = data.samples {
            at_least("data.samples", samples, 4)?;
            at_most("data.samples", samples, MAX_SYNTHETIC_SAMPLES)?;
        }
        if let Some(noise) = data.noise {
            if !noise.is_finite() || noise < 0.0 {
                return Err(Error::config(
                    "data.noise",
                    format!("must be a finite number ≥ 0, got {noise}"),
                ));
            }
        }
        if source == DataSource::Csv && data.path.is_none() {
            return Err(Error::config("data.path", "is required with source csv"));
        }
        if source == DataSource::Inline && data.train.is_none() {
            return Err(Error::config(
                "data.train",
                "is required with source inline ({\"x\": [[…], …], \"y\": […]})",
            ));
        }
        Ok(())
    }

    /// Checks every field; the message names the field and the value.
    pub fn validate(&self) -> Result<()> {
        if self.seed > MAX_SEED {
            return Err(Error::config(
                "seed",
                format!("must be at most {MAX_SEED}, got {}", self.seed),
            ));
        }
        at_least("epochs", self.epochs, 1)?;
        at_most("epochs", self.epochs, MAX_EPOCHS)?;
        at_least("batch_size", self.batch_size, 1)?;
        at_least("accumulation_steps", self.accumulation_steps, 1)?;
        if let Some(max_norm) = self.clip_norm {
            positive_finite("clip_norm", max_norm)?;
        }

        self.validate_data()?;
        let has_validation = self.data.val.is_some() || self.data.val_fraction > 0.0;
        if let Some(stopping) = &self.early_stopping {
            at_least("early_stopping.patience", stopping.patience, 1)?;
            if !has_validation {
                return Err(Error::config(
                    "early_stopping",
                    "needs a validation set, but data.val_fraction is 0",
                ));
            }
        }
        if self.landscape.data == Split::Val && !has_validation {
            return Err(Error::config(
                "landscape.data",
                "is \"val\" but there is no validation set (data.val_fraction is 0)",
            ));
        }

        let task = self.task();
        let loss = self.loss_kind();
        let fits = match loss {
            LossKind::Mse => task == Task::Regression,
            LossKind::Bce => task == Task::Binary,
            LossKind::CrossEntropy => task != Task::Regression,
        };
        if !fits {
            return Err(Error::config(
                "loss",
                format!(
                    "{} does not fit the {} task of data.source {}",
                    enum_name(&loss),
                    enum_name(&task),
                    enum_name(&self.data.source)
                ),
            ));
        }
        if let Init::Constant(value) = self.model.init {
            if !value.is_finite() {
                return Err(Error::config(
                    "model.init.constant",
                    format!("must be a finite number, got {value}"),
                ));
            }
        }

        for (i, &width) in self.model.hidden.iter().enumerate() {
            at_least(&format!("model.hidden[{i}]"), width, 1)?;
        }

        let opt = &self.optimizer;
        positive_finite("optimizer.lr", opt.lr)?;
        unit_interval("optimizer.momentum", opt.momentum)?;
        if opt.nesterov && opt.momentum <= 0.0 {
            return Err(Error::config(
                "optimizer.nesterov",
                "needs optimizer.momentum > 0, got momentum 0",
            ));
        }
        unit_interval("optimizer.betas[0]", opt.betas[0])?;
        unit_interval("optimizer.betas[1]", opt.betas[1])?;
        positive_finite("optimizer.eps", opt.eps)?;
        let decay = opt.weight_decay_or_default();
        if !decay.is_finite() || decay < 0.0 {
            return Err(Error::config(
                "optimizer.weight_decay",
                format!("must be a finite number ≥ 0, got {decay}"),
            ));
        }

        match &self.schedule {
            ScheduleConfig::Constant => {}
            ScheduleConfig::WarmupCosine {
                warmup_fraction,
                start_factor,
                eta_min,
                ..
            } => {
                if !(0.0..=1.0).contains(warmup_fraction) {
                    return Err(Error::config(
                        "schedule.warmup_fraction",
                        format!("must be in [0, 1], got {warmup_fraction}"),
                    ));
                }
                if !(*start_factor > 0.0 && *start_factor <= 1.0) {
                    return Err(Error::config(
                        "schedule.start_factor",
                        format!("must be in (0, 1], got {start_factor}"),
                    ));
                }
                if !eta_min.is_finite() || *eta_min < 0.0 {
                    return Err(Error::config(
                        "schedule.eta_min",
                        format!("must be a finite number ≥ 0, got {eta_min}"),
                    ));
                }
            }
            ScheduleConfig::Step { step_size, gamma } => {
                at_least("schedule.step_size", *step_size, 1)?;
                positive_finite("schedule.gamma", *gamma)?;
            }
            ScheduleConfig::Exponential { gamma } => positive_finite("schedule.gamma", *gamma)?,
            ScheduleConfig::OneCycle {
                max_lr,
                pct_start,
                div_factor,
                final_div_factor,
                base_momentum,
                max_momentum,
                ..
            } => {
                if let Some(max_lr) = max_lr {
                    positive_finite("schedule.max_lr", *max_lr)?;
                }
                if !(*pct_start > 0.0 && *pct_start < 1.0) {
                    return Err(Error::config(
                        "schedule.pct_start",
                        format!("must be in (0, 1), got {pct_start}"),
                    ));
                }
                positive_finite("schedule.div_factor", *div_factor)?;
                positive_finite("schedule.final_div_factor", *final_div_factor)?;
                unit_interval("schedule.base_momentum", *base_momentum)?;
                unit_interval("schedule.max_momentum", *max_momentum)?;
            }
        }

        let land = &self.landscape;
        at_least("landscape.resolution", land.resolution, MIN_RESOLUTION)?;
        at_most("landscape.resolution", land.resolution, MAX_RESOLUTION)?;
        positive_finite("landscape.range", land.range)?;
        if land.range > MAX_RANGE {
            return Err(Error::config(
                "landscape.range",
                format!("must be at most {MAX_RANGE}, got {:e}", land.range),
            ));
        }
        if land.seed > MAX_SEED {
            return Err(Error::config(
                "landscape.seed",
                format!("must be at most {MAX_SEED}, got {}", land.seed),
            ));
        }
        Ok(())
    }
}

/// The JSON spelling of a unit enum value, for messages.
fn enum_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn at_least(field: &str, value: usize, min: usize) -> Result<()> {
    if value < min {
        return Err(Error::config(
            field,
            format!("must be at least {min}, got {value}"),
        ));
    }
    Ok(())
}

fn at_most(field: &str, value: usize, max: usize) -> Result<()> {
    if value > max {
        return Err(Error::config(
            field,
            format!("must be at most {max}, got {value}"),
        ));
    }
    Ok(())
}

fn positive_finite(field: &str, value: f64) -> Result<()> {
    if !(value.is_finite() && value > 0.0) {
        return Err(Error::config(
            field,
            format!("must be a finite number > 0, got {value}"),
        ));
    }
    Ok(())
}

fn unit_interval(field: &str, value: f64) -> Result<()> {
    if !(0.0..1.0).contains(&value) {
        return Err(Error::config(
            field,
            format!("must be in [0, 1), got {value}"),
        ));
    }
    Ok(())
}
