// The "how sharp is this minimum" panel: on request the worker measures the
// top Hessian eigenvalue, the Hessian trace and ε-sharpness at the current
// weights, and how much of the path the shown map's plane holds.

import { element } from './dom.js';

const PLANE_NAMES = Object.freeze({
  random: 'the random plane',
  pca: 'the principal-components plane',
  parameters: 'the plane of the two parameters',
});

function fixed(value, digits) {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/**
 * Wires the button and the result list. `request()` asks the worker for the
 * measures; call `show(json)` with its answer.
 */
export function createCurvature(request) {
  const button = element('measure-curvature');
  const status = element('curvature-status');
  const fields = {
    lambda: element('curvature-lambda'),
    trace: element('curvature-trace'),
    eps: element('curvature-eps'),
    captured: element('curvature-captured'),
    offPlane: element('curvature-off-plane'),
  };

  button.addEventListener('click', () => {
    button.disabled = true;
    status.textContent = 'Measuring…';
    request();
  });

  function show(json) {
    button.disabled = false;
    const facts = JSON.parse(json);
    const sharp = facts.sharpness;
    fields.lambda.textContent = fixed(sharp.lambda_max, 4);
    fields.trace.textContent =
      `${fixed(sharp.trace, 3)} ± ${fixed(sharp.trace_std_error, 3)}`;
    fields.eps.textContent =
      `${fixed(sharp.eps_sharpness, 4)} (ε = ${sharp.eps})`;
    if (facts.captured_fraction === null) {
      fields.captured.textContent = 'no map yet';
      fields.offPlane.textContent = '–';
    } else {
      const plane = PLANE_NAMES[facts.plane] ?? 'the plane';
      fields.captured.textContent =
        `${fixed(100 * facts.captured_fraction, 1)} % on ${plane}`;
      fields.offPlane.textContent = fixed(facts.max_off_plane, 4);
    }
    status.textContent = `Measured at update ${facts.update}.`;
  }

  function fail() {
    button.disabled = false;
    status.textContent = 'The measurement failed; see the message above.';
  }

  return { show, fail };
}
