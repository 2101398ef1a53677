import { describe, expect, it } from 'vitest';
import { normalizeCall } from '../../connectors/callscaler/normalize/record.js';
import { callsSchema } from '../../connectors/callscaler/schema.js';
import type { ColumnValue } from '../../src/schema/table.js';

const NAMES = callsSchema.columns.map((c) => c.name);

function derived(fields: Record<string, unknown>): Record<string, ColumnValue> {
  const r = normalizeCall(
    { id: 'c', created_at: '2026-03-01T10:00:00Z', ...fields },
    {
      account: 'default',
      runId: 'r',
      syncedAtMs: 0,
      extract: 'list',
    },
  );
  if (!r.ok) throw new Error(r.reason);
  return Object.fromEntries(NAMES.map((n, i) => [n, r.row[i]]));
}

const pick = (row: Record<string, ColumnValue>, keys: string[]) => keys.map((k) => row[k]);
const ATTRIBUTED = ['source', 'medium', 'campaign', 'term', 'content'].map((k) => `attributed_utm_${k}`);

describe('UTM backfill', () => {
  const url =
    'https://example.com/p?utm_source=google&utm_medium=cpc&utm_campaign=spring%20sale&utm_term=plumber+near+me&utm_content=ad%2F1';

  it('fills empty UTM fields from the landing page query, URL-decoded, and leaves the API fields as sent', () => {
    const row = derived({ utm_source: '', utm_medium: null, utm_campaign: '   ', landing_page_url: url });
    expect(pick(row, ATTRIBUTED)).toEqual(['google', 'cpc', 'spring sale', 'plumber near me', 'ad/1']);
    expect(pick(row, ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term'])).toEqual([
      '',
      null,
      '   ',
      null,
    ]);
  });

  it('prefers the API value when it is not empty', () => {
    const row = derived({ utm_source: 'Bing', utm_term: ' kept as sent ', landing_page_url: url });
    expect(pick(row, ATTRIBUTED)).toEqual(['Bing', 'cpc', 'spring sale', ' kept as sent ', 'ad/1']);
  });

  it.each([
    ['no landing page', null, [null, null, null, null, null]],
    ['no query', 'https://example.com/p', [null, null, null, null, null]],
    ['blank parameters', 'https://example.com/?utm_source=&utm_medium=%20', [null, null, null, null, null]],
    [
      'bad percent escapes kept',
      'https://example.com/?utm_source=50%25off%zz',
      ['50%off%zz', null, null, null, null],
    ],
    [
      'first of repeated parameters',
      'https://example.com/?utm_source=a&utm_source=b',
      ['a', null, null, null, null],
    ],
    [
      'parameters after a fragment do not count',
      'https://example.com/#?utm_source=a',
      [null, null, null, null, null],
    ],
    [
      'unicode',
      'https://example.com/?utm_campaign=%F0%9F%93%9E%20caf%C3%A9',
      [null, null, '📞 café', null, null],
    ],
    ['a hostile landing URL', 'javascript:alert(1)//?utm_source=evil', [null, null, null, null, null]],
    ['a scheme-less landing URL', 'example.com/?utm_source=yelp', ['yelp', null, null, null, null]],
  ])('%s', (_name, landing, attributed) => {
    expect(pick(derived({ landing_page_url: landing }), ATTRIBUTED)).toEqual(attributed);
  });
});

describe('landing page and referrer parts', () => {
  const long = 'a'.repeat(10_000);
  it.each([
    ['https://www.Example.COM/Services/Plumbing?x=1#top', 'example.com', '/Services/Plumbing'],
    ['HTTP://EXAMPLE.COM', 'example.com', '/'],
    ['example.com/landing', 'example.com', '/landing'],
    ['www.example.com', 'example.com', '/'],
    ['//cdn.example.com/a', 'cdn.example.com', '/a'],
    ['https://shop.example.co.uk:8443/cart', 'shop.example.co.uk', '/cart'],
    ['https://www2.example.com/', 'www2.example.com', '/'],
    ['https://www.example.com./x', 'example.com', '/x'],
    ['https://user:secret@example.com/x', 'example.com', '/x'],
    ['  https://example.com/padded  ', 'example.com', '/padded'],
    ['https://bücher.de/straße', 'xn--bcher-kva.de', '/stra%C3%9Fe'],
    ['https://😀.example/😀', 'xn--e28h.example', '/%F0%9F%98%80'],
    ['http://[::1]:8080/x', '[::1]', '/x'],
    ['http://192.168.0.1/admin', '192.168.0.1', '/admin'],
    [`https://example.com/${long}`, 'example.com', `/${long}`],
    [`https://${long}.com/`, `${long}.com`, '/'],
    ['javascript:alert(1)', null, null],
    ['http://[::1', null, null],
    ['data:text/html,<script>alert(1)</script>', null, null],
    ['ftp://example.com/file', null, null],
    ['mailto:a@example.com', null, null],
    ['/relative/path', null, null],
    ['http://exa mple.com', null, null],
    ['http://', null, null],
    ['\u0000http://example.com', null, null],
    ['not a url at all', null, null],
    ['📞📞📞', null, null],
    ['x'.repeat(10_240), null, null],
    [`https://example.com/${'x'.repeat(70_000)}`, null, null],
    ['', null, null],
    ['   ', null, null],
  ])('%s → %s %s', (url, domain, path) => {
    const row = derived({ landing_page_url: url, referrer_url: url });
    expect(pick(row, ['landing_page_domain', 'landing_page_path', 'referrer_domain'])).toEqual([
      domain,
      path,
      domain,
    ]);
    expect(pick(row, ['landing_page_url', 'referrer_url'])).toEqual([url, url]);
  });
});

describe('call_date', () => {
  it.each([
    ['2026-03-01T00:00:00Z', '2026-03-01'],
    ['2026-03-01T23:59:59.999Z', '2026-03-01'],
    ['2026-03-01T20:00:00-05:00', '2026-03-02'],
    ['2026-03-02T01:00:00+02:00', '2026-03-01'],
    ['1969-12-31T23:59:59Z', '1969-12-31'],
  ])('%s is on %s (UTC)', (createdAt, date) => {
    const days = derived({ created_at: createdAt }).call_date as number;
    expect(new Date(days * 86_400_000).toISOString().slice(0, 10)).toBe(date);
  });
});
