// The lesson picker: every preset of the engine (wasm presetsJson) with its
// title and its one-paragraph explanation. Choosing one starts its run; a
// run whose settings equal a preset's (any seed) shows that preset.

import { element } from './dom.js';

const CUSTOM = '';
const DIAGNOSIS_NAMES = Object.freeze({
  normal: 'normal training',
  overfitting_begins: 'overfitting begins',
  overfitting_past_optimum: 'overfitting past the optimum',
  underfitting: 'underfitting',
  lr_too_high: 'learning rate too high',
  diverged: 'diverged',
});

/** `config` as JSON without its seed, to compare settings. */
function withoutSeed(config) {
  const { seed: _seed, ...rest } = config;
  return JSON.stringify(rest);
}

/**
 * Fills #preset with the presets and wires it: `onChoose(preset)` starts a
 * preset's run. Returns the presets and a way to show the current run's.
 */
export function createLessons(wasm, onChoose) {
  const select = element('preset');
  const explanation = element('preset-explanation');
  const expected = element('preset-expected');
  const presets = JSON.parse(wasm.presetsJson());
  const byName = new Map(presets.map((preset) => [preset.name, preset]));
  const keys = new Map(presets.map((preset) =>
    [withoutSeed(preset.config), preset]));

  const custom = document.createElement('option');
  custom.value = CUSTOM;
  custom.textContent = 'Your own settings';
  select.append(custom);
  for (const preset of presets) {
    const option = document.createElement('option');
    option.value = preset.name;
    option.textContent = preset.title;
    select.append(option);
  }

  function show(preset) {
    select.value = preset ? preset.name : CUSTOM;
    explanation.textContent = preset
      ? preset.explanation
      : 'Settings of your own: change any of them under Settings, or pick ' +
        'a lesson to start from one of the source’s scenarios.';
    const name = preset ? DIAGNOSIS_NAMES[preset.expected_diagnosis] : null;
    expected.textContent = name ? `Expected diagnosis: ${name}.` : '';
    expected.hidden = !name;
  }

  select.addEventListener('change', () => {
    const preset = byName.get(select.value);
    if (preset) {
      onChoose(preset);
    }
  });
  select.disabled = false;

  return {
    /** The preset called `name`, or undefined. */
    find(name) {
      return byName.get(name);
    },

    /** Shows the preset whose settings equal `config`'s, if any. */
    showRun(config) {
      show(keys.get(withoutSeed(config)));
    },
  };
}
