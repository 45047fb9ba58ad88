// The batch calculator beside the batching settings: how many micro-batches
// and optimizer updates an epoch has, in total, and the effective batch size,
// without and with drop_last, counted by the engine (wasm batchCounts) the
// way PyTorch's DataLoader counts. The sample count starts at the run's
// training split and can be changed to answer any question, such as the
// source's: 10,000 samples at batch 32 are 313 micro-batches, 312 with
// drop_last.

const BATCHING_FIELDS = Object.freeze(
  ['epochs', 'batch-size', 'accumulation-steps']);

const ROWS = Object.freeze([
  ['micro_batches_per_epoch', 'Micro-batches per epoch'],
  ['updates_per_epoch', 'Optimizer updates per epoch'],
  ['total_updates', 'Optimizer updates in total'],
  ['effective_batch_size', 'Effective batch size'],
  ['last_micro_batch', 'Samples in the last micro-batch'],
]);

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `value` with its noun, singular for exactly one: "1 update", "3 updates". */
function count(value, noun, plural = `${noun}s`) {
  return `${integer.format(value)} ${value === 1 ? noun : plural}`;
}

function make(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, properties);
  node.append(...children);
  return node;
}

/** Builds the calculator in `container`; `wasm` provides batchCounts. */
export function createCalculator(container, wasm) {
  const heading = make('h3', {
    className: 'side-heading',
    textContent: 'What these settings mean',
  });
  const samples = make('input', {
    id: 'calc-samples',
    type: 'text',
    inputMode: 'numeric',
    autocomplete: 'off',
    spellcheck: false,
  });
  samples.setAttribute('aria-describedby', 'calc-samples-note');
  const samplesLabel = make('label', {
    htmlFor: 'calc-samples',
    textContent: 'Training samples',
  });
  const useRun = make('button', {
    type: 'button',
    className: 'link-button',
    id: 'calc-use-run',
  });
  const note = make('span', { id: 'calc-samples-note', className: 'unit' });
  const samplesRow = make('div', { className: 'calc-samples' },
    [samplesLabel, samples, useRun, note]);

  // The argument may break before its '=' on a phone, so the table fits.
  const argument = (value) =>
    make('code', {}, ['drop_last', make('wbr'), `=${value}`]);
  const cells = new Map();
  const headRow = make('tr', {}, [
    make('th', { scope: 'col', textContent: '' }),
    make('th', { scope: 'col', id: 'calc-head-kept' }, [
      'keep the last batch', make('br'), argument('False'),
    ]),
    make('th', { scope: 'col', id: 'calc-head-dropped' }, [
      'drop it', make('br'), argument('True'),
    ]),
  ]);
  const body = make('tbody');
  for (const [key, label] of ROWS) {
    const kept = make('td', { id: `calc-${key}-kept` });
    const dropped = make('td', { id: `calc-${key}-dropped` });
    cells.set(key, { kept, dropped });
    body.append(make('tr', {}, [
      make('th', { scope: 'row', textContent: label }), kept, dropped]));
  }
  const table = make('table', { className: 'calc-table', id: 'calculator' }, [
    make('caption', {
      className: 'visually-hidden',
      textContent: 'Batch counts without and with drop_last',
    }),
    make('thead', {}, [headRow]),
    body,
  ]);
  const formula = make('p', { className: 'calc-formula', id: 'calc-formula' });
  formula.setAttribute('aria-live', 'polite');
  container.append(heading, samplesRow, table, formula);

  let runSamples = null;
  let edited = false;
  let lastDraft = null;

  function show(draft, problems) {
    const blocked = problems.some((id) => BATCHING_FIELDS.includes(id));
    const n = Number(samples.value.trim());
    const usable = !blocked && /^\d+$/.test(samples.value.trim());
    const counts = usable
      ? JSON.parse(wasm.batchCounts(n, draft.batch_size,
        draft.accumulation_steps, draft.epochs))
      : null;
    const chosen = draft.drop_last ? 'dropped' : 'kept';
    table.dataset.chosen = chosen;

    for (const [key] of ROWS) {
      for (const column of ['kept', 'dropped']) {
        const result = counts?.[column];
        const value = result && result.error === undefined
          ? result[key]
          : null;
        cells.get(key)[column].textContent =
          value === null ? '–' : integer.format(value);
      }
    }
    const kept = counts?.kept;
    if (kept === undefined) {
      formula.textContent = 'Enter whole numbers to count the batches.';
    } else if (kept.error !== undefined) {
      formula.textContent = kept.error;
    } else {
      const micro = kept.micro_batches_per_epoch;
      const dropped = counts.dropped;
      const floor = dropped.error === undefined
        ? dropped.micro_batches_per_epoch
        : 0;
      // The effective batch is the nominal batch × accumulation steps; an
      // epoch with fewer samples than that gives each update all of them.
      // Why the drop_last column is empty.
      const noBatch = dropped.error === undefined
        ? ''
        : ` With drop_last=True: ${dropped.error}.`;
      const cap = kept.effective_batch_size > kept.samples_per_epoch
        ? ` The epoch has only ${count(kept.samples_per_epoch, 'sample')}, ` +
          'so an update sees at most that many, not the effective batch.'
        : '';
      formula.textContent =
        `⌈${integer.format(n)} / ${draft.batch_size}⌉ = ` +
        `${count(micro, 'micro-batch', 'micro-batches')} ` +
        `(⌊…⌋ = ${integer.format(floor)} with drop_last); ` +
        `⌈${integer.format(micro)} / ${draft.accumulation_steps}⌉ = ` +
        `${count(kept.updates_per_epoch, 'update')} per epoch; ` +
        `× ${count(draft.epochs, 'epoch')} = ` +
        `${count(kept.total_updates, 'update')}.${cap}${noBatch}`;
    }
  }

  function showRunNote() {
    useRun.hidden = !edited || runSamples === null;
    useRun.textContent = runSamples === null
      ? ''
      : `use this data’s ${integer.format(runSamples)}`;
    note.textContent = edited || runSamples === null
      ? ''
      : 'the training split of these settings';
  }

  samples.addEventListener('input', () => {
    edited = true;
    showRunNote();
    if (lastDraft) {
      show(lastDraft.draft, lastDraft.problems);
    }
  });
  useRun.addEventListener('click', () => {
    edited = false;
    if (runSamples !== null) {
      samples.value = String(runSamples);
    }
    showRunNote();
    if (lastDraft) {
      show(lastDraft.draft, lastDraft.problems);
    }
  });

  return {
    /** Recounts for a checked draft (see settings.js onDraft). */
    update({ draft, plan, problems }) {
      lastDraft = { draft, problems };
      if (plan !== null) {
        runSamples = plan.n_train;
        if (!edited) {
          samples.value = String(plan.n_train);
        }
      }
      showRunNote();
      show(draft, problems);
    },
  };
}
