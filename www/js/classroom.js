// Classroom mode and keyboard shortcuts.
//
// Classroom mode switches the page to large type for a projector and hides
// the parts of the page a teacher ticks (elements marked
// data-classroom-group="name", hidden by a checkbox marked
// data-hides="name"). The checkboxes carry data-url-key, so view-state.js
// keeps them in the link: a lesson can be run from a link with its controls
// hidden.
//
// Shortcuts act only when focus is outside text fields, so typing a
// setting never plays or resets the run.

import { element } from './dom.js';

// Elements whose own keys win: a space on an enabled button or a summary
// presses it, an arrow on a tab or the 3-D view moves it. Arrows on a
// button do nothing of their own, and a space on the run's own buttons
// (play, pause, step, reset; Enter still presses them) plays or pauses, so
// after a click on Pause or Step the shortcuts still work.
const OWN_SPACE_SELECTOR = 'button:enabled:not(#play, #pause, #step, ' +
  '#reset), summary, [role="tab"], canvas[tabindex]';
const OWN_ARROWS_SELECTOR = '[role="tab"], canvas[tabindex]';

/** Whether `event`'s key belongs to the element it was pressed in. */
function ownKey(event) {
  const target = event.target;
  if (!(target instanceof HTMLElement)) {
    return false;
  }
  // A key pressed just after a dialog closed can still reach the dialog's
  // hidden button before focus moves back to the page; it is the page's.
  if (target.closest('dialog') !== null &&
      target.closest('dialog[open]') === null) {
    return false;
  }
  if (target.isContentEditable || target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement ||
      target instanceof HTMLInputElement) {
    return true;
  }
  if (event.key === ' ') {
    return target.closest(OWN_SPACE_SELECTOR) !== null;
  }
  return event.key.startsWith('Arrow') &&
    target.closest(OWN_ARROWS_SELECTOR) !== null;
}

/** Clicks `button` if it is enabled; returns whether it did. */
function press(button) {
  if (button.disabled) {
    return false;
  }
  button.click();
  return true;
}

/**
 * Wires classroom mode and the shortcuts. `actions` has epoch() (one
 * epoch of updates) and landscape() (a new map now); play, pause, step
 * and reset press the page's own buttons.
 */
export function createClassroom(actions) {
  const toggle = element('classroom-mode');
  const hiders = [...document.querySelectorAll('[data-hides]')];
  const help = element('shortcut-help');
  const play = element('play');
  const pause = element('pause');
  const step = element('step');
  const reset = element('reset');

  function showMode() {
    const on = toggle.checked;
    document.body.classList.toggle('classroom-on', on);
    for (const hider of hiders) {
      const name = hider.dataset.hides;
      for (const part of document.querySelectorAll(
        `[data-classroom-group="${name}"]`)) {
        part.hidden = on && hider.checked;
      }
    }
  }
  for (const box of [toggle, ...hiders]) {
    box.addEventListener('change', showMode);
  }
  showMode();

  element('shortcut-help-close').addEventListener('click', () => {
    help.close();
  });

  const keys = {
    ' ': () => (play.getAttribute('aria-pressed') === 'true'
      ? press(pause)
      : press(play)),
    ArrowRight: (event) => (event.shiftKey
      ? !step.disabled && (actions.epoch(), true)
      : press(step)),
    r: () => press(reset),
    l: () => (actions.landscape(), true),
    '?': () => {
      if (!help.open) {
        help.showModal();
      }
      return true;
    },
  };

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || help.open ||
        ownKey(event)) {
      return;
    }
    const action = keys[event.key];
    if (action && action(event)) {
      event.preventDefault();
    }
  });
}
