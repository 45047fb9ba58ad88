// Taking the run away: a link that reproduces it, and downloads made in the
// browser (nothing is sent anywhere): the settings as JSON, the equivalent
// PyTorch script (also as a copy on the clipboard) and the samples it
// reads, the history as CSV with the command line's columns, the whole run
// as JSON, the map on screen as the command line's surface.json, and PNGs
// of the figures.

import { element } from './dom.js';

const COPIED_NOTE_MS = 4000;
const CANVAS_NAMES = Object.freeze({
  landscape: 'Loss landscape',
  'curve-loss': 'Loss curves',
  'curve-lr': 'Learning rate',
  'curve-gradnorm': 'Gradient norm',
  'schedule-preview': 'Schedule preview',
});

function make(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, properties);
  node.append(...children);
  return node;
}

/** Saves `blob` as `fileName` through a temporary link. */
function saveBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = make('a', { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference by now; the URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function saveText(text, fileName, type) {
  saveBlob(new Blob([text], { type: `${type};charset=utf-8` }), fileName);
}

/** The canvases worth saving: every drawn one on screen, in page order. */
function figureCanvases() {
  return [...document.querySelectorAll('canvas[id]')]
    .filter((canvas) => canvas.width > 1 && canvas.height > 1 &&
      canvas.checkVisibility());
}

function canvasName(canvas) {
  return CANVAS_NAMES[canvas.id] ??
    canvas.getAttribute('aria-label') ?? canvas.id;
}

/**
 * Wires #copy-link and the #downloads menu. `wasm` gives the PyTorch script
 * and the samples; `run()` returns the current run's config (or null);
 * `fromWorker(what)` resolves to the worker's text for "epochs-csv",
 * "updates-csv", "run-json" or "surface-json"; `onError(error)` shows a
 * failure.
 */
export function createExports({ wasm, run, fromWorker, onError }) {
  const copyLink = element('copy-link');
  const shareUrl = element('share-url');
  const shareStatus = element('share-status');
  const menu = element('downloads');
  const list = element('downloads-list');

  let noteTimer = null;
  function note(text) {
    shareStatus.textContent = text;
    if (noteTimer !== null) {
      clearTimeout(noteTimer);
    }
    noteTimer = setTimeout(() => {
      shareStatus.textContent = '';
    }, COPIED_NOTE_MS);
  }

  copyLink.addEventListener('click', async () => {
    const href = window.location.href;
    shareUrl.value = href;
    try {
      await navigator.clipboard.writeText(href);
      shareUrl.hidden = true;
      // A file's samples stay out of the link (see linkConfig in main.js).
      note(run()?.data?.source === 'inline'
        ? 'Link copied: it holds these settings, but not the file\'s ' +
          'samples; it opens them on the diabetes data.'
        : 'Link copied: it replays this run exactly.');
    } catch {
      // No clipboard (an insecure context, or permission refused): show
      // the link selected, ready to copy by hand.
      shareUrl.hidden = false;
      shareUrl.focus();
      shareUrl.select();
      note('Copy the selected link.');
    }
  });

  const configJson = () => {
    const config = run();
    if (config === null) {
      throw new Error('There is no run to export yet.');
    }
    return JSON.stringify(config);
  };

  /** The worker's text for `what`, once there is a run. */
  const fromRun = (what) => {
    configJson();
    return fromWorker(what);
  };

  const items = [
    ['Settings (JSON)', 'config-json', () => {
      saveText(`${JSON.stringify(JSON.parse(configJson()), null, 2)}\n`,
        'landscape-lab-config.json', 'application/json');
    }],
    ['PyTorch script (.py)', 'pytorch', () => {
      saveText(wasm.pytorchScript(configJson()), 'landscape_lab_run.py',
        'text/x-python');
    }],
    ['PyTorch script: copy to the clipboard', 'copy-pytorch', async () => {
      const script = wasm.pytorchScript(configJson());
      try {
        await navigator.clipboard.writeText(script);
        note('PyTorch script copied.');
      } catch {
        // Browsers give the clipboard only to https and localhost pages.
        note('No clipboard here: download the script instead.');
      }
    }],
    ['Samples for the script (CSV)', 'samples-csv', () => {
      const json = configJson();
      saveText(wasm.samplesCsv(json), wasm.dataFileName(json), 'text/csv');
    }],
    ['History per epoch (CSV)', 'epochs-csv', async () => {
      saveText(await fromRun('epochs-csv'), 'epochs.csv', 'text/csv');
    }],
    ['History per update (CSV)', 'updates-csv', async () => {
      saveText(await fromRun('updates-csv'), 'updates.csv', 'text/csv');
    }],
    ['The run: settings, summary, history (JSON)', 'run-json', async () => {
      saveText(await fromRun('run-json'), 'landscape-lab-run.json',
        'application/json');
    }],
    ['The loss landscape on screen (JSON)', 'surface-json', async () => {
      saveText(await fromRun('surface-json'), 'surface.json',
        'application/json');
    }],
  ];

  for (const [text, id, action] of items) {
    const button = make('button', {
      type: 'button',
      className: 'menu-item',
      id: `download-${id}`,
      textContent: text,
    });
    button.addEventListener('click', async () => {
      try {
        await action();
      } catch (error) {
        onError(error);
      }
    });
    list.append(make('li', {}, [button]));
  }

  // The figures change (other panels may add canvases), so their entries
  // are listed afresh each time the menu opens.
  const figures = make('ul', { className: 'menu-list', id: 'downloads-png' });
  list.after(make('p', {
    className: 'menu-heading',
    textContent: 'Figures (PNG)',
  }), figures);
  menu.addEventListener('toggle', () => {
    if (!menu.open) {
      return;
    }
    figures.replaceChildren(...figureCanvases().map((canvas) => {
      const button = make('button', {
        type: 'button',
        className: 'menu-item',
        textContent: canvasName(canvas),
      });
      button.dataset.canvas = canvas.id;
      button.addEventListener('click', () => {
        canvas.toBlob((blob) => {
          if (blob) {
            saveBlob(blob, `landscape-lab-${canvas.id}.png`);
          } else {
            onError(new Error(`#${canvas.id} could not be saved as PNG.`));
          }
        }, 'image/png');
      });
      return make('li', {}, [button]);
    }));
  });
  document.addEventListener('click', (event) => {
    if (menu.open && !menu.contains(event.target)) {
      menu.open = false;
    }
  });
  menu.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && menu.open) {
      menu.open = false;
      menu.querySelector('summary').focus();
    }
  });
}
