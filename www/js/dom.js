// Small DOM helpers every page module uses.

/** The element with `id`; a missing one is a bug in the page, said loudly. */
export function element(id) {
  const found = document.getElementById(id);
  if (!found) {
    throw new Error(`the page has no element #${id}`);
  }
  return found;
}

/**
 * Resizes the canvas's backing store to CSS size × devicePixelRatio; true when
 * the size changed.
 */
export function fitToScreen(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width === width && canvas.height === height) {
    return false;
  }
  canvas.width = width;
  canvas.height = height;
  return true;
}

// Classroom mode's type is 22 px against the page's 16 px; chart text, lines
// and margins grow by the same factor so they read from the back of a room.
// On a screen narrower than CLASSROOM_MIN_WIDTH_PX (a phone) neither grows:
// there is no room for it (style.css keeps the type as well).
const CLASSROOM_CHART_SCALE = 22 / 16;
const CLASSROOM_MIN_WIDTH_PX = 700;

/**
 * Device pixels per CSS pixel of chart text and lines: devicePixelRatio,
 * larger in classroom mode on a screen wide enough.
 */
export function chartScale() {
  const ratio = window.devicePixelRatio || 1;
  return document.body.classList.contains('classroom-on') &&
    window.innerWidth >= CLASSROOM_MIN_WIDTH_PX
    ? ratio * CLASSROOM_CHART_SCALE
    : ratio;
}

/** Calls `redraw` whenever classroom mode is switched on or off. */
export function onChartScaleChange(redraw) {
  let classroom = document.body.classList.contains('classroom-on');
  new MutationObserver(() => {
    const now = document.body.classList.contains('classroom-on');
    if (now !== classroom) {
      classroom = now;
      redraw();
    }
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
