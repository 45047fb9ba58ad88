// The control bar: buttons, the speed slider, and the counters. It knows
// nothing of the worker; main.js passes callbacks in and state updates back.

import { element } from './dom.js';

const STATUS_TEXT = Object.freeze({
  loading: 'loading…',
  running: 'training',
  paused: 'paused',
  finished: 'finished',
  diverged: 'diverged',
});

/**
 * Wires the controls to `actions` ({play, pause, step, reset, newSeed,
 * speed(updatesPerSecond), plane(name)}) and returns an object to update
 * what they show.
 */
export function createControls(actions) {
  const play = element('play');
  const pause = element('pause');
  const step = element('step');
  const reset = element('reset');
  const newSeed = element('new-seed');
  const speed = element('speed');
  const speedValue = element('speed-value');
  const updateCount = element('update-count');
  const epochCount = element('epoch-count');
  const seed = element('seed');
  const runStatus = element('run-status');
  const plane = element('plane');

  play.addEventListener('click', () => actions.play());
  pause.addEventListener('click', () => actions.pause());
  step.addEventListener('click', () => actions.step());
  reset.addEventListener('click', () => actions.reset());
  newSeed.addEventListener('click', () => actions.newSeed());
  plane.addEventListener('change', () => actions.plane(plane.value));

  const showSpeed = () => {
    speedValue.textContent = `${speed.value} updates/s`;
  };
  speed.addEventListener('input', () => {
    showSpeed();
    actions.speed(Number(speed.value));
  });
  showSpeed();

  let loaded = false;

  return {
    /** The chosen pace in optimizer updates per second. */
    speed() {
      return Number(speed.value);
    },

    /** Moves the slider to `updatesPerSecond` (clamped to its range). */
    setSpeed(updatesPerSecond) {
      speed.value = String(updatesPerSecond);
      showSpeed();
    },

    /** Shows the map's plane ("random", "pca" or another the run uses). */
    showPlane(name) {
      if (![...plane.options].some((option) => option.value === name)) {
        const option = document.createElement('option');
        option.value = name;
        option.textContent = name;
        plane.append(option);
      }
      plane.value = name;
    },

    /** Shows the run's seed. */
    showSeed(value) {
      seed.textContent = String(value);
    },

    /** Shows the counters and enables the buttons that make sense now. */
    showCounts(counts) {
      loaded = true;
      updateCount.textContent =
        `${counts.updatesDone} / ${counts.totalUpdates}`;
      epochCount.textContent = `${counts.epochsDone} / ${counts.totalEpochs}`;
      const running = counts.status === 'running';
      const playState = counts.playing ? 'running' : 'paused';
      const key = running ? playState : counts.status;
      runStatus.textContent = STATUS_TEXT[key] ?? counts.status;
      // Play and pause stay enabled (so focus stays put); the pressed one
      // shows which state the run is in.
      play.disabled = !running;
      pause.disabled = !running;
      play.setAttribute('aria-pressed', String(running && counts.playing));
      pause.setAttribute('aria-pressed', String(running && !counts.playing));
      step.disabled = !running;
      reset.disabled = false;
      newSeed.disabled = false;
      plane.disabled = false;
    },

    /** Disables everything until the engine is ready (or after a failure). */
    disable(reason) {
      for (const control of [play, pause, step, reset, newSeed, plane]) {
        control.disabled = true;
      }
      runStatus.textContent = reason ?? STATUS_TEXT.loading;
      if (loaded) {
        reset.disabled = false;
        newSeed.disabled = false;
        plane.disabled = false;
      }
    },
  };
}
