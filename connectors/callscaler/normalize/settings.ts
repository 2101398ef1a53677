import { createHash } from 'node:crypto';
import { PII_FIELDS } from '../schema.js';
import { KEEP_ALL, type PiiModes, PiiRules } from './pii.js';
import { type DayOf, dayInZone } from './timezone.js';

/**
 * The stream settings that change what a stored row holds: the zone of `call_date` and the PII modes. Plain
 * data, so they travel to the list path's worker threads inside each page's task.
 */
export interface RowSettings {
  /** An IANA zone name as `timeZoneName` gives it (`UTC` by default). */
  readonly timezone: string;
  readonly pii: PiiModes;
  /** Required when a field is hashed. A secret: never in a message, a file or the fingerprint. */
  readonly piiSalt: string | null;
}

export const DEFAULT_ROW_SETTINGS: RowSettings = { timezone: 'UTC', pii: KEEP_ALL, piiSalt: null };

interface RowSettingsConfig {
  readonly timezone: string;
  readonly pii: PiiModes;
  readonly pii_salt: string | null;
}

const ofConfig = new WeakMap<RowSettingsConfig, RowSettings>();

/** The row settings of a validated `streams.calls` config: one object per config, so they compile once. */
export function rowSettingsOf(cfg: RowSettingsConfig): RowSettings {
  let settings = ofConfig.get(cfg);
  if (settings === undefined) {
    settings = { timezone: cfg.timezone, pii: cfg.pii, piiSalt: cfg.pii_salt };
    ofConfig.set(cfg, settings);
  }
  return settings;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `Stream.fingerprint`: a digest of the settings that change stored rows, undefined for the defaults (UTC,
 * every field kept). The salt counts only when a field is hashed, and only as a digest of its own.
 */
export function rowSettingsFingerprint(s: RowSettings): string | undefined {
  const modes = PII_FIELDS.map((f) => s.pii[f]);
  if (s.timezone === 'UTC' && modes.every((m) => m === 'keep')) return undefined;
  const hashes = modes.includes('hash') && s.piiSalt !== null;
  const salt = hashes ? sha256(`callscaler-sync pii_salt\u0000${s.piiSalt}`) : null;
  const pii = Object.fromEntries(PII_FIELDS.map((f, i) => [f, modes[i]]));
  return sha256(JSON.stringify({ v: 1, timezone: s.timezone, pii, salt }));
}

/** Row settings ready for normalizing. */
export interface CompiledRowSettings {
  readonly dayOf: DayOf;
  readonly pii: PiiRules;
}

let last: { settings: RowSettings; compiled: CompiledRowSettings } | undefined;

/** Compiled once per settings object (a chunk's rows share one), so a row pays one comparison. */
export function compileRowSettings(settings: RowSettings = DEFAULT_ROW_SETTINGS): CompiledRowSettings {
  if (last?.settings === settings) return last.compiled;
  const compiled = { dayOf: dayInZone(settings.timezone), pii: new PiiRules(settings.pii, settings.piiSalt) };
  last = { settings, compiled };
  return compiled;
}
