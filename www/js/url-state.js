// The page's state in its URL, so a link reproduces what was on screen:
//
//   #config={…}        every setting of the run (the engine's JSON, seed
//                      included), so the link replays it bit for bit
//   &open=settings,batching   the open settings sections
//   &speed=40          updates per second
//   &smoothing=0.6&view=slices   the views chosen (see view-state.js)
//   #preset=lr_too_high       a short link to a lesson (its full config)
//
// Older links with ?seed=7, ?plane=pca or ?config={…} in the query still
// work; the page then moves them into the hash.
//
// Nothing from the URL is trusted: an oversized, truncated or malformed
// hash gives notices (shown with textContent) and no state, never an
// exception. The engine checks the config's values itself.

/** Longest hash read; a config with inline samples can be long. */
export const MAX_HASH_CHARS = 200_000;
const MAX_SHOWN_CHARS = 80;
const LEGACY_KEYS = Object.freeze(['seed', 'plane', 'config']);
const NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
const SPEED_PATTERN = /^\d{1,4}$/;
const SEED_PATTERN = /^\d{1,16}$/;
const VIEW_VALUE_PATTERN = /^[\w.-]{1,64}$/;
const STATE_KEYS = Object.freeze(['config', 'preset', 'open', 'speed']);

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** At most MAX_SHOWN_CHARS of untrusted text, for a notice. */
function excerpt(text) {
  const flat = String(text).replace(/\s+/g, ' ');
  return flat.length > MAX_SHOWN_CHARS
    ? `${flat.slice(0, MAX_SHOWN_CHARS)}…`
    : flat;
}

/** A config object from JSON text, or a notice. */
function parseConfig(text, where) {
  let config;
  try {
    config = JSON.parse(text);
  } catch {
    return {
      notice: `The settings in the ${where} are not valid JSON ` +
        `(it may have been cut short): “${excerpt(text)}”.`,
    };
  }
  if (config === null || typeof config !== 'object' ||
      Array.isArray(config)) {
    return {
      notice: `The settings in the ${where} must be a JSON object, ` +
        `got “${excerpt(text)}”.`,
    };
  }
  return { config };
}

function emptyState() {
  return {
    config: null,
    preset: null,
    open: null,
    speed: null,
    views: {},
    notices: [],
    from: 'none',
  };
}

/** State from the hash (everything after '#'). */
function readHash(hash) {
  const state = { ...emptyState(), from: 'hash' };
  const params = new URLSearchParams(hash);

  const configText = params.get('config');
  if (configText !== null) {
    const parsed = parseConfig(configText, 'link');
    if (parsed.notice) {
      state.notices.push(parsed.notice);
    } else {
      state.config = parsed.config;
    }
  }

  const preset = params.get('preset');
  if (preset !== null) {
    if (NAME_PATTERN.test(preset)) {
      state.preset = preset;
    } else {
      state.notices.push(`The link names no known lesson: ` +
        `“${excerpt(preset)}”.`);
    }
  }

  const open = params.get('open');
  if (open !== null) {
    state.open = open.split(',').filter((name) => NAME_PATTERN.test(name));
  }

  const speed = params.get('speed');
  if (speed !== null && SPEED_PATTERN.test(speed)) {
    state.speed = Number(speed);
  }

  // Other keys name views; view-state.js checks each against its control.
  for (const [key, value] of params) {
    if (!STATE_KEYS.includes(key) && NAME_PATTERN.test(key) &&
        VIEW_VALUE_PATTERN.test(value)) {
      state.views[key] = value;
    }
  }
  return state;
}

/** State from the query of older links: ?seed=, ?plane=, ?config=. */
function readQuery(search) {
  const params = new URLSearchParams(search);
  if (!LEGACY_KEYS.some((key) => params.has(key))) {
    return emptyState();
  }
  const state = { ...emptyState(), from: 'query' };
  let config = {};

  const configText = params.get('config');
  if (configText !== null) {
    const parsed = parseConfig(configText, 'address');
    if (parsed.notice) {
      state.notices.push(parsed.notice);
      return state;
    }
    config = parsed.config;
  }

  const seed = params.get('seed');
  if (seed !== null) {
    if (SEED_PATTERN.test(seed) && Number.isSafeInteger(Number(seed))) {
      config.seed = Number(seed);
    } else {
      state.notices.push(`The seed in the address must be a whole number ` +
        `below 2^53, got “${excerpt(seed)}”.`);
    }
  }

  const plane = params.get('plane');
  if (plane !== null) {
    if (NAME_PATTERN.test(plane)) {
      const landscape = typeof config.landscape === 'object' &&
        config.landscape !== null ? config.landscape : {};
      config.landscape = { ...landscape, plane };
    } else {
      state.notices.push(`The map plane in the address is not a name: ` +
        `“${excerpt(plane)}”.`);
    }
  }
  state.config = config;
  return state;
}

/**
 * What the URL asks for: `{config, preset, open, speed, views, notices,
 * from}`. `config` is an unchecked object or null, `preset` a name or null,
 * `open` section names or null, `speed` a number or null, `views` view
 * names and values (unchecked); `notices` are sentences for the page;
 * `from` is "hash", "query" or "none".
 */
export function readUrlState(location = window.location) {
  const hash = location.hash.startsWith('#')
    ? location.hash.slice(1)
    : location.hash;
  if (hash.length > MAX_HASH_CHARS) {
    return {
      ...emptyState(),
      from: 'hash',
      notices: [`The link is too long to be a Landscape Lab link ` +
        `(${integer.format(hash.length)} characters; at most ` +
        `${integer.format(MAX_HASH_CHARS)}).`],
    };
  }
  if (hash.length > 0) {
    return readHash(hash);
  }
  return readQuery(location.search);
}

/**
 * The hash text for a state: config (every key), open sections, speed and
 * views ({name: value}).
 */
export function hashFor({ config, open, speed, views = {} }) {
  const params = new URLSearchParams();
  params.set('config', JSON.stringify(config));
  if (open && open.length > 0) {
    params.set('open', open.join(','));
  }
  if (Number.isFinite(speed)) {
    params.set('speed', String(speed));
  }
  for (const [key, value] of Object.entries(views)) {
    if (!STATE_KEYS.includes(key)) {
      params.set(key, value);
    }
  }
  return params.toString();
}

/**
 * Puts the state in the address bar without a reload or a history entry,
 * and drops the older query keys it replaces. Returns the full URL.
 */
export function writeUrlState(state) {
  const url = new URL(window.location.href);
  for (const key of LEGACY_KEYS) {
    url.searchParams.delete(key);
  }
  url.hash = hashFor(state);
  window.history.replaceState(null, '', url);
  return url.href;
}
