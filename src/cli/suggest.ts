import { editDistance } from '../edit-distance.js';

/** " (did you mean --start-date?)" for yargs' "Unknown argument: start_date", when an option is close. */
export function suggestOption(message: string, known: readonly string[]): string {
  const m = /^Unknown arguments?: (.+)$/.exec(message);
  if (!m) return '';
  const hints: string[] = [];
  for (const raw of m[1].split(', ')) {
    const name = raw.replace(/^-+/, '');
    const near = nearest(name, known);
    if (near !== undefined) hints.push(`--${name} -> --${near}`);
  }
  return hints.length === 0 ? '' : ` (did you mean: ${hints.join(', ')}?)`;
}

function nearest(name: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    if (k.length <= 1 || /[A-Z]/.test(k)) continue; // aliases and yargs' camelCase twins
    const d = k === name ? 0 : norm(k) === norm(name) ? 0.5 : editDistance(norm(name), norm(k));
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 4)) ? best : undefined;
}

/** " (did you mean run?)" for a mistyped command. */
export function suggestCommand(name: string, known: readonly string[]): string {
  const near = nearest(name, known);
  return near === undefined ? ` (commands: ${known.join(', ')})` : ` (did you mean ${near}?)`;
}
