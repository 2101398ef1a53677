/**
 * Fault switches: what goes wrong, and on which API request (counted 1-based in arrival order).
 * Patches are validated so a typo in a test or in `POST /_sim/faults` fails loudly instead of silently
 * switching nothing on.
 */
import { SimApiError } from './errors.js';
import type { CsvVariant, FaultPatch, FaultSwitches } from './types.js';

export const DEFAULT_CSV: CsvVariant = {
  headers: 'snake',
  bom: false,
  lineEnding: '\r\n',
  booleans: 'truefalse',
  lists: 'json',
  textColumns: true,
};

/** Recordings over this size are streamed in pieces even without the drip or no-length switches. */
export const DEFAULT_RECORDING_CHUNK_BYTES = 64 * 1024;
/** A cap on recordingBytes, so a typo cannot make the simulator allocate gigabytes. */
export const MAX_RECORDING_BYTES = 1 << 30;

export function defaultFaults(): FaultSwitches {
  return {
    latencyMs: 0,
    rateLimitEvery: 0,
    retryAfterSeconds: 1,
    failAtRequests: [],
    failStatus: 503,
    resetAtRequests: [],
    hangAtRequests: [],
    hangMs: 10_000,
    truncateAtRequests: [],
    malformedAtRequests: [],
    csv: { ...DEFAULT_CSV },
    batchShape: 'calls',
    recordingFormat: 'wav',
    recordingNoLength: false,
    recordingBytes: 0,
    recordingDelayMs: 0,
    recordingChunkBytes: DEFAULT_RECORDING_CHUNK_BYTES,
  };
}

const NUMBER_KEYS = [
  'latencyMs',
  'rateLimitEvery',
  'retryAfterSeconds',
  'failStatus',
  'hangMs',
  'recordingBytes',
  'recordingDelayMs',
  'recordingChunkBytes',
] as const;
type ChoiceKey = 'batchShape' | 'recordingFormat' | 'recordingNoLength';
const CHOICES: { [K in ChoiceKey]: readonly FaultSwitches[K][] } = {
  batchShape: ['calls', 'array'],
  recordingFormat: ['wav', 'mp3', 'ogg', 'mixed'],
  recordingNoLength: [true, false],
};
const LIST_KEYS = [
  'failAtRequests',
  'resetAtRequests',
  'hangAtRequests',
  'truncateAtRequests',
  'malformedAtRequests',
] as const;
const CSV_CHOICES: { [K in keyof CsvVariant]: readonly CsvVariant[K][] } = {
  headers: ['snake', 'human', 'upper'],
  bom: [true, false],
  lineEnding: ['\n', '\r\n'],
  booleans: ['truefalse', 'yesno', '10'],
  lists: ['json', 'semicolon', 'semicolon-space', 'comma'],
  textColumns: [true, false],
};

function bad(message: string): SimApiError {
  return new SimApiError(400, 'invalid_faults', message);
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** Returns `current` with `patch` merged in (csv merged field by field); throws on unknown or bad values. */
export function mergeFaults(current: FaultSwitches, patch: unknown): FaultSwitches {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
    throw bad('faults: expected an object');
  const next: FaultSwitches = { ...current, csv: { ...current.csv } };
  for (const [key, value] of Object.entries(patch as FaultPatch)) {
    if (value === undefined) continue;
    if ((NUMBER_KEYS as readonly string[]).includes(key)) {
      if (!isCount(value)) throw bad(`faults.${key}: expected a non-negative integer`);
      (next as unknown as Record<string, number>)[key] = value;
    } else if ((LIST_KEYS as readonly string[]).includes(key)) {
      if (!Array.isArray(value) || !value.every((n) => isCount(n) && n > 0)) {
        throw bad(`faults.${key}: expected an array of request numbers (1-based)`);
      }
      (next as unknown as Record<string, number[]>)[key] = [...value];
    } else if (Object.hasOwn(CHOICES, key)) {
      const choices = CHOICES[key as ChoiceKey] as readonly unknown[];
      if (!choices.includes(value)) throw bad(`faults.${key}: expected one of ${JSON.stringify(choices)}`);
      (next as unknown as Record<string, unknown>)[key] = value;
    } else if (key === 'csv') {
      if (typeof value !== 'object' || value === null) throw bad('faults.csv: expected an object');
      for (const [ck, cv] of Object.entries(value)) {
        if (!Object.hasOwn(CSV_CHOICES, ck)) throw bad(`faults.csv.${ck}: unknown setting`);
        const choices = CSV_CHOICES[ck as keyof CsvVariant] as readonly unknown[];
        if (!choices.includes(cv)) throw bad(`faults.csv.${ck}: expected one of ${JSON.stringify(choices)}`);
        (next.csv as unknown as Record<string, unknown>)[ck] = cv;
      }
    } else {
      throw bad(`faults.${key}: unknown switch`);
    }
  }
  if (next.failStatus < 400 || next.failStatus > 599) throw bad('faults.failStatus: expected 400..599');
  if (next.recordingChunkBytes < 1) throw bad('faults.recordingChunkBytes: expected at least 1');
  if (next.recordingBytes > MAX_RECORDING_BYTES) {
    throw bad(`faults.recordingBytes: expected at most ${MAX_RECORDING_BYTES}`);
  }
  return next;
}

/** What happens to API request number `n`. */
export interface FaultPlan {
  reset: boolean;
  hangMs: number;
  latencyMs: number;
  rateLimited: boolean;
  failStatus: number | null;
  truncate: boolean;
  malformed: boolean;
}

export function planFor(n: number, f: FaultSwitches): FaultPlan {
  return {
    reset: f.resetAtRequests.includes(n),
    hangMs: f.hangAtRequests.includes(n) ? f.hangMs : 0,
    latencyMs: f.latencyMs,
    rateLimited: f.rateLimitEvery > 0 && n % f.rateLimitEvery === 0,
    failStatus: f.failAtRequests.includes(n) ? f.failStatus : null,
    truncate: f.truncateAtRequests.includes(n),
    malformed: f.malformedAtRequests.includes(n),
  };
}
