// The views a reader picks, kept in the link without their modules knowing:
// any control in index.html marked data-url-key="name" is saved under that
// name and restored from a link.
//
// - <input> (a slider) and <select>: their value. A restored value must be
//   one of the select's options, or a number within the slider's range.
// - role="tablist": the selected tab's data-view-tab (or id); restoring
//   clicks that tab, so the tab's own module opens it.
// - a checkbox: saved as "1" when ticked, left out of the link otherwise
//   (so a link without it unticks it).

const VALUE_PATTERN = /^[\w.-]{1,64}$/;

function controls() {
  return [...document.querySelectorAll('[data-url-key]')];
}

function tabValue(tab) {
  return tab.dataset.viewTab ?? tab.id;
}

function isCheckbox(control) {
  return control instanceof HTMLInputElement && control.type === 'checkbox';
}

/** The current value of a marked control, as text. */
function valueOf(control) {
  if (control.getAttribute('role') === 'tablist') {
    const selected = control.querySelector(
      '[role="tab"][aria-selected="true"]');
    return selected ? tabValue(selected) : null;
  }
  if (isCheckbox(control)) {
    return control.checked ? '1' : null;
  }
  return control.value;
}

/** Whether `text` is a value `control` accepts. */
function accepts(control, text) {
  if (!VALUE_PATTERN.test(text)) {
    return false;
  }
  if (control.getAttribute('role') === 'tablist') {
    return [...control.querySelectorAll('[role="tab"]')]
      .some((tab) => tabValue(tab) === text);
  }
  if (isCheckbox(control)) {
    return text === '1';
  }
  if (control instanceof HTMLSelectElement) {
    return [...control.options].some((option) => option.value === text);
  }
  if (control instanceof HTMLInputElement && control.type === 'range') {
    const value = Number(text);
    return Number.isFinite(value) && value >= Number(control.min) &&
      value <= Number(control.max);
  }
  return false;
}

/** Every marked control's value, by its key. */
export function readViews() {
  const values = {};
  for (const control of controls()) {
    const value = valueOf(control);
    if (value !== null) {
      values[control.dataset.urlKey] = value;
    }
  }
  return values;
}

/**
 * Sets the marked controls named in `values` (untrusted: from a link) and
 * lets their modules know, as if a person had chosen them. Unknown keys and
 * values a control does not offer are ignored.
 */
export function applyViews(values) {
  for (const control of controls()) {
    const text = values[control.dataset.urlKey];
    if (isCheckbox(control)) {
      // A link leaves out the boxes that were not ticked.
      const ticked = text === '1';
      if (control.checked !== ticked) {
        control.checked = ticked;
        control.dispatchEvent(new Event('change', { bubbles: true }));
      }
      continue;
    }
    if (text === undefined || text === valueOf(control) ||
        !accepts(control, text)) {
      continue;
    }
    if (control.getAttribute('role') === 'tablist') {
      [...control.querySelectorAll('[role="tab"]')]
        .find((tab) => tabValue(tab) === text).click();
    } else {
      control.value = text;
      control.dispatchEvent(new Event('input', { bubbles: true }));
      control.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }
}

/** Calls `onChange()` whenever a person changes a marked control. */
export function watchViews(onChange) {
  for (const control of controls()) {
    // Tabs switch by click and by the arrow keys.
    const kinds = control.getAttribute('role') === 'tablist'
      ? ['click', 'keyup']
      : ['change'];
    for (const kind of kinds) {
      control.addEventListener(kind, () => onChange());
    }
  }
}
