// Every setting of a run (the engine's RunConfig) as a form field: its group,
// label, unit, PyTorch name, how it reads from and writes into a config, and
// when it applies. settings.js builds the form from this table; the engine
// still checks every value (checkConfig) and names the bad one.
//
// A field's `path` is the config key the engine names in its messages
// ("optimizer.lr", "model.hidden[0]" → "model.hidden"), so a message lands
// next to its field.

const SYNTHETIC_SOURCES = Object.freeze(
  ['moons', 'circles', 'spirals', 'xor', 'gaussians', 'sine']);

const SOURCE_CHOICES = Object.freeze([
  ['diabetes', 'Diabetes (regression)'],
  ['breast_cancer', 'Breast cancer (binary)'],
  ['digits', 'Digits (10 classes)'],
  ['iris', 'Iris (3 classes)'],
  ['wine', 'Wine (3 classes)'],
  ['moons', 'Moons (binary)'],
  ['circles', 'Circles (binary)'],
  ['spirals', 'Spirals (binary)'],
  ['xor', 'XOR (binary)'],
  ['gaussians', 'Gaussians (3 classes)'],
  ['sine', 'Sine (regression)'],
]);

const INLINE_CHOICE = Object.freeze(['inline', 'Samples in the link']);

/** The settings groups, in page order. `wide` groups have a side panel. */
export const GROUPS = Object.freeze([
  { id: 'data', title: 'Data' },
  { id: 'model', title: 'Model' },
  { id: 'loss', title: 'Loss' },
  { id: 'optimizer', title: 'Optimizer' },
  { id: 'schedule', title: 'Learning-rate schedule', wide: true },
  { id: 'batching', title: 'Batches, accumulation and epochs', wide: true },
  { id: 'clipping', title: 'Gradient clipping' },
  { id: 'early', title: 'Early stopping' },
  { id: 'landscape', title: 'Landscape' },
]);

const isSynthetic = (config) =>
  SYNTHETIC_SOURCES.includes(config.data.source);
const isSgd = (config) => config.optimizer.name === 'sgd';
const scheduleIs = (name) => (config) => config.schedule.name === name;

/**
 * A number as the page writes it: no thousands separators, tiny values in
 * exponent form (1e-6, not 0.000001); it reads back as the same number.
 */
function numberText(value) {
  if (value === null || value === undefined) {
    return '';
  }
  return typeof value === 'number' && value !== 0 && Math.abs(value) < 1e-4
    ? value.toExponential()
    : String(value);
}

/** A (possibly nested, `a.b`) key of `object`. */
function getPath(object, path) {
  return path.split('.').reduce(
    (value, key) => (value === undefined || value === null
      ? undefined
      : value[key]),
    object);
}

function setPath(object, path, value) {
  const keys = path.split('.');
  const last = keys.pop();
  let target = object;
  for (const key of keys) {
    target = target[key];
  }
  target[last] = value;
}

/** A plain key of the config, written as is. */
function plain(path, kind, extra) {
  return {
    path,
    kind,
    read: (config) => getPath(config, path),
    write: (config, value) => setPath(config, path, value),
    ...extra,
  };
}

/** A key of the schedule that exists only for schedule `name`. */
function scheduleKey(name, key, kind, extra) {
  return {
    path: `schedule.${key}`,
    kind,
    show: scheduleIs(name),
    // null: an empty field; undefined: another schedule's key, left as is.
    read: (config) => (config.schedule.name === name
      ? (config.schedule[key] ?? null)
      : undefined),
    write: (config, value) => {
      if (value === null) {
        delete config.schedule[key];
      } else {
        config.schedule[key] = value;
      }
    },
    ...extra,
  };
}

/**
 * The fields. kind: 'int' (whole number ≥ `min`, 0 unless given), 'number',
 * 'optional-int' and 'optional-number' (empty = null), 'bool', 'choice' (`choices`: [value,
 * label] pairs), 'widths' (a comma-separated list of whole numbers).
 * `initial` fills a field whose key the config lacks (a schedule's own keys).
 */
