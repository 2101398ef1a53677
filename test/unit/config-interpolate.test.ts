// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} references are what these tests are about
import { describe, expect, test } from 'vitest';
import { interpolate, UNSET_SECRET } from '../../src/config/interpolate.js';

const env = { HOST: 'callscaler.com', EMPTY: '', PORT: '8080', KEY: 'cs_key_x' };

describe('interpolate: strings', () => {
  // [what, input, output, missing variables]
  const cases: [string, string, string, string[]][] = [
    ['a set variable', 'https://${HOST}/api', 'https://callscaler.com/api', []],
    ['an unset variable becomes empty', 'a${NOPE}b', 'ab', ['NOPE']],
    ['a default when unset', '${NOPE:-https://x.test}', 'https://x.test', []],
    ['a default when empty', '${EMPTY:-fallback}', 'fallback', []],
    ['a set variable beats its default', '${PORT:-1}', '8080', []],
    ['an empty default', '${NOPE:-}', '', []],
    ['a default with odd characters', '${NOPE:-a:b-c $d/e?}', 'a:b-c $d/e?', []],
    ['an empty set variable without default', 'x${EMPTY}y', 'xy', []],
    ['several references', '${HOST}:${PORT}/${NOPE}', 'callscaler.com:8080/', ['NOPE']],
    ['$${ escapes', 'cost: $${HOST} and ${HOST}', 'cost: ${HOST} and callscaler.com', []],
    ['a lone $ and $$ stay', 'US$ 5 $$ $HOST', 'US$ 5 $$ $HOST', []],
    ['no reference', 'plain', 'plain', []],
  ];
  test.each(cases)('%s', (_what, input, output, missing) => {
    const r = interpolate({ v: input }, env);
    expect(r.value).toEqual({ v: output });
    expect(r.missing).toEqual(missing.map((variable) => ({ path: 'v', segments: ['v'], variable })));
    expect(r.invalid).toEqual([]);
  });

  test.each([
    ['${1BAD}', '${1BAD}'],
    ['${}', '${}'],
    ['${A B}', '${A B}'],
    ['${UNCLOSED', '${UNCLOSED'],
    ['${A-default}', '${A-default}'],
  ])('%s is reported as invalid and left as written', (input, reference) => {
    const r = interpolate({ a: [input] }, env);
    expect(r.value).toEqual({ a: [input] });
    expect(r.invalid).toEqual([{ path: 'a[0]', segments: ['a', 0], reference }]);
  });
});

describe('interpolate: documents', () => {
  test('walks mappings and lists, leaves keys and non-strings alone, reports paths', () => {
    const doc = {
      '${HOST}': 'key stays',
      n: 5,
      b: true,
      z: null,
      source: { base_url: 'http://${HOST}:${PORT}', api_key: '${MISSING_KEY}' },
      streams: { calls: { include: ['${NOPE}', 'summary', { deep: ['${HOST}'] }] } },
      'odd key': '${ALSO_MISSING}',
    };
    const r = interpolate(doc, env);
    expect(r.value).toEqual({
      '${HOST}': 'key stays',
      n: 5,
      b: true,
      z: null,
      source: { base_url: 'http://callscaler.com:8080', api_key: '' },
      streams: { calls: { include: ['', 'summary', { deep: ['callscaler.com'] }] } },
      'odd key': '',
    });
    expect(r.missing).toEqual([
      { path: 'source.api_key', segments: ['source', 'api_key'], variable: 'MISSING_KEY' },
      { path: 'streams.calls.include[0]', segments: ['streams', 'calls', 'include', 0], variable: 'NOPE' },
      { path: '["odd key"]', segments: ['odd key'], variable: 'ALSO_MISSING' },
    ]);
  });

  test('with optionalSecrets, an unset variable under a secret key is a placeholder, not a problem', () => {
    const r = interpolate(
      { source: { api_key: '${MISSING_KEY}', base_url: '${NOPE}' } },
      {},
      { optionalSecrets: true },
    );
    expect(r.value).toEqual({ source: { api_key: UNSET_SECRET, base_url: '' } });
    expect(r.missing).toEqual([
      { path: 'source.base_url', segments: ['source', 'base_url'], variable: 'NOPE' },
    ]);
  });

  test('does not modify its input', () => {
    const doc = { a: ['${HOST}'] };
    interpolate(doc, env);
    expect(doc).toEqual({ a: ['${HOST}'] });
  });

  test('a __proto__ key stays an ordinary key', () => {
    const doc = JSON.parse('{"__proto__": {"polluted": "${HOST}"}}');
    const r = interpolate(doc, env).value as Record<string, unknown>;
    expect(Object.hasOwn(r, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
  });

  test('a value from the environment is not interpolated again', () => {
    expect(interpolate('${V}', { V: '${HOST}' }).value).toBe('${HOST}');
  });
});
