// The comparison page's boot and flow: loads the wasm drawing functions and
// the presets, reads the link (#preset=NAME, or #a=JSON&b=JSON with
// optional &labels=A,B), and runs the comparison in workers: the full
// comparison and the spread's other seeds side by side. The results are
// drawn as they arrive; the spread table fills in seed by seed.

import init, * as wasm from '../pkg/landscape_lab.js';
import { createPool, poolSize } from './compare-pool.js';
import { createView, spreadVerdict } from './compare-view.js';
import { element } from './dom.js';

const DEFAULT_PRESET = 'flat_vs_sharp';
const CUSTOM = 'custom';
const SEEDS = 5;
const CUSTOM_LABELS = Object.freeze(['A', 'B']);
const CHECK_DELAY_MS = 300;
const BUILD_HINT =
  'Build it with: wasm-pack build --release --target web ' +
  '--out-dir www/pkg --no-typescript';

const STAGE_WORDS = Object.freeze({
  training: 'training',
  landscape: 'mapping the landscape of',
  measuring: 'measuring the curvature of',
  interpolating: 'interpolating between the minima',
  done: 'done',
});

const errorBox = document.getElementById('error');

function describeError(error) {
  if (error instanceof Error) {
    return error.message || String(error);
  }
  return typeof error === 'string' ? error : String(error);
}

function showError(error) {
  const text = describeError(error);
  console.error(text);
  errorBox.textContent = text;
  errorBox.hidden = false;
}

function clearError() {
  errorBox.textContent = '';
  errorBox.hidden = true;
}

window.addEventListener('error', (event) => {
  showError(event.error ?? event.message);
});
window.addEventListener('unhandledrejection', (event) => {
  showError(event.reason);
});

/** Seconds with one decimal, for timings. */
function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** What the link asks for: a preset name, or two configs and labels. */
function readHash() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  if (params.has('a') || params.has('b')) {
    const labels = (params.get('labels') ?? '').split(',');
    return {
      preset: CUSTOM,
      a: params.get('a') ?? '{}',
      b: params.get('b') ?? '{}',
      labels: labels.length === 2 ? labels : [...CUSTOM_LABELS],
    };
  }
  return { preset: params.get('preset') ?? DEFAULT_PRESET };
}

function writeHash(request) {
  const params = new URLSearchParams();
  if (request.preset === CUSTOM) {
    params.set('a', request.aText);
    params.set('b', request.bText);
    params.set('labels', request.labels.join(','));
  } else {
    params.set('preset', request.preset);
  }
  const hash = `#${params.toString()}`;
  if (window.location.hash !== hash) {
    history.replaceState(null, '', hash);
  }
}

