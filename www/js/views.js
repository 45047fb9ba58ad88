// More views of the run, in tabs under the main panels: the map's grid as a
// 3-D surface (drag or use the arrow keys to rotate), the 1-D slices and the
// interpolation from the start, and what the network predicts. The 3-D view
// draws the map the worker already sent; slices and predictions are asked of
// the worker while their tab is open, at most once per REFRESH_MS.
//
// A view is drawn only while it is open and on screen: a new map or path
// that arrives while it is hidden or scrolled away only marks it out of date,
// and it is drawn once when it comes into view. (Drawing the 3-D surface for
// every map took most of the page's main-thread time during training.) On
// screen, the 3-D view follows new maps and paths at most once per
// FOLLOW_MS, each time in a task of its own rather than in the frame that
// draws the charts; turning it by hand redraws it at once.

import {
  chartScale, element, fitToScreen, onChartScaleChange,
} from './dom.js';

const REFRESH_MS = 900;
const FOLLOW_MS = 500;
const RADIANS_PER_CSS_PX = 0.01;
const RADIANS_PER_KEY = 0.08;
const DEFAULT_YAW = 0.75;
const DEFAULT_PITCH = 0.5;
const PITCH_RANGE = Object.freeze([0.05, 1.45]);

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

function theme() {
  return { scale: chartScale(), dark: darkQuery.matches };
}

function clamp(value, [low, high]) {
  return Math.min(high, Math.max(low, value));
}

/**
 * Creates the tabbed views. `wasm` holds drawSurface3d, drawSlices and
 * drawPrediction; `request(view)` asks the worker for a view's data;
 * `onError(error)` is told about drawing failures.
 */
