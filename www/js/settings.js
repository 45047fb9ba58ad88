// The settings form: one field per RunConfig key (from fields.js), grouped in
// collapsible sections. Edits make a draft; every draft is checked by the
// engine itself (wasm checkConfig) and a problem is shown next to its field.
// Nothing reaches the running run until the draft is valid and applied.

import { FIELDS, GROUPS, groupSummary, numberText } from './fields.js';
import { element } from './dom.js';

const CHECK_DELAY_MS = 120;
const INT_PATTERN = /^\d+$/;
const NUMBER_PATTERN = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const STATUS = Object.freeze({
  inSync: 'These are the settings of the run on screen.',
  changed: 'Changed: apply to restart the run with these settings.',
  invalid: 'Fix the marked setting; the run on screen is unchanged.',
  applying: 'Restarting…',
});

function make(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, properties);
  node.append(...children);
  return node;
}

/** The value of a field's control, parsed, or {error}. */
function parseControl(field, control) {
  if (field.kind === 'bool') {
    return { value: control.checked };
  }
  if (field.kind === 'choice') {
    return { value: control.value };
  }
  const text = control.value.trim();
  const optional = field.kind.startsWith('optional-');
  if (text === '' && optional) {
    return { value: null };
  }
  const shown = JSON.stringify(text);
  if (field.kind === 'widths') {
    const parts = text === '' ? [] : text.split(/[\s,]+/).filter(Boolean);
    // "4,,4" or a trailing comma is a missing width, not a typo to skip.
    const emptyPart = /,\s*,|^\s*,|,\s*$/.test(text);
    if (emptyPart || !parts.every((part) => INT_PATTERN.test(part))) {
      return {
        error: `${field.path} must be whole numbers separated by commas, ` +
          `got ${shown}`,
      };
    }
    return { value: parts.map(Number) };
  }
  if (field.kind.endsWith('int')) {
    // The engine's own words for a whole number below the minimum.
    const min = field.min ?? 0;
    if (/^-\d+$/.test(text) || (INT_PATTERN.test(text) && Number(text) < min)) {
      return { error: `${field.path} must be at least ${min}, got ${text}` };
    }
    if (!INT_PATTERN.test(text)) {
      return {
        error: `${field.path} must be a whole number ≥ ${min}, got ${shown}`,
      };
    }
    if (!Number.isSafeInteger(Number(text))) {
      return {
        error: `${field.path} must be at most ${Number.MAX_SAFE_INTEGER}, ` +
          `got ${text}`,
      };
    }
    return { value: Number(text) };
  }
  const value = Number(text);
  if (!NUMBER_PATTERN.test(text) || !Number.isFinite(value)) {
    return { error: `${field.path} must be a number, got ${shown}` };
  }
  return { value };
}

/** The control of a field, and the row around it. */
function buildField(field) {
  const controlId = `field-${field.id}`;
  const unitId = `${controlId}-unit`;
  const torchId = `${controlId}-torch`;
  const messageId = `${controlId}-message`;
  const torchText = `PyTorch: ${field.torch}`;
  const row = make('div', { className: `field field-${field.kind}` });
  row.dataset.field = field.id;
  row.title = torchText;

  let control;
  if (field.kind === 'bool') {
    control = make('input', { type: 'checkbox' });
  } else if (field.kind === 'choice') {
    control = make('select');
  } else {
    const numeric = field.kind.endsWith('int') ? 'numeric' : 'decimal';
    control = make('input', {
      type: 'text',
      inputMode: field.kind === 'widths' ? 'text' : numeric,
      autocomplete: 'off',
      spellcheck: false,
      placeholder: field.placeholder ?? '',
    });
  }
  control.id = controlId;
  control.name = field.id;
  const described = [torchId, messageId];
  if (field.unit) {
    described.unshift(unitId);
  }
  control.setAttribute('aria-describedby', described.join(' '));

  const label = make('label', { htmlFor: controlId, textContent: field.label });
  const torch = make('span', {
    id: torchId,
    className: 'visually-hidden',
    textContent: torchText,
  });
  const message = make('p', {
    id: messageId,
    className: 'field-message',
    hidden: true,
  });
  if (field.kind === 'bool') {
    row.append(make('span', { className: 'check' }, [control, label]));
  } else {
    row.append(label, control);
  }
  if (field.unit) {
    row.append(make('span', {
      id: unitId,
      className: 'unit',
      textContent: field.unit,
    }));
  }
  row.append(torch, message);
  return { field, row, control, message };
}

