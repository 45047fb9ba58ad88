// The diagnosis's verdicts by name, as the lab's diagnosis table names them,
// and the sentence shape its evidence and fixes are shown in. Shared by the
// lab's diagnosis panel and the log import.

/** The name shown before each verdict's evidence, by its stable code. */
export const VERDICT_NAMES = Object.freeze({
  normal: 'Normal training',
  too_early: 'Too early to tell',
  lr_too_high: 'Learning rate too high',
  overfitting_past_optimum: 'Overfitting, past the optimum',
  underfitting: 'Underfitting',
  overfitting_begins: 'Overfitting begins',
  diverged: 'Diverged',
});

/** `text` with a capital first letter and a full stop. */
export function sentence(text) {
  const trimmed = String(text).trim();
  if (trimmed === '') {
    return '';
  }
  const capital = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** A diagnosis as one line: the verdict's name, then its evidence. */
export function verdictLine(diagnosis) {
  const name = VERDICT_NAMES[diagnosis.code] ?? diagnosis.code;
  return `${name}: ${sentence(diagnosis.message)}`;
}