export const FIELDS = Object.freeze([
  // ---------- Data ----------
  {
    id: 'data-source',
    group: 'data',
    label: 'Data set',
    unit: 'five real sets, six generated ones',
    path: 'data.source',
    kind: 'choice',
    choices: (config) => (config.data.source === 'inline'
      ? [...SOURCE_CHOICES, INLINE_CHOICE]
      : SOURCE_CHOICES),
    torch: 'the samples behind train_loader / val_loader',
    read: (config) => config.data.source,
    write: (config, value) => {
      const data = config.data;
      data.source = value;
      // Keys that belong to other sources would be rejected by the engine.
      if (!SYNTHETIC_SOURCES.includes(value)) {
        delete data.samples;
        delete data.noise;
      }
      if (value !== 'inline') {
        delete data.train;
        delete data.val;
        delete data.task;
      }
    },
  },
  plain('data.samples', 'optional-int', {
    id: 'data-samples',
    group: 'data',
    label: 'Samples',
    unit: 'samples',
    placeholder: '200',
    torch: 'n_samples of the generated set',
    show: isSynthetic,
    read: (config) =>
      (isSynthetic(config) ? (config.data.samples ?? null) : undefined),
    write: (config, value) => {
      if (value === null) delete config.data.samples;
      else config.data.samples = value;
    },
  }),
  plain('data.noise', 'optional-number', {
    id: 'data-noise',
    group: 'data',
    label: 'Noise',
    unit: 'standard deviation',
    placeholder: '0.1',
    torch: 'noise of the generated set',
    show: isSynthetic,
    read: (config) =>
      (isSynthetic(config) ? (config.data.noise ?? null) : undefined),
    write: (config, value) => {
      if (value === null) delete config.data.noise;
      else config.data.noise = value;
    },
  }),
  {
    id: 'data-task',
    group: 'data',
    label: 'Task',
    path: 'data.task',
    kind: 'choice',
    choices: [
      ['', 'regression (default)'],
      ['regression', 'regression'],
      ['binary', 'binary classification'],
      ['multiclass', 'multi-class classification'],
    ],
    torch: 'what the targets are',
    show: (config) => config.data.source === 'inline',
    read: (config) => config.data.task ?? '',
    write: (config, value) => {
      if (value === '') delete config.data.task;
      else config.data.task = value;
    },
  },
  plain('data.val_fraction', 'number', {
    id: 'data-val-fraction',
    group: 'data',
    label: 'Validation share',
    unit: 'of the samples (0 to <1)',
    torch: 'random_split(dataset, [1 − f, f])',
  }),
  plain('data.standardize', 'bool', {
    id: 'data-standardize',
    group: 'data',
    label: 'Standardize with train statistics',
    torch: 'StandardScaler().fit(X_train)',
  }),
  plain('seed', 'int', {
    id: 'seed',
    group: 'data',
    label: 'Seed',
    unit: 'split, initial weights, shuffling',
    torch: 'torch.manual_seed(seed)',
  }),

  // ---------- Model ----------
  {
    id: 'model-hidden',
    group: 'model',
    label: 'Hidden layer widths',
    unit: 'neurons, comma-separated; empty = linear model',
    path: 'model.hidden',
    kind: 'widths',
    torch: 'nn.Linear(in, width) per hidden layer',
    read: (config) => config.model.hidden.join(', '),
    write: (config, value) => {
      config.model.hidden = value;
    },
  },
  plain('model.activation', 'choice', {
    id: 'model-activation',
    group: 'model',
    label: 'Activation',
    choices: [
      ['relu', 'ReLU'],
      ['tanh', 'tanh'],
      ['sigmoid', 'sigmoid'],
      ['gelu', 'GELU'],
      ['linear', 'none (linear)'],
    ],
    torch: 'nn.ReLU() / nn.Tanh() / nn.Sigmoid() / nn.GELU()',
  }),
  plain('model.bias', 'bool', {
    id: 'model-bias',
    group: 'model',
    label: 'Bias in every layer',
    torch: 'nn.Linear(…, bias=True)',
  }),
  {
    id: 'model-init',
    group: 'model',
    label: 'Initial weights',
    path: 'model.init',
    kind: 'choice',
    unit: 'default: uniform in ±1/√fan_in',
    choices: [
      ['pytorch', 'PyTorch default'],
      ['constant', 'one constant'],
    ],
    torch: 'nn.Linear default init / nn.init.constant_',
    read: (config) =>
      (config.model.init === 'pytorch' ? 'pytorch' : 'constant'),
    write: (config, value) => {
      if (value === 'pytorch') {
        config.model.init = 'pytorch';
      } else if (typeof config.model.init !== 'object') {
        config.model.init = { constant: 0 };
      }
    },
  },
  {
    id: 'model-init-constant',
    group: 'model',
    label: 'Constant',
    path: 'model.init.constant',
    kind: 'number',
    initial: 0,
    torch: 'nn.init.constant_(weight, c)',
    show: (config) => typeof config.model.init === 'object',
    read: (config) => config.model.init?.constant,
    write: (config, value) => {
      config.model.init = { constant: value };
    },
  },

  // ---------- Loss ----------
  {
    id: 'loss',
    group: 'loss',
    label: 'Loss',
    path: 'loss',
    kind: 'choice',
    choices: [
      ['', 'from the task (default)'],
      ['mse', 'mean squared error (regression)'],
      ['bce', 'binary cross-entropy on one logit'],
      ['cross_entropy', 'cross-entropy (classes)'],
    ],
    torch: 'nn.MSELoss() / nn.BCEWithLogitsLoss() / nn.CrossEntropyLoss()',
    read: (config) => config.loss ?? '',
    write: (config, value) => {
      config.loss = value === '' ? null : value;
    },
  },

  // ---------- Optimizer ----------
  plain('optimizer.name', 'choice', {
    id: 'optimizer-name',
    group: 'optimizer',
    label: 'Optimizer',
    choices: [['sgd', 'SGD'], ['adam', 'Adam'], ['adamw', 'AdamW']],
    torch: 'torch.optim.SGD / Adam / AdamW',
  }),
  plain('optimizer.lr', 'number', {
    id: 'optimizer-lr',
    group: 'optimizer',
    label: 'Learning rate',
    unit: 'base rate; the schedule scales it',
    torch: 'lr',
  }),
  plain('optimizer.momentum', 'number', {
    id: 'optimizer-momentum',
    group: 'optimizer',
    label: 'Momentum',
    unit: '0 to <1',
    torch: 'SGD(momentum=…)',
    show: isSgd,
  }),
  plain('optimizer.nesterov', 'bool', {
    id: 'optimizer-nesterov',
    group: 'optimizer',
    label: 'Nesterov momentum',
    torch: 'SGD(nesterov=True)',
    show: isSgd,
  }),
  {
    id: 'optimizer-beta1',
    group: 'optimizer',
    label: 'β₁',
    unit: 'decay of the gradient average',
    path: 'optimizer.betas[0]',
    kind: 'number',
    torch: 'betas=(β₁, β₂)',
    show: (config) => !isSgd(config),
    read: (config) => config.optimizer.betas[0],
    write: (config, value) => {
      config.optimizer.betas = [value, config.optimizer.betas[1]];
    },
  },
  {
    id: 'optimizer-beta2',
    group: 'optimizer',
    label: 'β₂',
    unit: 'decay of the squared-gradient average',
    path: 'optimizer.betas[1]',
    kind: 'number',
    torch: 'betas=(β₁, β₂)',
    show: (config) => !isSgd(config),
    read: (config) => config.optimizer.betas[1],
    write: (config, value) => {
      config.optimizer.betas = [config.optimizer.betas[0], value];
    },
  },
  plain('optimizer.eps', 'number', {
    id: 'optimizer-eps',
    group: 'optimizer',
    label: 'ε',
    unit: 'added to the denominator',
    torch: 'eps',
    show: (config) => !isSgd(config),
  }),
  plain('optimizer.weight_decay', 'optional-number', {
    id: 'optimizer-weight-decay',
    group: 'optimizer',
    label: 'Weight decay',
    unit: 'empty = PyTorch default (AdamW 0.01, else 0)',
    placeholder: 'default',
    torch: 'weight_decay',
  }),

  // ---------- Schedule ----------
  {
    id: 'schedule-name',
    group: 'schedule',
    label: 'Schedule',
    path: 'schedule.name',
    kind: 'choice',
    choices: [
      ['constant', 'constant'],
      ['warmup_cosine', 'warmup + cosine decay'],
      ['step', 'step decay'],
      ['exponential', 'exponential decay'],
      ['one_cycle', 'one cycle'],
    ],
    torch: 'SequentialLR([LinearLR, CosineAnnealingLR]) / StepLR / ' +
      'ExponentialLR / OneCycleLR, stepped once per optimizer update',
    read: (config) => config.schedule.name,
    write: (config, value) => {
      // The chosen schedule's own fields fill in its keys next.
      config.schedule = { name: value };
    },
  },
  scheduleKey('warmup_cosine', 'warmup_fraction', 'number', {
    id: 'schedule-warmup-fraction',
    group: 'schedule',
    label: 'Warmup share',
    unit: 'of all updates (0 to 1)',
    initial: 0.1,
    torch: 'LinearLR(total_iters = ⌊N · share⌋)',
  }),
  scheduleKey('warmup_cosine', 'warmup_updates', 'optional-int', {
    id: 'schedule-warmup-updates',
    group: 'schedule',
    label: 'Warmup length',
    unit: 'updates; empty = use the share',
    placeholder: 'from the share',
    torch: 'LinearLR(total_iters=…)',
  }),
  scheduleKey('warmup_cosine', 'start_factor', 'number', {
    id: 'schedule-start-factor',
    group: 'schedule',
    label: 'Start factor',
    unit: '× base rate at update 0',
    initial: 0.01,
    torch: 'LinearLR(start_factor=…)',
  }),
  scheduleKey('warmup_cosine', 'eta_min', 'number', {
    id: 'schedule-eta-min',
    group: 'schedule',
    label: 'Final rate',
    unit: 'learning rate at the end',
    initial: 1e-6,
    torch: 'CosineAnnealingLR(eta_min=…)',
  }),
  scheduleKey('step', 'step_size', 'int', {
    min: 1,
    id: 'schedule-step-size',
    group: 'schedule',
    label: 'Step every',
    unit: 'updates',
    initial: 100,
    torch: 'StepLR(step_size=…)',
  }),
  scheduleKey('step', 'gamma', 'number', {
    id: 'schedule-step-gamma',
    group: 'schedule',
    label: 'Factor γ',
    unit: '× rate at each step',
    initial: 0.5,
    torch: 'StepLR(gamma=…)',
  }),
  scheduleKey('exponential', 'gamma', 'number', {
    id: 'schedule-exponential-gamma',
    group: 'schedule',
    label: 'Factor γ',
    unit: '× rate after every update',
    initial: 0.99,
    torch: 'ExponentialLR(gamma=…)',
  }),
  scheduleKey('one_cycle', 'max_lr', 'optional-number', {
    id: 'schedule-max-lr',
    group: 'schedule',
    label: 'Peak rate',
    unit: 'empty = the learning rate',
    placeholder: 'learning rate',
    torch: 'OneCycleLR(max_lr=…)',
  }),
  scheduleKey('one_cycle', 'pct_start', 'number', {
    id: 'schedule-pct-start',
    group: 'schedule',
    label: 'Rising share',
    unit: 'of all updates (0 to 1)',
    initial: 0.3,
    torch: 'OneCycleLR(pct_start=…)',
  }),
  scheduleKey('one_cycle', 'div_factor', 'number', {
    id: 'schedule-div-factor',
    group: 'schedule',
    label: 'Start divisor',
    unit: 'start = peak / divisor',
    initial: 25,
    torch: 'OneCycleLR(div_factor=…)',
  }),
  scheduleKey('one_cycle', 'final_div_factor', 'number', {
    id: 'schedule-final-div-factor',
    group: 'schedule',
    label: 'Final divisor',
    unit: 'end = start / divisor',
    initial: 1e4,
    torch: 'OneCycleLR(final_div_factor=…)',
  }),
  scheduleKey('one_cycle', 'anneal', 'choice', {
    id: 'schedule-anneal',
    group: 'schedule',
    label: 'Shape',
    choices: [['cos', 'cosine'], ['linear', 'linear']],
    initial: 'cos',
    torch: 'OneCycleLR(anneal_strategy=…)',
  }),
  scheduleKey('one_cycle', 'cycle_momentum', 'bool', {
    id: 'schedule-cycle-momentum',
    group: 'schedule',
    label: 'Cycle momentum (or β₁) the other way',
    initial: true,
    torch: 'OneCycleLR(cycle_momentum=…)',
  }),
  scheduleKey('one_cycle', 'base_momentum', 'number', {
    id: 'schedule-base-momentum',
    group: 'schedule',
    label: 'Lowest momentum',
    unit: 'at the peak rate',
    initial: 0.85,
    torch: 'OneCycleLR(base_momentum=…)',
  }),
  scheduleKey('one_cycle', 'max_momentum', 'number', {
    id: 'schedule-max-momentum',
    group: 'schedule',
    label: 'Highest momentum',
    unit: 'at the start and end',
    initial: 0.95,
    torch: 'OneCycleLR(max_momentum=…)',
  }),

  // ---------- Batching ----------
  plain('epochs', 'int', {
    min: 1,
    id: 'epochs',
    group: 'batching',
    label: 'Epochs',
    unit: 'passes over the training split',
    torch: 'MAX_EPOCHS',
  }),
  plain('batch_size', 'int', {
    min: 1,
    id: 'batch-size',
    group: 'batching',
    label: 'Batch size',
    unit: 'samples per micro-batch',
    torch: 'DataLoader(batch_size=…)',
  }),
  plain('accumulation_steps', 'int', {
    min: 1,
    id: 'accumulation-steps',
    group: 'batching',
    label: 'Accumulation steps',
    unit: 'micro-batches per optimizer update',
    torch: 'ACCUM_STEPS: optimizer.step() every k backward passes',
  }),
  plain('drop_last', 'bool', {
    id: 'drop-last',
    group: 'batching',
    label: 'Drop the last incomplete batch',
    torch: 'DataLoader(drop_last=True)',
  }),
  plain('shuffle', 'bool', {
    id: 'shuffle',
    group: 'batching',
    label: 'Shuffle every epoch',
    torch: 'DataLoader(shuffle=True)',
  }),

  // ---------- Clipping ----------
  {
    id: 'clip-on',
    group: 'clipping',
    label: 'Clip the gradient norm',
    path: 'clip_norm',
    kind: 'bool',
    torch: 'nn.utils.clip_grad_norm_(model.parameters(), max_norm)',
    read: (config) => config.clip_norm !== null,
    write: (config, value) => {
      config.clip_norm = value ? (config.clip_norm ?? 1) : null;
    },
  },
  {
    id: 'clip-norm',
    group: 'clipping',
    label: 'Largest norm',
    unit: 'L2 norm over all weights',
    path: 'clip_norm',
    kind: 'number',
    initial: 1,
    torch: 'clip_grad_norm_(max_norm=…)',
    show: (config) => config.clip_norm !== null,
    read: (config) => config.clip_norm ?? undefined,
    write: (config, value) => {
      config.clip_norm = value;
    },
  },

  // ---------- Early stopping ----------
  {
    id: 'early-on',
    group: 'early',
    label: 'Stop when validation stops improving',
    path: 'early_stopping',
    kind: 'bool',
    torch: 'a patience counter on val_loss in the epoch loop',
    read: (config) => config.early_stopping !== null,
    write: (config, value) => {
      config.early_stopping = value
        ? (config.early_stopping ?? { patience: 10, restore_best: true })
        : null;
    },
  },
  {
    id: 'early-patience',
    group: 'early',
    label: 'Patience',
    unit: 'epochs without a lower validation loss',
    path: 'early_stopping.patience',
    min: 1,
    kind: 'int',
    initial: 10,
    torch: 'patience',
    show: (config) => config.early_stopping !== null,
    read: (config) => config.early_stopping?.patience,
    write: (config, value) => {
      config.early_stopping.patience = value;
    },
  },
  {
    id: 'early-restore',
    group: 'early',
    label: 'Put back the best epoch’s weights',
    path: 'early_stopping.restore_best',
    kind: 'bool',
    initial: true,
    torch: 'model.load_state_dict(best_state)',
    show: (config) => config.early_stopping !== null,
    read: (config) => config.early_stopping?.restore_best,
    write: (config, value) => {
      config.early_stopping.restore_best = value;
    },
  },

  // ---------- Landscape ----------
  plain('landscape.plane', 'choice', {
    id: 'landscape-plane',
    group: 'landscape',
    label: 'Plane',
    choices: [
      ['random', 'two random directions'],
      ['pca', 'the path’s principal components'],
      ['parameters', 'the two weights (2-weight models)'],
    ],
    torch: 'Li et al. 2018: random directions or PCA of the path',
  }),
  plain('landscape.resolution', 'int', {
    id: 'landscape-resolution',
    group: 'landscape',
    label: 'Resolution',
    unit: 'grid points per axis (3–201)',
    torch: 'loss evaluated at resolution² weight vectors',
  }),
  plain('landscape.range', 'number', {
    id: 'landscape-range',
    group: 'landscape',
    label: 'Half-width',
    unit: 'direction units: α, β from −r to r',
    torch: 'np.linspace(−r, r, resolution)',
  }),
  plain('landscape.normalization', 'choice', {
    id: 'landscape-normalization',
    group: 'landscape',
    label: 'Direction scaling',
    choices: [
      ['filter', 'per neuron (filter-normalized)'],
      ['layer', 'per layer'],
      ['model', 'whole model'],
      ['none', 'none'],
    ],
    torch: 'Li et al. 2018, filter normalization',
  }),
  plain('landscape.seed', 'int', {
    id: 'landscape-seed',
    group: 'landscape',
    label: 'Direction seed',
    unit: 'picks the random directions',
    torch: 'torch.randn_like(param) under this seed',
  }),
  plain('landscape.include_bias', 'bool', {
    id: 'landscape-include-bias',
    group: 'landscape',
    label: 'Move biases too',
    torch: 'Li et al. zero the biases’ directions by default',
  }),
  plain('landscape.data', 'choice', {
    id: 'landscape-data',
    group: 'landscape',
    label: 'Loss on',
    choices: [['train', 'training split'], ['val', 'validation split']],
    torch: 'the loader the surface is evaluated on',
  }),
  plain('landscape.orthogonalize', 'bool', {
    id: 'landscape-orthogonalize',
    group: 'landscape',
    label: 'Make the second direction orthogonal',
    torch: 'Gram–Schmidt on d₂',
  }),
]);