export function createViews(wasm, request, onError) {
  const tabs = Array.from(document.querySelectorAll('[data-view-tab]'));
  const canvases = {
    surface3d: element('surface3d'),
    slices: element('slices'),
    prediction: element('prediction'),
  };
  const state = {
    open: 'surface3d',
    surface: null,
    path: new Float64Array(0),
    yaw: DEFAULT_YAW,
    pitch: DEFAULT_PITCH,
    data: { slices: null, prediction: null },
    stale: { slices: true, prediction: true },
    pending: { slices: false, prediction: false },
    lastRequestMs: { slices: -Infinity, prediction: -Infinity },
    lastSurfaceDrawMs: -Infinity,
    followTimer: null,
    frameRequested: false,
    // Whether each canvas intersects the viewport, and whether what it shows
    // is out of date.
    onScreen: { surface3d: false, slices: false, prediction: false },
    outdated: { surface3d: true, slices: true, prediction: true },
  };

  function draw() {
    state.frameRequested = false;
    const view = state.open;
    const canvas = canvases[view];
    if (canvas.clientWidth === 0) {
      return;
    }
    if (fitToScreen(canvas)) {
      state.outdated[view] = true;
    }
    if (!state.onScreen[view]) {
      return;
    }
    if (state.outdated[view]) {
      state.outdated[view] = false;
      try {
        if (view === 'surface3d') {
          // Its own task: the charts' drawing shares this frame.
          setTimeout(() => drawSurface(canvas), 0);
        } else if (state.data[view] !== null) {
          const draw = view === 'slices'
            ? wasm.drawSlices
            : wasm.drawPrediction;
          draw(canvas, state.data[view], JSON.stringify(theme()));
        }
      } catch (error) {
        onError(error);
      }
    }
    askIfStale();
  }

  /** Marks `views` out of date and draws the open one if it is among them. */
  function outdate(...views) {
    for (const view of views) {
      state.outdated[view] = true;
    }
    if (views.includes(state.open)) {
      requestDraw();
    }
  }

  const everyView = Object.keys(canvases);

  function requestDraw() {
    if (!state.frameRequested) {
      state.frameRequested = true;
      requestAnimationFrame(draw);
    }
  }

  /** Marks the 3-D view out of date for new data, at most once per FOLLOW_MS. */
  function follow() {
    state.outdated.surface3d = true;
    if (state.open !== 'surface3d' || state.followTimer !== null) {
      return;
    }
    const waitMs = state.lastSurfaceDrawMs + FOLLOW_MS - performance.now();
    state.followTimer = setTimeout(() => {
      state.followTimer = null;
      requestDraw();
    }, Math.max(0, waitMs));
  }

  function drawSurface(canvas) {
    state.lastSurfaceDrawMs = performance.now();
    const surface = state.surface;
    const meta = {
      alphas: surface ? surface.alphas : [],
      betas: surface ? surface.betas : [],
      rows_done: surface ? surface.betas.length : 0,
      center_loss: surface && Number.isFinite(surface.centerLoss)
        ? surface.centerLoss
        : null,
      title: surface
        ? `Loss surface around update ${surface.centerUpdate}`
        : 'Loss surface',
      yaw: state.yaw,
      pitch: state.pitch,
      // The mesh costs most of a frame; it returns when the drag ends.
      mesh: drag === null,
      ...theme(),
    };
    const loss = surface ? surface.loss : new Float64Array(0);
    try {
      wasm.drawSurface3d(canvas, loss, state.path, JSON.stringify(meta));
    } catch (error) {
      onError(error);
    }
    canvas.dataset.drawnUpdate = surface ? String(surface.centerUpdate) : '';
  }

  /**
   * Asks the worker for the open view's data when it is out of date and the
   * view is on screen.
   */
  function askIfStale() {
    const view = state.open;
    if (view === 'surface3d' || !state.stale[view] || state.pending[view] ||
        !state.onScreen[view]) {
      return;
    }
    const sinceMs = performance.now() - state.lastRequestMs[view];
    if (sinceMs < REFRESH_MS) {
      setTimeout(askIfStale, REFRESH_MS - sinceMs);
      return;
    }
    state.pending[view] = true;
    state.stale[view] = false;
    state.lastRequestMs[view] = performance.now();
    request(view);
  }

  function open(view) {
    state.open = view;
    for (const tab of tabs) {
      const selected = tab.dataset.viewTab === view;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      element(tab.getAttribute('aria-controls')).hidden = !selected;
    }
    requestDraw();
  }

  tabs.forEach((tab, index) => {
    tab.addEventListener('click', () => open(tab.dataset.viewTab));
    tab.addEventListener('keydown', (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (step) {
        const next = tabs[(index + step + tabs.length) % tabs.length];
        next.focus();
        open(next.dataset.viewTab);
      }
    });
  });

  // Drag to rotate: horizontal movement turns, vertical movement tilts.
  const surfaceCanvas = canvases.surface3d;
  let drag = null;
  surfaceCanvas.addEventListener('pointerdown', (event) => {
    drag = { x: event.clientX, y: event.clientY };
    surfaceCanvas.setPointerCapture(event.pointerId);
  });
  surfaceCanvas.addEventListener('pointermove', (event) => {
    if (drag === null) {
      return;
    }
    rotate(
      (event.clientX - drag.x) * RADIANS_PER_CSS_PX,
      (event.clientY - drag.y) * RADIANS_PER_CSS_PX,
    );
    drag = { x: event.clientX, y: event.clientY };
  });
  const endDrag = () => {
    drag = null;
    outdate('surface3d');
  };
  surfaceCanvas.addEventListener('pointerup', endDrag);
  surfaceCanvas.addEventListener('pointercancel', endDrag);
  surfaceCanvas.addEventListener('keydown', (event) => {
    const turns = {
      ArrowLeft: [-RADIANS_PER_KEY, 0],
      ArrowRight: [RADIANS_PER_KEY, 0],
      ArrowUp: [0, -RADIANS_PER_KEY],
      ArrowDown: [0, RADIANS_PER_KEY],
    }[event.key];
    if (turns) {
      event.preventDefault();
      rotate(...turns);
    }
  });

  function rotate(yawStep, pitchStep) {
    state.yaw += yawStep;
    state.pitch = clamp(state.pitch + pitchStep, PITCH_RANGE);
    surfaceCanvas.dataset.yaw = state.yaw.toFixed(3);
    surfaceCanvas.dataset.pitch = state.pitch.toFixed(3);
    outdate('surface3d');
  }

  const resizeObserver = new ResizeObserver(() => outdate(...everyView));
  const viewOf = new Map(
    Object.entries(canvases).map(([view, canvas]) => [canvas, view]));
  const visibility = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      state.onScreen[viewOf.get(entry.target)] = entry.isIntersecting;
    }
    requestDraw();
  });
  for (const canvas of Object.values(canvases)) {
    resizeObserver.observe(canvas);
    visibility.observe(canvas);
  }
  darkQuery.addEventListener('change', () => outdate(...everyView));
  onChartScaleChange(() => outdate(...everyView));
  open(state.open);

  return {
    /** Forgets the previous run's views. */
    reset() {
      state.surface = null;
      state.path = new Float64Array(0);
      state.data = { slices: null, prediction: null };
      state.stale = { slices: true, prediction: true };
      state.pending = { slices: false, prediction: false };
      outdate(...everyView);
    },

    /** The weights moved: slices and predictions are out of date. */
    weightsMoved() {
      state.stale.slices = true;
      state.stale.prediction = true;
      askIfStale();
    },

    /** A finished map (and the path on it) for the 3-D view. */
    setSurface(surface, path) {
      state.surface = surface;
      state.path = path;
      state.stale.slices = true;
      follow();
    },

    /** The path moved on the shown map. */
    setPath(path) {
      state.path = path;
      follow();
    },

    /** The data the worker computed for `view` (JSON text). */
    setData(view, json) {
      if (!(view in state.data)) {
        return;
      }
      state.data[view] = json;
      state.pending[view] = false;
      canvases[view].dataset.drawn = 'true';
      outdate(view);
    },
  };
}
