import { randomBytes } from 'node:crypto';

/** `20261128T050000-a1b2c3`: sortable by start, unique enough for one destination's runs. */
export function newRunId(clock: () => number = Date.now): string {
  const stamp = new Date(clock()).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
