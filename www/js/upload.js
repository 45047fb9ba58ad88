// "Your own data": a CSV chosen or dropped in the data settings is read by
// the engine's own CSV reader (readCsv in the wasm module), on this page,
// and started as a run whose samples are written inline in its config. A
// file the reader refuses shows the reader's message; the run on screen is
// left alone.

import { element } from './dom.js';

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
  const targetSelect = element('csv-target');
  const status = element('csv-status');
  const problem = element('csv-message');
  // The text of the file last read well, to read again for another target.
  let loaded = null;

  // The box belongs with the data settings.
  document.querySelector('#group-data .group-body')?.append(box);

  function showProblem(text) {
    problem.textContent = text;
    problem.hidden = false;
  }

  /** The run config for `data` (the reader's), or a message. */
  function configFor(data) {
    const current = run() ?? {};
    const config = structuredClone(current);
    const valFraction = current.data?.val_fraction;
    config.data = {
      ...data,
      standardize: current.data?.standardize ?? true,
      ...(Number.isFinite(valFraction) ? { val_fraction: valFraction } : {}),
    };
    // The task's own loss; one chosen for other data may not fit.
    delete config.loss;
    const checked = JSON.parse(wasm.checkConfig(JSON.stringify(config)));
    return checked.valid ? { config: checked.config } : checked;
  }

  function use(name, text, target) {
    problem.hidden = true;
    let table;
    try {
      const options = target === null ? {} : { target };
      table = JSON.parse(wasm.readCsv(text, JSON.stringify(options)));
    } catch (error) {
      showProblem(`${name}: ${error.message ?? error}`);
      status.textContent = '';
      return;
    }
    const result = configFor(table.data);
    if (!result.config) {
      showProblem(`${name}: ${result.message}`);
      return;
    }
    loaded = { name, text };
    targetSelect.replaceChildren(...table.columns.map((column) => {
      const option = document.createElement('option');
      option.value = column;
      option.textContent = column;
      return option;
    }));
    targetSelect.value = table.target;
    targetSelect.disabled = false;
    status.textContent =
      `${name}: ${integer.format(table.rows)} rows, target ` +
      `“${table.target}”, read as ${table.task.replace('class', '-class')}` +
      (table.task === 'regression' ? '' : ' classification') + '.';
    onStart(result.config);
  }

  async function readFile(file) {
    if (!file) {
      return;
    }
    use(file.name, await file.text(), null);
  }

  picker.addEventListener('change', () => {
    readFile(picker.files[0]).finally(() => {
      picker.value = '';
    });
  });
  targetSelect.addEventListener('change', () => {
    if (loaded !== null) {
      use(loaded.name, loaded.text, targetSelect.value);
    }
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