function setChoices(control, choices) {
  const current = control.value;
  control.replaceChildren(...choices.map(([value, text]) =>
    make('option', { value, textContent: text })));
  if (choices.some(([value]) => value === current)) {
    control.value = current;
  }
}

/** Shows `value` (from a config) in a field's control. */
function showValue(entry, value) {
  const { field, control } = entry;
  if (field.kind === 'bool') {
    control.checked = Boolean(value);
  } else if (field.kind === 'choice') {
    const text = String(value);
    if (![...control.options].some((option) => option.value === text)) {
      control.append(make('option', { value: text, textContent: text }));
    }
    control.value = text;
  } else {
    control.value = numberText(value);
  }
}

/** The visible field an engine message about `path` belongs to. */
function fieldForPath(entries, path) {
  const visible = entries.filter((entry) => !entry.row.hidden);
  const candidates = (wanted) => visible.filter(
    (entry) => entry.field.path === wanted);
  const best = (list) =>
    list.find((entry) => entry.field.kind !== 'bool') ?? list[0];
  return best(candidates(path)) ??
    best(candidates(path.replace(/\[\d+\]$/, ''))) ??
    best(visible.filter((entry) => path.startsWith(`${entry.field.path}.`)));
}

/**
 * Builds the form in #settings-groups. `wasm` is the loaded module
 * (checkConfig); `onApply(config)` starts a run with a checked config;
 * `onDraft({config, plan, problems})` hears every checked draft (config and
 * plan are null while it is invalid); `onToggle()` hears a group opening or
 * closing.
 */
