/**
 * Phone normalization alone: 100k distinct caller numbers through E.164, cold cache each run, three ways:
 * the library's full parse for every number, the previous normalizer (a NANP text shortcut that still
 * asked the library's PhoneNumber.isValid), and today's E164Normalizer (phone-fastpath.ts). Standalone,
 * not part of bench/run.ts (whose tasks are pipeline runs in child processes):
 *
 *   npm run build && node dist/bench/tasks/phones.js [--repeat 5]
 */

import { pathToFileURL } from 'node:url';
import { PhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { E164Normalizer } from '../../connectors/callscaler/normalize/phone.js';
import { callerNumber, formatNanp, nanpDigits } from '../../connectors/callscaler/simulator/phones.js';
import { Rng } from '../../connectors/callscaler/simulator/prng.js';
import { median } from '../report.js';

const DISTINCT = 100_000;
const GENERATION = 10_000;

function fullParse(raw: string): string | null {
  const parsed = parsePhoneNumberFromString(raw, 'US');
  return parsed?.isValid() ? parsed.number : null;
}

const NANP_TEXT = /^(?:\+?1[ .-]?)?\(?([2-9]\d{2})\)?[ .-]?(\d{3})[ .-]?(\d{4})$/;

/** phone.ts before the fast path, kept here as the baseline. */
function previousParse(raw: string): string | null {
  const nanp = NANP_TEXT.exec(raw);
  if (nanp !== null) {
    const e164 = `+1${nanp[1]}${nanp[2]}${nanp[3]}`;
    if (new PhoneNumber(e164 as PhoneNumber['number']).isValid()) return e164;
  }
  return fullParse(raw);
}

/** The baselines get E164Normalizer's two-generation cache too, so only the parsing differs. */
function cached(parse: (raw: string) => string | null): (raw: string) => string | null {
  let current = new Map<string, string | null>();
  let previous = new Map<string, string | null>();
  return (raw) => {
    let e164 = current.get(raw);
    if (e164 !== undefined) return e164;
    e164 = previous.get(raw);
    if (e164 === undefined) e164 = parse(raw);
    current.set(raw, e164);
    if (current.size >= GENERATION) {
      previous = current;
      current = new Map();
    }
    return e164;
  };
}

const PATHS: Record<string, () => (raw: string) => string | null> = {
  library: () => cached(fullParse),
  previous: () => cached(previousParse),
  new: () => {
    const n = new E164Normalizer(GENERATION);
    return (raw) => n.toE164(raw);
  },
};

function distinct(rng: Rng, make: (rng: Rng) => string): string[] {
  const seen = new Set<string>();
  while (seen.size < DISTINCT) seen.add(make(rng));
  return [...seen];
}

/** Caller numbers as the simulator writes them: E.164, one of them valid; or its mix of formats. */
function datasets(seed: number): Record<string, string[]> {
  const rng = new Rng(seed);
  return {
    e164: distinct(rng.fork(1), (r) => formatNanp(nanpDigits(r), 'e164')),
    mixed: distinct(rng.fork(2), (r) => callerNumber(r, false)),
  };
}

function timeRun(make: () => (raw: string) => string | null, inputs: readonly string[]): [number, number] {
  const toE164 = make();
  let valid = 0;
  const t0 = performance.now();
  for (const raw of inputs) if (toE164(raw) !== null) valid++;
  return [performance.now() - t0, valid];
}

export function phoneBench(repeat: number): void {
  // A warm-up on other numbers: JIT and lazily compiled regexes, not the result cache, are warm below.
  for (const inputs of Object.values(datasets(1)))
    for (const make of Object.values(PATHS)) timeRun(make, inputs);
  const data = datasets(2026);
  const names = Object.keys(PATHS);
  for (const [set, inputs] of Object.entries(data)) {
    const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    const valid = new Set<number>();
    for (let round = 0; round < repeat; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const [ms, v] = timeRun(PATHS[name], inputs);
        times[name].push(ms);
        valid.add(v);
      }
    }
    // Every path must have done the same work: the same count of valid numbers.
    if (valid.size !== 1) throw new Error(`${set}: the paths disagree on how many numbers are valid`);
    const base = median(times.library) ?? Number.NaN;
    for (const name of names) {
      const ms = median(times[name]) ?? Number.NaN;
      process.stdout.write(
        `${set.padEnd(6)} ${name.padEnd(9)} ${inputs.length} distinct (${[...valid][0]} valid): ` +
          `median ${ms.toFixed(1)} ms of ${repeat} (${((ms * 1000) / inputs.length).toFixed(2)} µs/number, ` +
          `${(base / ms).toFixed(1)}x the library) [${times[name].map((t) => t.toFixed(0)).join(', ')}]\n`,
      );
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--repeat');
  phoneBench(i > 0 ? Number(process.argv[i + 1]) : 5);
}
