// "Your own data": a CSV chosen or dropped in the data settings is read by
// the engine's own CSV reader (readCsv in the wasm module), on this page.
// Before training, the user sees what the reader chose — the target column,
// the task it detected, the validation share — and may change each; the
// engine checks every choice as a run's start would (checkConfig) and its
// message shows beside the field. "Train on this file" starts a run whose
// samples are written inline in its config. A file the reader refuses shows
// the reader's message, and the run on screen is left alone.

import { element } from './dom.js';

const CHECK_DELAY_MS = 120;
const DEFAULT_VAL_FRACTION = 0.2;
const NUMBER_PATTERN = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const TASK_NAMES = Object.freeze({
  regression: 'regression',
  binary: 'binary classification',
  multiclass: 'multi-class classification',
});
// The engine's name for each choice, as its messages name it.
const FIELD_OF_PATH = Object.freeze({
  'data.target': 'target',
  'data.task': 'task',
  'data.val_fraction': 'valFraction',
});

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * Wires the upload box. `wasm` is the loaded module (readCsv,
 * checkConfig); `run()` is the running config (every key) or null;
 * `onStart(config)` restarts the run with a checked config.
 */
export function createUpload({ wasm, run, onStart }) {
  const box = element('csv-upload');
  const picker = element('csv-file');
  const dropZone = element('csv-drop');
  const choices = element('csv-choices');
  const detected = element('csv-task-detected');
  const train = element('csv-train');
  const status = element('csv-status');
  const problem = element('csv-message');
  const fields = {
    target: element('csv-target'),
    task: element('csv-task'),
    valFraction: element('csv-val-fraction'),
  };
  const messages = {
    target: element('csv-target-message'),
    task: element('csv-task-message'),
    valFraction: element('csv-val-fraction-message'),
  };

  // The file last read well: its name, its text (read again for another
  // target) and the reader's table.
  let loaded = null;
  // The run config of the current choices once the engine accepts it.
  let checked = null;
  // The choice changed last: an engine message naming no field (a target
  // the task cannot use, a split too small) is about it.
  let lastChanged = null;
  let timer = null;

  // The box belongs with the data settings.
  document.querySelector('#group-data .group-body')?.append(box);

  function showProblem(text) {
    problem.textContent = text;
    problem.hidden = false;
  }

  function clearMessages() {
    problem.hidden = true;
    problem.textContent = '';
    for (const [name, message] of Object.entries(messages)) {
      message.hidden = true;
      message.textContent = '';
      fields[name].removeAttribute('aria-invalid');
      fields[name].parentElement.classList.remove('invalid');
    }
  }

  /** Shows `text` beside choice `name`, or under the box without one. */
  function markInvalid(name, text) {
    if (name === null || name === undefined) {
      showProblem(`${loaded.name}: ${text}`);
      return;
    }
    messages[name].textContent = text;
    messages[name].hidden = false;
    fields[name].setAttribute('aria-invalid', 'true');
    fields[name].parentElement.classList.add('invalid');
  }

  /** The reader's table of `text` for `target` (null: the last column). */
  function readTable(text, target) {
    const options = target === null ? {} : { target };
    return JSON.parse(wasm.readCsv(text, JSON.stringify(options)));
  }

  /** The validation share typed, or {error}. */
  function valFraction() {
    const text = fields.valFraction.value.trim();
    const value = Number(text);
    if (!NUMBER_PATTERN.test(text) || !Number.isFinite(value)) {
      const shown = JSON.stringify(text);
      return { error: `data.val_fraction must be a number, got ${shown}` };
    }
    return { value };
  }

  /** The running run's settings with the file's samples and the choices. */
  function configFor(fraction) {
    const current = run() ?? {};
    const config = structuredClone(current);
    config.data = {
      ...loaded.table.data,
      task: fields.task.value,
      val_fraction: fraction,
      standardize: current.data?.standardize ?? true,
    };
    // The task's own loss; one chosen for other data may not fit.
    delete config.loss;
    return config;
  }

  /** Checks the choices with the engine; "Train" only for a good run. */
  function check() {
    timer = null;
    if (loaded === null) {
      return;
    }
    clearMessages();
    checked = null;
    train.disabled = true;
    const fraction = valFraction();
    if (fraction.error !== undefined) {
      markInvalid('valFraction', fraction.error);
      return;
    }
    const result = JSON.parse(
      wasm.checkConfig(JSON.stringify(configFor(fraction.value))));
    if (!result.valid) {
      markInvalid(FIELD_OF_PATH[result.field] ?? lastChanged, result.message);
      return;
    }
    checked = result.config;
    train.disabled = false;
  }

  function checkSoon() {
    if (timer !== null) {
      clearTimeout(timer);
    }
    timer = setTimeout(check, CHECK_DELAY_MS);
  }

  /** Shows the choices the reader made for `loaded`'s table. */
  function showTable() {
    const table = loaded.table;
    fields.target.replaceChildren(...table.columns.map((column) => {
      const option = document.createElement('option');
      option.value = column;
      option.textContent = column;
      return option;
    }));
    fields.target.value = table.target;
    fields.task.value = table.task;
    detected.textContent = `detected: ${TASK_NAMES[table.detected_task]}`;
    status.textContent =
      `${loaded.name}: ${integer.format(table.rows)} rows, target ` +
      `“${table.target}”, read as ${TASK_NAMES[table.task]}. Check the ` +
      'choices below, then train.';
  }

  /** A newly chosen file: read it and show the reader's choices. */
  function use(name, text) {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    clearMessages();
    let table;
    try {
      table = readTable(text, null);
    } catch (error) {
      // The choices belong to a file that is no longer the chosen one.
      loaded = null;
      checked = null;
      choices.hidden = true;
      train.disabled = true;
      status.textContent = '';
      showProblem(`${name}: ${error.message ?? error}`);
      return;
    }
    loaded = { name, text, table };
    lastChanged = null;
    const fraction = run()?.data?.val_fraction;
    fields.valFraction.value = String(
      Number.isFinite(fraction) ? fraction : DEFAULT_VAL_FRACTION);
    showTable();
    choices.hidden = false;
    check();
  }

  async function readFile(file) {
    if (!file) {
      return;
    }
    use(file.name, await file.text());
  }

  fields.target.addEventListener('change', () => {
    if (loaded === null) {
      return;
    }
    lastChanged = 'target';
    let table;
    try {
      table = readTable(loaded.text, fields.target.value);
    } catch (error) {
      clearMessages();
      checked = null;
      train.disabled = true;
      markInvalid('target', error.message ?? String(error));
      return;
    }
    // Another target may be another task: the reader detects it afresh.
    loaded = { ...loaded, table };
    showTable();
    check();
  });
  fields.task.addEventListener('change', () => {
    lastChanged = 'task';
    check();
  });
  fields.valFraction.addEventListener('input', () => {
    lastChanged = 'valFraction';
    checkSoon();
  });
  fields.valFraction.addEventListener('keydown', (event) => {
    // Enter trains on the file; it must not apply the settings form.
    if (event.key === 'Enter') {
      event.preventDefault();
      if (timer !== null) {
        clearTimeout(timer);
        check();
      }
      if (!train.disabled) {
        train.click();
      }
    }
  });
  // These choices are not the run's settings: the settings form around
  // them need not hear them.
  for (const type of ['input', 'change']) {
    choices.addEventListener(type, (event) => event.stopPropagation());
  }
  train.addEventListener('click', () => {
    // Checked again with the run's settings as they are now: other settings
    // may have changed since the choices were last checked.
    check();
    if (checked !== null) {
      onStart(checked);
      const table = loaded.table;
      status.textContent =
        `Training on ${loaded.name}: ${integer.format(table.rows)} rows, ` +
        `target “${table.target}”. The run calls its data “inline”.`;
    }
  });

  picker.addEventListener('change', () => {
    readFile(picker.files[0]).finally(() => {
      picker.value = '';
    });
  });
  for (const type of ['dragenter', 'dragover']) {
    dropZone.addEventListener(type, (event) => {
      event.preventDefault();
      dropZone.dataset.over = 'true';
    });
  }
  dropZone.addEventListener('dragleave', () => {
    delete dropZone.dataset.over;
  });
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    delete dropZone.dataset.over;
    readFile(event.dataTransfer?.files?.[0]);
  });
  box.dataset.ready = 'true';
}
