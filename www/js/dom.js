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
