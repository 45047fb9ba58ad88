//! The run as a PyTorch script: the source material's loop with the configured values and
//! its defects fixed — the schedule is sized in optimizer updates, the leftover
//! accumulation window is stepped with its real size, and the validation loss is a
//! per-sample mean.
//!
//! The script splits, initializes and shuffles with PyTorch's generator, not the lab's
//! ChaCha8 streams, so its numbers match the lab's in distribution, not bit for bit.

use crate::config::{
    Activation, Anneal, DataSource, Init, LossKind, OptimizerKind, RunConfig, ScheduleConfig,
};

/// A runnable Python script that trains `config` with PyTorch. `data_file` is the CSV the
/// script reads (header row, target in the last column unless `data.target` names one).
pub fn script(config: &RunConfig, data_file: &str) -> String {
    let mut out = String::new();
    let line = |out: &mut String, text: &str| {
        out.push_str(text);
        out.push('\n');
    };
    let loss = config.loss_kind();
    let opt = &config.optimizer;

    line(
        &mut out,
        "\"\"\"Landscape Lab run exported as a PyTorch script.",
    );
    line(&mut out, "");
    line(
        &mut out,
        "Schedules count optimizer updates (not micro-batches); the last, smaller",
    );
    line(
        &mut out,
        "accumulation window of an epoch is stepped with its own size; losses are",
    );
    line(
        &mut out,
        "per-sample means. Splits, initialization and shuffling use PyTorch's",
    );
    line(
        &mut out,
        "generator, so numbers match the lab's in distribution, not bit for bit.",
    );
    line(&mut out, "\"\"\"");
    line(&mut out, "import math");
    line(&mut out, "import numpy as np");
    line(&mut out, "import torch");
    line(&mut out, "import torch.nn as nn");
    line(&mut out, "");
    line(&mut out, &format!("torch.manual_seed({})", config.seed));
    line(&mut out, &format!("DATA_FILE = {data_file:?}"));
    line(&mut out, &format!("BATCH_SIZE = {}", config.batch_size));
    line(
        &mut out,
        &format!("ACCUM_STEPS = {}", config.accumulation_steps),
    );
    line(&mut out, &format!("MAX_EPOCHS = {}", config.epochs));
    line(
        &mut out,
        &format!("DROP_LAST = {}", py_bool(config.drop_last)),
    );
    line(
        &mut out,
        &format!("VAL_FRACTION = {:?}", config.data.val_fraction),
    );
    line(&mut out, "");

    // Data: read, split, standardize with train statistics.
    let target = config.data.target.clone().unwrap_or_default();
    line(
        &mut out,
        "header = open(DATA_FILE).readline().strip().split(\",\")",
    );
    line(
        &mut out,
        "table = np.loadtxt(DATA_FILE, delimiter=\",\", skiprows=1, ndmin=2)",
    );
    if target.is_empty() {
        line(&mut out, "target_column = len(header) - 1");
    } else {
        line(
            &mut out,
            &format!("target_column = header.index({target:?})"),
        );
    }
    line(
        &mut out,
        "x = np.delete(table, target_column, axis=1).astype(np.float32)",
    );
    line(&mut out, "y = table[:, target_column].astype(np.float32)");
    line(&mut out, "order = torch.randperm(len(x)).numpy()");
    line(&mut out, "n_val = int(len(x) * VAL_FRACTION) if VAL_FRACTION == 0 else max(1, int(len(x) * VAL_FRACTION))");
    line(
        &mut out,
        "val_idx, train_idx = order[:n_val], order[n_val:]",
    );
    line(
        &mut out,
        "x_train, y_train, x_val, y_val = x[train_idx], y[train_idx], x[val_idx], y[val_idx]",
    );
    if config.data.standardize {
        line(&mut out, "mean, std = x_train.mean(0), x_train.std(0)");
        line(&mut out, "std[std == 0] = 1");
        line(
            &mut out,
            "x_train, x_val = (x_train - mean) / std, (x_val - mean) / std",
        );
        if loss == LossKind::Mse {
            line(
                &mut out,
                "y_mean, y_std = y_train.mean(), y_train.std() or 1.0",
            );
            line(
                &mut out,
                "y_train, y_val = (y_train - y_mean) / y_std, (y_val - y_mean) / y_std",
            );
        }
    }
    let (target_conversion, outputs) = match loss {
        LossKind::Mse => ("torch.tensor(v).unsqueeze(1)", "1".to_string()),
        LossKind::Bce => ("torch.tensor(v).unsqueeze(1)", "1".to_string()),
        LossKind::CrossEntropy => ("torch.tensor(v).long()", "int(y.max()) + 1".to_string()),
    };
    line(
        &mut out,
        &format!("as_target = lambda v: {target_conversion}"),
    );
    line(
        &mut out,
        "train_set = torch.utils.data.TensorDataset(torch.tensor(x_train), as_target(y_train))",
    );
    line(&mut out, &format!(
        "train_loader = torch.utils.data.DataLoader(train_set, batch_size=BATCH_SIZE, shuffle={}, drop_last=DROP_LAST)",
        py_bool(config.shuffle)
    ));
    line(
        &mut out,
        "x_val_t, y_val_t = torch.tensor(x_val), as_target(y_val)",
    );
    line(&mut out, "");

    // Model.
    let activation = match config.model.activation {
        Activation::Relu => Some("nn.ReLU()"),
        Activation::Tanh => Some("nn.Tanh()"),
        Activation::Sigmoid => Some("nn.Sigmoid()"),
        Activation::Gelu => Some("nn.GELU()"),
        Activation::Linear => None,
    };
    let bias = py_bool(config.model.bias);
    let mut widths = vec!["x.shape[1]".to_string()];
    widths.extend(config.model.hidden.iter().map(|w| w.to_string()));
    widths.push(outputs);
    let mut layers = Vec::new();
    for (i, pair) in widths.windows(2).enumerate() {
        if i > 0 {
            // Keep PyTorch's Sequential indices (Linear at even places) even without a
            // non-linearity, as the lab's parameter names do.
            layers.push(activation.unwrap_or("nn.Identity()").to_string());
        }
        layers.push(format!("nn.Linear({}, {}, bias={bias})", pair[0], pair[1]));
    }
    line(
        &mut out,
        &format!("model = nn.Sequential({})", layers.join(", ")),
    );
    if let Init::Constant(value) = config.model.init {
        line(&mut out, "with torch.no_grad():");
        line(
            &mut out,
            &format!("    for p in model.parameters(): p.fill_({value:?})"),
        );
    }
    let loss_fn = match loss {
        LossKind::Mse => "nn.MSELoss()",
        LossKind::Bce => "nn.BCEWithLogitsLoss()",
        LossKind::CrossEntropy => "nn.CrossEntropyLoss()",
    };
    line(&mut out, &format!("loss_fn = {loss_fn}"));

    // Optimizer.
    let decay = opt.weight_decay_or_default();
    let optimizer = match opt.name {
        OptimizerKind::Sgd => format!(
            "torch.optim.SGD(model.parameters(), lr={:?}, momentum={:?}, nesterov={}, weight_decay={decay:?})",
            opt.lr, opt.momentum, py_bool(opt.nesterov)
        ),
        OptimizerKind::Adam | OptimizerKind::Adamw => format!(
            "torch.optim.{}(model.parameters(), lr={:?}, betas=({:?}, {:?}), eps={:?}, weight_decay={decay:?})",
            if opt.name == OptimizerKind::Adam { "Adam" } else { "AdamW" },
            opt.lr, opt.betas[0], opt.betas[1], opt.eps
        ),
    };
    line(&mut out, &format!("optimizer = {optimizer}"));
    line(&mut out, "");

    // Schedule, sized in optimizer updates.
    line(&mut out, "micro_batches = len(train_loader)");
    line(
        &mut out,
        "updates_per_epoch = math.ceil(micro_batches / ACCUM_STEPS)",
    );
    line(&mut out, "total_updates = MAX_EPOCHS * updates_per_epoch");
    line(&mut out, "S = torch.optim.lr_scheduler");
    let scheduler = match &config.schedule {
        ScheduleConfig::Constant => "S.ConstantLR(optimizer, factor=1.0, total_iters=0)".to_string(),
        ScheduleConfig::WarmupCosine {
            warmup_fraction,
            warmup_updates,
            start_factor,
            eta_min,
        } => {
            let warmup = match warmup_updates {
                Some(w) => format!("min({w}, total_updates)"),
                None => format!("int(total_updates * {warmup_fraction:?})"),
            };
            line(&mut out, &format!("warmup_updates = {warmup}"));
            format!(
                "S.SequentialLR(optimizer, [S.LinearLR(optimizer, start_factor={start_factor:?}, total_iters=max(warmup_updates, 1)), S.CosineAnnealingLR(optimizer, T_max=total_updates - warmup_updates, eta_min={eta_min:?})], milestones=[warmup_updates])"
            )
        }
        ScheduleConfig::Step { step_size, gamma } => {
            format!("S.StepLR(optimizer, step_size={step_size}, gamma={gamma:?})")
        }
        ScheduleConfig::Exponential { gamma } => {
            format!("S.ExponentialLR(optimizer, gamma={gamma:?})")
        }
        ScheduleConfig::OneCycle {
            max_lr,
            pct_start,
            div_factor,
            final_div_factor,
            anneal,
            cycle_momentum,
            base_momentum,
            max_momentum,
        } => format!(
            "S.OneCycleLR(optimizer, max_lr={:?}, total_steps=total_updates, pct_start={pct_start:?}, anneal_strategy={:?}, cycle_momentum={}, base_momentum={base_momentum:?}, max_momentum={max_momentum:?}, div_factor={div_factor:?}, final_div_factor={final_div_factor:?})",
            max_lr.unwrap_or(opt.lr),
            if *anneal == Anneal::Cos { "cos" } else { "linear" },
            py_bool(*cycle_momentum)
        ),
    };
    line(&mut out, &format!("scheduler = {scheduler}"));
    line(&mut out, "");

    // The loop.
    let clip = match config.clip_norm {
        Some(max_norm) => {
            format!("nn.utils.clip_grad_norm_(model.parameters(), max_norm={max_norm:?})")
        }
        None => "nn.utils.clip_grad_norm_(model.parameters(), max_norm=float(\"inf\"))".to_string(),
    };
    for text in [
        "for epoch in range(1, MAX_EPOCHS + 1):",
        "    model.train()",
        "    running, norms = [], []",
        "    batches = list(train_loader)",
        "    for start in range(0, len(batches), ACCUM_STEPS):",
        "        window = batches[start:start + ACCUM_STEPS]",
        "        samples = sum(len(xb) for xb, _ in window)",
        "        optimizer.zero_grad()",
        "        for xb, yb in window:",
        "            loss = loss_fn(model(xb), yb)",
        "            (loss * len(xb) / samples).backward()  # window mean, as one big batch",
        "            running.append(loss.item())",
    ] {
        line(&mut out, text);
    }
    line(&mut out, &format!("        norm = {clip}"));
    for text in [
        "        norms.append(norm.item())",
        "        if not math.isfinite(norm.item()):",
        "            raise SystemExit(f\"diverged at epoch {epoch}: non-finite gradient norm\")",
        "        optimizer.step()",
        "        scheduler.step()",
        "    model.eval()",
        "    with torch.no_grad():",
        "        train_loss = loss_fn(model(torch.tensor(x_train)), as_target(y_train)).item()",
        "        val_loss = loss_fn(model(x_val_t), y_val_t).item() if len(x_val) else float(\"nan\")",
        "    print(f\"epoch {epoch:4d}: running={np.mean(running):.4f} train={train_loss:.4f} \"",
        "          f\"val={val_loss:.4f} grad_norm={np.mean(norms):.3f}\")",
    ] {
        line(&mut out, text);
    }
    if config.data.source.is_synthetic() || config.data.source == DataSource::Inline {
        line(&mut out, "");
        line(
            &mut out,
            "# Write the samples first: landscape-lab data --config FILE --out DATA_FILE",
        );
    }
    out
}

fn py_bool(value: bool) -> &'static str {
    if value {
        "True"
    } else {
        "False"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_script_sizes_the_schedule_in_updates() {
        let text = script(&RunConfig::default(), "diabetes.csv");
        assert!(text.contains("torch.optim.AdamW(model.parameters(), lr=0.001"));
        assert!(text.contains("total_updates = MAX_EPOCHS * updates_per_epoch"));
        assert!(text.contains("warmup_updates = int(total_updates * 0.1)"));
        assert!(text.contains("max_norm=1.0"));
        assert!(text.contains("nn.Linear(x.shape[1], 64, bias=True), nn.ReLU(), nn.Linear(64, 1"));
        assert!(text.contains("BATCH_SIZE = 32") && text.contains("ACCUM_STEPS = 4"));
    }
}
