// The learning-rate schedule of the settings in the form, drawn before any
// training: the engine computes the rate of every optimizer update (wasm
// scheduleCurve, at most MAX_POINTS of them evenly spaced) and the same Rust
// curve renderer as the live charts draws it (wasm drawCurve).

import { fitToScreen } from './dom.js';

const MAX_POINTS = 800;
const COLOURS = Object.freeze({ light: '#0072b2', dark: '#56b4e9' });

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function make(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, properties);
  node.append(...children);
  return node;
}

/** A learning rate in a short form: 0.001, 0.0005, 1.03e-6. */
function rateText(value) {
  if (value !== 0 && Math.abs(value) < 1e-4) {
    return value.toExponential(2).replace(/\.?0+e/, 'e');
  }
  return Number(value.toPrecision(3)).toString();
}

/**
 * Builds the preview in `container`; `wasm` provides scheduleCurve and
 * drawCurve; `onError(error)` hears drawing failures.
 */
export function createSchedulePreview(container, wasm, onError) {
  const canvas = make('canvas', {
    id: 'schedule-preview',
    className: 'canvas-preview',
  });
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label',
    'Preview of the learning rate for every optimizer update');
  const caption = make('p', {
    id: 'schedule-preview-caption',
    className: 'explain small',
  });
  caption.setAttribute('aria-live', 'polite');
  container.append(
    make('h3', {
      className: 'side-heading',
      textContent: 'The schedule before training',
    }),
    make('figure', { className: 'figure' }, [canvas, caption]),
  );

  let curve = null;
  let frameRequested = false;

  function draw() {
    frameRequested = false;
    // A closed group has no size; it is drawn when it opens.
    if (curve === null || canvas.clientWidth === 0) {
      return;
    }
    try {
      fitToScreen(canvas);
      const spec = {
        title: 'Learning rate per update (preview)',
        x_label: 'optimizer update',
        y_label: 'learning rate',
        x_range: curve.total_updates > 1 ? [0, curve.total_updates - 1] : null,
        series: [{
          label: '',
          color: darkQuery.matches ? COLOURS.dark : COLOURS.light,
          x: curve.updates,
          y: curve.lr,
        }],
        scale: window.devicePixelRatio || 1,
        dark: darkQuery.matches,
      };
      wasm.drawCurve(canvas, JSON.stringify(spec));
    } catch (error) {
      onError(error);
    }
  }

  function requestDraw() {
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(draw);
    }
  }

  new ResizeObserver(requestDraw).observe(canvas);
  darkQuery.addEventListener('change', requestDraw);

  function describe() {
    const rates = curve.lr;
    const parts = [
      `${integer.format(curve.total_updates)} optimizer updates`,
    ];
    if (curve.warmup_updates > 0) {
      parts.push(`warmup over the first ` +
        `${integer.format(curve.warmup_updates)}`);
    }
    if (rates.length > 0) {
      const peak = Math.max(...rates);
      parts.push(`starts at ${rateText(rates[0])}, peaks at ` +
        `${rateText(peak)}, ends at ${rateText(rates[rates.length - 1])}`);
    }
    return `${parts.join('; ')}.`;
  }

  return {
    /** Previews a checked draft's schedule (see settings.js onDraft). */
    update({ config }) {
      container.classList.toggle('stale', config === null);
      if (config === null) {
        caption.textContent =
          'Fix the marked setting to preview its schedule.';
        return;
      }
      try {
        curve = JSON.parse(wasm.scheduleCurve(JSON.stringify(config),
          MAX_POINTS));
      } catch (error) {
        onError(error);
        return;
      }
      caption.textContent = describe();
      requestDraw();
    },

    /** Redraws after the group opened or the page resized. */
    redraw: requestDraw,
  };
}