async function boot() {
  try {
    await init();
  } catch (error) {
    throw new Error(`the engine did not load (${describeError(error)}). ` +
      BUILD_HINT);
  }
  const presets = JSON.parse(wasm.comparisonPresetsJson());
  const view = createView(wasm, showError);

  const select = element('comparison');
  const runButton = element('run');
  const explanation = element('comparison-explanation');
  const customForm = element('custom');
  const fields = {
    a: element('config-a'),
    b: element('config-b'),
    labelA: element('label-a'),
    labelB: element('label-b'),
  };
  const messages = {
    a: element('config-a-message'),
    b: element('config-b-message'),
    both: element('custom-message'),
  };
  const progressBar = element('progress');
  const progressText = element('progress-text');
  const spreadStatus = element('spread-status');
  const seedList = element('seed-list');
  const verdict = element('spread-verdict');
  const cliCommand = element('cli-command');
  const notice = element('notice-text');
  const xUnitRadios = document.querySelectorAll('input[name="x-unit"]');

  for (const preset of presets) {
    select.append(new Option(preset.title, preset.name));
  }
  select.append(new Option('Your own two configs…', CUSTOM));

  // One run of the page: the full comparison and the spread's seeds.
  let run = null;

  function seedItems(count, firstSeed) {
    const items = [];
    for (let offset = 0; offset < count; offset += 1) {
      const item = document.createElement('li');
      item.className = 'seed';
      item.dataset.state = 'waiting';
      item.textContent = `seed ${firstSeed + offset}`;
      items.push(item);
    }
    seedList.replaceChildren(...items);
    return items;
  }

  function setSeedState(index, state, note) {
    const item = seedList.children[index];
    if (!item) {
      return;
    }
    item.dataset.state = state;
    const seed = run.firstSeed + index;
    item.textContent = note ? `seed ${seed}: ${note}` : `seed ${seed}`;
  }

  function describeProgress(progress) {
    const words = STAGE_WORDS[progress.stage] ?? progress.stage;
    if (progress.stage === 'training') {
      return `${words} ${progress.label}: update ` +
        `${progress.done.toLocaleString('en-US')} of ` +
        `${progress.total.toLocaleString('en-US')}`;
    }
    if (progress.stage === 'landscape') {
      return `${words} ${progress.label}: row ${progress.done} of ` +
        `${progress.total}`;
    }
    return progress.label ? `${words} ${progress.label}` : words;
  }

  function updateSpread() {
    const pairs = run.pairs.filter((pair) => pair !== null);
    const done = pairs.length;
    spreadStatus.textContent = done === SEEDS ?
      `${SEEDS} of ${SEEDS} seeds done (${seconds(run.spreadMs)}).` :
      `${done} of ${SEEDS} seeds done; the table fills in as they finish.`;
    if (done === 0) {
      return;
    }
    const rows = JSON.parse(wasm.spreadRowsJson(JSON.stringify(pairs)));
    view.showSpread(rows);
    verdict.textContent = spreadVerdict(rows, run.labels);
  }

  const pool = createPool(poolSize(), {
    progress(index, progress) {
      if (!run) {
        return;
      }
      if (index === 0) {
        progressBar.value = progress.fraction;
        progressText.textContent = describeProgress(progress);
      }
      setSeedState(index, 'running',
        `${Math.round(progress.fraction * 100)} %`);
    },
    result(index, message) {
      if (!run) {
        return;
      }
      run.pairs[index] = message.metrics;
      setSeedState(index, 'done', 'done');
      if (index === 0) {
        run.comparisonMs = performance.now() - run.startedMs;
        progressBar.value = 1;
        progressText.textContent =
          `both runs trained and measured in ${seconds(run.comparisonMs)} ` +
          `(${poolSize()} worker${poolSize() === 1 ? '' : 's'})`;
        document.body.dataset.comparison = 'done';
        const xUnit = view.showComparison(message.view, message.surfaces);
        for (const radio of xUnitRadios) {
          radio.checked = radio.value === xUnit;
        }
      }
      if (run.pairs.every((pair) => pair !== null)) {
        run.spreadMs = performance.now() - run.startedMs;
        document.body.dataset.spread = 'done';
      }
      updateSpread();
    },
    error(index, text) {
      if (index !== null && run) {
        setSeedState(index, 'failed', 'failed');
      }
      showError(text);
      if (index === 0 || index === null) {
        progressText.textContent = 'stopped by the error above';
      }
    },
  });

  /** Starts both runs and the spread for a checked pair of configs. */
  function start(request) {
    clearError();
    notice.parentElement.hidden = true;
    view.clear();
    view.setLabels(request.labels);
    verdict.textContent = '';
    delete document.body.dataset.comparison;
    delete document.body.dataset.spread;
    const firstSeed = request.a.seed;
    run = {
      labels: request.labels,
      firstSeed,
      pairs: new Array(SEEDS).fill(null),
      startedMs: performance.now(),
      comparisonMs: null,
      spreadMs: null,
    };
    seedItems(SEEDS, firstSeed);
    progressBar.value = 0;
    progressText.textContent = 'starting the workers';
    spreadStatus.textContent = `0 of ${SEEDS} seeds done.`;
    const base = { a: request.a, b: request.b, labels: request.labels };
    const tasks = [];
    for (let offset = 0; offset < SEEDS; offset += 1) {
      tasks.push({ ...base, seedOffset: offset, withViews: offset === 0 });
    }
    pool.run(tasks);
  }

  function showPreset(preset) {
    explanation.textContent = preset.explanation;
    cliCommand.textContent =
      `landscape-lab compare --preset ${preset.name} --seeds ${SEEDS} ` +
      '--out DIR';
  }

  function runPreset(name) {
    const preset = presets.find((p) => p.name === name);
    if (!preset) {
      runPreset(DEFAULT_PRESET);
      const known = presets.map((p) => p.name).join(', ');
      notice.textContent = `The link names the comparison "${name}", ` +
        `which is unknown (known: ${known}); ${DEFAULT_PRESET} is shown ` +
        'instead.';
      notice.parentElement.hidden = false;
      return;
    }
    select.value = preset.name;
    customForm.hidden = true;
    showPreset(preset);
    writeHash({ preset: preset.name });
    start({ a: preset.a, b: preset.b, labels: preset.labels });
  }

  /** Checks the custom form with the engine; the configs, or null. */
  function checkCustom() {
    for (const message of Object.values(messages)) {
      message.hidden = true;
      message.textContent = '';
    }
    fields.a.removeAttribute('aria-invalid');
    fields.b.removeAttribute('aria-invalid');
    const result = JSON.parse(
      wasm.checkComparison(fields.a.value, fields.b.value));
    if (result.valid) {
      return result;
    }
    const box = messages[result.side ?? 'both'];
    box.textContent = result.message;
    box.hidden = false;
    if (result.side) {
      fields[result.side].setAttribute('aria-invalid', 'true');
    }
    return null;
  }

  function customLabels() {
    const names = [fields.labelA.value.trim(), fields.labelB.value.trim()];
    return names.map((name, side) =>
      name.replaceAll(',', ' ') || CUSTOM_LABELS[side]);
  }

  function runCustom() {
    const checked = checkCustom();
    if (!checked) {
      // A run of other settings must not go on under the form's message.
      pool.cancel();
      run = null;
      progressBar.value = 0;
      progressText.textContent = 'waiting for two valid configs';
      return;
    }
    const labels = customLabels();
    writeHash({
      preset: CUSTOM,
      aText: fields.a.value,
      bText: fields.b.value,
      labels,
    });
    explanation.textContent =
      `Your own comparison: ${labels[0]} against ${labels[1]}, both from ` +
      `seed ${checked.a.seed}. The seeds below say whether the differences ` +
      'hold beyond one seed.';
    cliCommand.textContent = 'landscape-lab compare --config A.json ' +
      `--config B.json --seeds ${SEEDS} --out DIR`;
    start({ a: checked.a, b: checked.b, labels });
  }

  /** Opens the custom form, filled with `a`, `b` and `labels`. */
  function openCustom(aText, bText, labels) {
    select.value = CUSTOM;
    customForm.hidden = false;
    fields.a.value = aText;
    fields.b.value = bText;
    [fields.labelA.value, fields.labelB.value] = labels;
    explanation.textContent =
      'Edit the two configs below, then check and run them.';
  }

  function pretty(config) {
    return JSON.stringify(config, null, 2);
  }

  function follow(request) {
    if (request.preset === CUSTOM) {
      openCustom(request.a, request.b, request.labels);
      runCustom();
    } else {
      runPreset(request.preset);
    }
  }

  select.addEventListener('change', () => {
    if (select.value === CUSTOM) {
      pool.cancel();
      const current = run ? presets.find((p) =>
        p.labels.join() === run.labels.join()) : null;
      const from = current ?? presets[0];
      openCustom(pretty(from.a), pretty(from.b), [...from.labels]);
      progressText.textContent = 'waiting for your configs';
      progressBar.value = 0;
      return;
    }
    runPreset(select.value);
  });
  runButton.addEventListener('click', () => {
    if (select.value === CUSTOM) {
      runCustom();
    } else {
      runPreset(select.value);
    }
  });
  customForm.addEventListener('submit', (event) => {
    event.preventDefault();
    runCustom();
  });
  let checkTimer = null;
  customForm.addEventListener('input', () => {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(checkCustom, CHECK_DELAY_MS);
  });
  for (const radio of xUnitRadios) {
    radio.addEventListener('change', () => view.setXUnit(radio.value));
  }
  window.addEventListener('hashchange', () => follow(readHash()));

  select.disabled = false;
  runButton.disabled = false;
  follow(readHash());
}

boot().catch(showError);