const OPTIMIZER_NAMES = Object.freeze(
  { sgd: 'SGD', adam: 'Adam', adamw: 'AdamW' });
const SCHEDULE_NAMES = Object.freeze({
  constant: 'constant rate',
  warmup_cosine: 'warmup + cosine',
  step: 'step decay',
  exponential: 'exponential decay',
  one_cycle: 'one cycle',
});

/** A one-line summary of a group's settings in `config`. */
export function groupSummary(group, config) {
  switch (group) {
    case 'data': {
      const source = String(config.data.source).replaceAll('_', ' ');
      return `${source}, ${Math.round(config.data.val_fraction * 100)} % ` +
        `validation, seed ${config.seed}`;
    }
    case 'model': {
      const widths = config.model.hidden.length > 0
        ? config.model.hidden.join('–')
        : 'linear';
      return `hidden ${widths}, ${config.model.activation}`;
    }
    case 'loss':
      return config.loss === null
        ? 'from the task'
        : String(config.loss).replaceAll('_', ' ');
    case 'optimizer': {
      const name = OPTIMIZER_NAMES[config.optimizer.name] ??
        config.optimizer.name;
      return `${name}, lr ${config.optimizer.lr}`;
    }
    case 'schedule':
      return SCHEDULE_NAMES[config.schedule.name] ?? config.schedule.name;
    case 'batching':
      return `${config.epochs} epochs, batch ${config.batch_size}` +
        (config.accumulation_steps > 1
          ? ` × ${config.accumulation_steps}`
          : '');
    case 'clipping':
      return config.clip_norm === null ? 'off' : `at ${config.clip_norm}`;
    case 'early':
      return config.early_stopping === null
        ? 'off'
        : `patience ${config.early_stopping.patience}`;
    case 'landscape':
      return `${config.landscape.plane} plane, ` +
        `${config.landscape.resolution}² points`;
    default:
      return '';
  }
}

export { numberText };
