// The notice for an engine that panicked: a bug in the engine, never a bad
// setting (those are errors with their own messages). The worker's wasm
// instance is left mid-operation by a panic, so the worker is replaced; this
// notice says what happened, shows the engine's message as text, and offers
// the restart. The charts of the crashed run stay on screen until then.

const MAX_MESSAGE_CHARS = 2_000;

function make(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, properties);
  node.append(...children);
  return node;
}

/**
 * Builds the notice right after `anchor` (hidden until `show`); `onRestart`
 * is called when the restart button is pressed.
 */
export function createCrashNotice(anchor, onRestart) {
  const title = make('strong', {
    id: 'engine-crash-title',
    textContent: 'The training engine crashed.',
  });
  const explanation = make('p', {}, [
    title,
    ' This is a bug in Landscape Lab, not a problem with your settings or ' +
      'data. The charts show the run up to the crash. Restarting starts ' +
      'the same run again (same settings and seed) from update 0.',
  ]);
  const message = make('code', { id: 'engine-crash-message' });
  const details = make('p', {}, ['The engine’s message: ', message]);
  const restart = make('button', {
    type: 'button',
    id: 'engine-restart',
    className: 'button',
    textContent: 'Restart the engine',
  });
  const panel = make('section', {
    id: 'engine-crash',
    className: 'error crash',
    hidden: true,
  }, [explanation, details, restart]);
  panel.setAttribute('role', 'alert');
  panel.setAttribute('aria-labelledby', 'engine-crash-title');
  anchor.after(panel);

  restart.addEventListener('click', () => {
    panel.hidden = true;
    onRestart();
  });

  return {
    /** Shows the engine's panic message (as text, never markup). */
    show(text) {
      const flat = String(text);
      message.textContent = flat.length > MAX_MESSAGE_CHARS
        ? `${flat.slice(0, MAX_MESSAGE_CHARS)}…`
        : flat;
      panel.hidden = false;
      restart.focus();
    },

    hide() {
      panel.hidden = true;
    },
  };
}