export function createSettings({ wasm, onApply, onDraft, onToggle }) {
  const panel = element('settings-panel');
  const form = element('settings-form');
  const groupsBox = element('settings-groups');
  const status = element('settings-status');
  const formMessage = element('settings-message');
  const apply = element('settings-apply');
  const revert = element('settings-revert');
  const summary = element('settings-summary');

  const groups = new Map();
  for (const group of GROUPS) {
    const title = make('span', {
      className: 'group-title',
      textContent: group.title,
    });
    const brief = make('span', { className: 'group-summary' });
    const fields = make('div', { className: 'group-fields' });
    const side = make('div', { className: 'group-side' });
    const body = make('div', { className: 'group-body' },
      group.wide ? [fields, side] : [fields]);
    const details = make('details', {
      className: group.wide ? 'group group-wide' : 'group',
      id: `group-${group.id}`,
    }, [make('summary', {}, [title, brief]), body]);
    details.dataset.group = group.id;
    details.addEventListener('toggle', () => onToggle?.());
    groupsBox.append(details);
    groups.set(group.id, { details, brief, fields, side });
  }

  const entries = FIELDS.map(buildField);
  for (const entry of entries) {
    groups.get(entry.field.group).fields.append(entry.row);
    if (Array.isArray(entry.field.choices)) {
      setChoices(entry.control, entry.field.choices);
    }
    if (entry.field.initial !== undefined) {
      showValue(entry, entry.field.initial);
    }
  }

  let applied = null;
  let checked = null;
  let applying = false;
  let timer = null;

  function clearMessages() {
    for (const entry of entries) {
      entry.message.hidden = true;
      entry.message.textContent = '';
      entry.control.removeAttribute('aria-invalid');
      entry.row.classList.remove('invalid');
    }
    formMessage.textContent = '';
    formMessage.hidden = true;
  }

  function markInvalid(entry, text) {
    entry.message.textContent = text;
    entry.message.hidden = false;
    entry.control.setAttribute('aria-invalid', 'true');
    entry.row.classList.add('invalid');
    // A problem in a closed group would be invisible.
    groups.get(entry.field.group).details.open = true;
  }

  /** The config the form shows, and the fields it could not read. */
  function buildDraft() {
    const draft = structuredClone(applied);
    const problems = [];
    for (const entry of entries) {
      const { field } = entry;
      const visible = field.show ? field.show(draft) : true;
      entry.row.hidden = !visible;
      if (!visible) {
        continue;
      }
      const parsed = parseControl(field, entry.control);
      if (parsed.error !== undefined) {
        problems.push({ entry, message: parsed.error });
      } else {
        field.write(draft, parsed.value);
      }
    }
    return { draft, problems };
  }

  function showSummaries(config) {
    for (const [id, group] of groups) {
      group.brief.textContent = groupSummary(id, config);
    }
    summary.textContent = ['optimizer', 'schedule', 'batching', 'data']
      .map((id) => groupSummary(id, config)).join(' · ');
  }

  function setStatus(text, state) {
    status.textContent = text;
    panel.dataset.state = state;
  }

  /** Checks the form with the engine and shows the outcome. */
  function check() {
    timer = null;
    if (applied === null) {
      return;
    }
    clearMessages();
    const { draft, problems } = buildDraft();
    showSummaries(draft);
    checked = null;

    for (const problem of problems) {
      markInvalid(problem.entry, problem.message);
    }
    // Fields that could not be read keep the run's values in the draft, so
    // the engine still judges every other field.
    const result = JSON.parse(wasm.checkConfig(JSON.stringify(draft)));
    if (result.valid && problems.length === 0) {
      checked = result;
    } else if (!result.valid) {
      const entry = result.field === null
        ? undefined
        : fieldForPath(entries, result.field);
      if (entry === undefined) {
        formMessage.textContent = result.message;
        formMessage.hidden = false;
      } else if (!problems.some((problem) => problem.entry === entry)) {
        markInvalid(entry, result.message);
      }
      problems.push({ entry, message: result.message });
    }

    const dirty = checked !== null &&
      JSON.stringify(checked.config) !== JSON.stringify(applied);
    apply.disabled = checked === null || !dirty || applying;
    revert.disabled = !dirty && problems.length === 0;
    if (applying) {
      setStatus(STATUS.applying, 'applying');
    } else if (checked === null) {
      setStatus(STATUS.invalid, 'invalid');
    } else {
      setStatus(dirty ? STATUS.changed : STATUS.inSync,
        dirty ? 'changed' : 'in-sync');
    }
    onDraft?.({
      config: checked?.config ?? null,
      plan: checked?.plan ?? null,
      draft,
      problems: problems.map((problem) => problem.entry?.field.id ?? null),
    });
  }

  function scheduleCheck() {
    if (timer !== null) {
      clearTimeout(timer);
    }
    timer = setTimeout(check, CHECK_DELAY_MS);
  }

  form.addEventListener('input', scheduleCheck);
  form.addEventListener('change', () => {
    // Choices and check boxes change what is shown: no delay.
    if (timer !== null) {
      clearTimeout(timer);
    }
    check();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (timer !== null) {
      clearTimeout(timer);
      check();
    }
    if (checked === null || apply.disabled) {
      return;
    }
    applying = true;
    apply.disabled = true;
    setStatus(STATUS.applying, 'applying');
    onApply(checked.config);
  });
  revert.addEventListener('click', () => {
    if (applied !== null) {
      load(applied);
    }
  });
  panel.addEventListener('toggle', () => onToggle?.());

  /** Shows `config` (the running run's, every key present) in the form. */
  function load(config) {
    applied = structuredClone(config);
    applying = false;
    for (const entry of entries) {
      if (typeof entry.field.choices === 'function') {
        setChoices(entry.control, entry.field.choices(config));
      }
      const value = entry.field.read(config);
      if (value !== undefined) {
        showValue(entry, value);
      }
    }
    if (timer !== null) {
      clearTimeout(timer);
    }
    check();
  }

  return {
    load,

    /** The element beside a wide group's fields, for a side panel. */
    side(groupId) {
      return groups.get(groupId).side;
    },

    /** Ids of the open sections: "settings" and the open groups. */
    openSections() {
      const open = panel.open ? ['settings'] : [];
      for (const [id, group] of groups) {
        if (group.details.open) {
          open.push(id);
        }
      }
      return open;
    },

    /** Opens exactly the sections named in `ids` (see openSections). */
    setOpenSections(ids) {
      panel.open = ids.includes('settings');
      for (const [id, group] of groups) {
        group.details.open = ids.includes(id);
      }
    },

    /** Names of every section setOpenSections knows. */
    sectionNames() {
      return ['settings', ...groups.keys()];
    },
  };
}
