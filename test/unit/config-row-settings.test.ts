// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} references are what these tests are about
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { callsStream } from '../../connectors/callscaler/calls.js';
import { rowSettingsFingerprint, rowSettingsOf } from '../../connectors/callscaler/normalize/settings.js';
import { redact } from '../../src/config/redact.js';
import { configParser, yamlWith } from '../helpers/config-fixtures.js';

const KEY = 'cs_key_RowSettings-4c1d9e';
const SALT = 'RowSettings-salt-7f3a21';
const ENV = { CALLSCALER_API_KEY: KEY, CALLSCALER_PII_SALT: SALT };
const { parse, errorOf } = configParser(ENV);

const PII_KEYS = 'caller_number, caller_name, transcription, summary, recording_url';

describe('streams.calls.timezone', () => {
  test.each([
    [undefined, 'UTC'],
    ['America/Chicago', 'America/Chicago'],
    ['Etc/UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['${TZ_NAME:-Europe/London}', 'Europe/London'],
  ])('%s gives %s', (value, zone) => {
    const edits = value === undefined ? {} : { 'streams.calls.timezone': value };
    expect(parse(yamlWith(edits)).streams.calls?.timezone).toBe(zone);
  });

  test.each([
    ['Mars/Base', 'expected an IANA time zone such as America/Chicago, got "Mars/Base"'],
    ['+05:30', 'expected an IANA time zone such as America/Chicago, got "+05:30"'],
    ['', 'expected an IANA time zone such as America/Chicago, got ""'],
    [-6, 'expected a string, got -6'],
  ])('%j is refused', (value, message) => {
    expect(errorOf(yamlWith({ 'streams.calls.timezone': value })).message).toBe(
      `t.yaml: streams.calls.timezone: ${message}`,
    );
  });
});

describe('streams.calls.pii and pii_salt', () => {
  test('every field is kept by default; `pii:` alone means the defaults', () => {
    const keepAll = {
      caller_number: 'keep',
      caller_name: 'keep',
      transcription: 'keep',
      summary: 'keep',
      recording_url: 'keep',
    };
    expect(parse(yamlWith()).streams.calls?.pii).toEqual(keepAll);
    expect(parse(yamlWith({ 'streams.calls.pii': null })).streams.calls?.pii).toEqual(keepAll);
    expect(parse(yamlWith()).streams.calls?.pii_salt).toBeNull();
  });

  test('modes per field, the salt from the environment', () => {
    const cfg = parse(
      yamlWith({
        'streams.calls.pii': { caller_number: 'hash', transcription: 'drop' },
        'streams.calls.pii_salt': '${CALLSCALER_PII_SALT}',
      }),
    ).streams.calls;
    expect(cfg?.pii).toEqual({
      caller_number: 'hash',
      caller_name: 'keep',
      transcription: 'drop',
      summary: 'keep',
      recording_url: 'keep',
    });
    expect(cfg?.pii_salt).toBe(SALT);
    // Registered as a secret: no message shows it.
    expect(redact(`salt is ${SALT}`)).toBe('salt is ***');
  });

  test('drop needs no salt', () => {
    const cfg = parse(yamlWith({ 'streams.calls.pii': { caller_name: 'drop' } })).streams.calls;
    expect(cfg?.pii.caller_name).toBe('drop');
    expect(cfg?.pii_salt).toBeNull();
  });

  test.each([
    [
      'an unknown field, near a known one',
      { 'streams.calls.pii': { caller_numbr: 'hash' } },
      `streams.calls.pii.caller_numbr: unknown key, did you mean "caller_number"? (valid keys: ${PII_KEYS})`,
    ],
    [
      'an unknown field',
      { 'streams.calls.pii': { email: 'drop' } },
      `streams.calls.pii.email: unknown key (valid keys: ${PII_KEYS})`,
    ],
    [
      'an unknown mode',
      { 'streams.calls.pii': { caller_name: 'mask' } },
      'streams.calls.pii.caller_name: expected one of keep | hash | drop, got "mask"',
    ],
    ['not a mapping', { 'streams.calls.pii': 'hash' }, 'streams.calls.pii: expected a mapping, got "hash"'],
    [
      'hash without a salt',
      { 'streams.calls.pii': { caller_number: 'hash', summary: 'hash', caller_name: 'drop' } },
      'streams.calls.pii_salt: required when a pii field is hash (caller_number, summary); e.g. pii_salt: ${CALLSCALER_PII_SALT}',
    ],
    [
      'a short salt (its value never shown)',
      { 'streams.calls.pii': { caller_number: 'hash' }, 'streams.calls.pii_salt': 'pepper7' },
      'streams.calls.pii_salt: expected at least 8 characters',
    ],
    [
      'a salt that is a number (its value never shown)',
      { 'streams.calls.pii_salt': 987654321 },
      'streams.calls.pii_salt: expected a string, got a number',
    ],
  ])('%s', (_what, edits, message) => {
    const err = errorOf(yamlWith(edits));
    expect(err.message).toBe(`t.yaml: ${message}`);
    expect(err.message).not.toContain('pepper7');
    expect(err.message).not.toContain('987654321');
  });

  test('an unset salt variable names the variable', () => {
    const text = yamlWith({
      'streams.calls.pii': { caller_number: 'hash' },
      'streams.calls.pii_salt': '${PII_SALT_UNSET}',
    });
    expect(errorOf(text).message).toBe('t.yaml: streams.calls.pii_salt: ${PII_SALT_UNSET} is not set');
  });

  test('a salt in a field where it does not belong is masked', () => {
    const text = yamlWith({
      'streams.calls.pii_salt': '${CALLSCALER_PII_SALT}',
      'streams.calls.extract': '${CALLSCALER_PII_SALT}',
    });
    const message = errorOf(text).message;
    expect(message).toBe('t.yaml: streams.calls.extract: expected one of list | export | auto, got "***"');
  });
});

describe('the calls stream fingerprint', () => {
  const fingerprintOf = (edits: Record<string, unknown>, env: NodeJS.ProcessEnv = ENV) => {
    const cfg = parse(yamlWith(edits), env);
    return callsStream(cfg.streams.calls!, cfg.source).fingerprint;
  };
  const hashing = { 'streams.calls.pii': { caller_number: 'hash' }, 'streams.calls.pii_salt': SALT };

  test('undefined for the defaults (UTC, every field kept), whatever else is set', () => {
    expect(fingerprintOf({})).toBeUndefined();
    expect(fingerprintOf({ 'streams.calls.timezone': 'Etc/UTC', 'streams.calls.extract': 'export' })).toBe(
      undefined,
    );
    // A salt that hashes nothing changes no row.
    expect(fingerprintOf({ 'streams.calls.pii_salt': SALT })).toBeUndefined();
  });

  test('a SHA-256 hex digest that differs with each setting that changes rows, and only with those', () => {
    const variants = [
      fingerprintOf({ 'streams.calls.timezone': 'America/Chicago' }),
      fingerprintOf({ 'streams.calls.timezone': 'Europe/London' }),
      fingerprintOf({ 'streams.calls.pii': { caller_number: 'drop' } }),
      fingerprintOf({ 'streams.calls.pii': { caller_name: 'drop' } }),
      fingerprintOf(hashing),
      fingerprintOf({ ...hashing, 'streams.calls.pii_salt': `${SALT}-other` }),
      fingerprintOf({ ...hashing, 'streams.calls.timezone': 'America/Chicago' }),
    ];
    for (const v of variants) expect(v).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(variants).size).toBe(variants.length);
    // The same settings, the same fingerprint (other keys do not count).
    expect(fingerprintOf({ ...hashing, 'streams.calls.window_days': 3 })).toBe(fingerprintOf(hashing));
  });

  test('holds neither the salt nor its plain SHA-256', () => {
    const settings = rowSettingsOf(parse(yamlWith(hashing)).streams.calls!);
    const fingerprint = rowSettingsFingerprint(settings)!;
    expect(fingerprint).not.toContain(SALT);
    expect(fingerprint).not.toBe(createHash('sha256').update(SALT).digest('hex'));
  });
});
