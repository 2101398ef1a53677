import { describe, expect, it } from 'vitest';
import { callsSchema } from '../../connectors/callscaler/schema.js';
import { callsViews } from '../../connectors/callscaler/views.js';
import { createTableSql, viewSql } from '../../src/load/sql.js';
import { query } from '../helpers/duckdb.js';

type Call = {
  account: string;
  id: string;
  created_at: string;
  call_date: string;
  channel: string;
  source: string | null;
  utm_campaign: string | null;
  qualified_ai: boolean | null;
  ai_score: number | null;
  ai_category: string | null;
  robo_score: number | null;
  cost_cents: number | null;
  value_cents: number | null;
  keywords_spotted: string[];
  caller_number: string | null;
  caller_number_e164: string | null;
};

// A small fixed dataset: two accounts, a few days, every case the views must get right.
const CALLS: Call[] = [
  c(
    'a',
    'c1',
    '2026-03-02T14:10:00Z',
    'paid_search',
    'google',
    'spring',
    true,
    90,
    'lead',
    0.1,
    500,
    20000,
    ['quote', 'price'],
    '+15125550001',
  ),
  c(
    'a',
    'c2',
    '2026-03-02T15:20:00Z',
    'paid_search',
    'google',
    'spring',
    false,
    30,
    'spam',
    0.9,
    300,
    0,
    ['price'],
    '+15125550002',
  ),
  c(
    'a',
    'c3',
    '2026-03-03T09:00:00Z',
    'organic_search',
    'google',
    null,
    true,
    70,
    'lead',
    0.05,
    null,
    5000,
    [],
    '+15125550001',
  ),
  c(
    'a',
    'c4',
    '2026-03-03T09:30:00Z',
    'paid_search',
    'google',
    'spring',
    null,
    null,
    null,
    null,
    200,
    null,
    ['quote'],
    null,
  ),
  c(
    'a',
    'c5',
    '2026-03-03T23:59:00Z',
    'direct',
    'direct',
    null,
    false,
    50,
    'wrong_number',
    0.75,
    0,
    0,
    [],
    '+15125550003',
  ),
  c(
    'b',
    'c6',
    '2026-03-02T10:00:00Z',
    'paid_social',
    'facebook',
    'fall',
    false,
    40,
    'lead',
    0.2,
    1000,
    0,
    ['price'],
    '+15125550001',
  ),
  c(
    'b',
    'c7',
    '2026-03-02T11:00:00Z',
    'paid_social',
    'facebook',
    'fall',
    false,
    60,
    'lead',
    0.3,
    1000,
    0,
    [],
    '+15125550001',
  ),
];

function c(
  account: string,
  id: string,
  created_at: string,
  channel: string,
  source: string | null,
  utm_campaign: string | null,
  qualified_ai: boolean | null,
  ai_score: number | null,
  ai_category: string | null,
  robo_score: number | null,
  cost_cents: number | null,
  value_cents: number | null,
  keywords_spotted: string[],
  caller: string | null,
): Call {
  return {
    account,
    id,
    created_at,
    call_date: created_at.slice(0, 10),
    channel,
    source,
    utm_campaign,
    qualified_ai,
    ai_score,
    ai_category,
    robo_score,
    cost_cents,
    value_cents,
    keywords_spotted,
    caller_number: caller,
    caller_number_e164: caller,
  };
}

const sqlValue = (v: unknown): string => {
  if (v === null) return 'NULL';
  if (Array.isArray(v)) return `[${v.map(sqlValue).join(', ')}]::VARCHAR[]`;
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
};

async function views(sql: string, tz = 'UTC'): Promise<Record<string, unknown>[]> {
  const cols = Object.keys(CALLS[0]);
  const inserts = CALLS.map(
    (row) =>
      `INSERT INTO calls (${cols.join(', ')}) VALUES (${cols.map((k) => sqlValue(row[k as keyof Call])).join(', ')})`,
  );
  const setup = [
    createTableSql('calls', callsSchema.columns, []),
    ...inserts,
    ...callsViews(tz).flatMap(viewSql),
  ];
  return query(':memory:', `${setup.join(';\n')};\n${sql}`);
}

describe('reporting views on a fixed dataset, against hand-computed numbers', () => {
  it('daily_calls', async () => {
    expect(await views('SELECT * FROM daily_calls ORDER BY account, call_date, channel')).toEqual([
      { account: 'a', call_date: '2026-03-02', channel: 'paid_search', calls: '2', qualified_calls: '1' },
      { account: 'a', call_date: '2026-03-03', channel: 'direct', calls: '1', qualified_calls: '0' },
      { account: 'a', call_date: '2026-03-03', channel: 'organic_search', calls: '1', qualified_calls: '1' },
      { account: 'a', call_date: '2026-03-03', channel: 'paid_search', calls: '1', qualified_calls: '0' },
      { account: 'b', call_date: '2026-03-02', channel: 'paid_social', calls: '2', qualified_calls: '0' },
    ]);
  });

  it('campaign_quality: rate as a fraction, avg ignoring NULLs, cost per qualified lead NULL without one, NULL campaign kept', async () => {
    expect(
      await views('SELECT * FROM campaign_quality ORDER BY account, source, utm_campaign NULLS LAST'),
    ).toEqual([
      // spring: c1 (q, 90, 500), c2 (30, 300), c4 (NULL q, NULL score, 200): 3 calls, 1 qualified.
      {
        account: 'a',
        source: 'direct',
        utm_campaign: null,
        calls: '1',
        qualified_calls: '0',
        qualification_rate: 0,
        avg_ai_score: 50,
        cost_cents: '0',
        value_cents: '0',
        cost_per_qualified_lead_cents: null,
      },
      {
        account: 'a',
        source: 'google',
        utm_campaign: 'spring',
        calls: '3',
        qualified_calls: '1',
        qualification_rate: 1 / 3,
        avg_ai_score: 60,
        cost_cents: '1000',
        value_cents: '20000',
        cost_per_qualified_lead_cents: 1000,
      },
      {
        account: 'a',
        source: 'google',
        utm_campaign: null,
        calls: '1',
        qualified_calls: '1',
        qualification_rate: 1,
        avg_ai_score: 70,
        cost_cents: null,
        value_cents: '5000',
        cost_per_qualified_lead_cents: null,
      },
      {
        account: 'b',
        source: 'facebook',
        utm_campaign: 'fall',
        calls: '2',
        qualified_calls: '0',
        qualification_rate: 0,
        avg_ai_score: 50,
        cost_cents: '2000',
        value_cents: '0',
        cost_per_qualified_lead_cents: null,
      },
    ]);
    const [types] = await views(
      'SELECT typeof(qualification_rate) AS rate, typeof(cost_per_qualified_lead_cents) AS cpl FROM campaign_quality LIMIT 1',
    );
    expect(types).toEqual({ rate: 'DOUBLE', cpl: 'DOUBLE' });
  });

  it('keyword_frequency', async () => {
    expect(await views('SELECT * FROM keyword_frequency ORDER BY account, keyword')).toEqual([
      { account: 'a', keyword: 'price', calls: '2', qualified_calls: '1' },
      { account: 'a', keyword: 'quote', calls: '2', qualified_calls: '1' },
      { account: 'b', keyword: 'price', calls: '1', qualified_calls: '0' },
    ]);
  });

  it('spam_share', async () => {
    expect(await views('SELECT * FROM spam_share ORDER BY account, call_date')).toEqual([
      {
        account: 'a',
        call_date: '2026-03-02',
        calls: '2',
        spam_calls: '1',
        robocalls: '1',
        spam_or_robocall_rate: 0.5,
      },
      {
        account: 'a',
        call_date: '2026-03-03',
        calls: '3',
        spam_calls: '0',
        robocalls: '1',
        spam_or_robocall_rate: 1 / 3,
      },
      {
        account: 'b',
        call_date: '2026-03-02',
        calls: '2',
        spam_calls: '0',
        robocalls: '0',
        spam_or_robocall_rate: 0,
      },
    ]);
  });

  it('calls_by_hour in the reporting time zone (Monday 2026-03-02 14:10Z is 08:10 in Chicago)', async () => {
    const chicago = await views(
      "SELECT * FROM calls_by_hour WHERE account = 'a' ORDER BY weekday, hour",
      'America/Chicago',
    );
    expect(chicago).toEqual([
      { account: 'a', weekday: '1', hour: '8', calls: '1', qualified_calls: '1' },
      { account: 'a', weekday: '1', hour: '9', calls: '1', qualified_calls: '0' },
      { account: 'a', weekday: '2', hour: '3', calls: '2', qualified_calls: '1' },
      { account: 'a', weekday: '2', hour: '17', calls: '1', qualified_calls: '0' },
    ]);
    const utc = await views(
      "SELECT weekday, hour, calls FROM calls_by_hour WHERE account = 'a' AND hour = 23",
    );
    expect(utc).toEqual([{ weekday: '2', hour: '23', calls: '1' }]);
  });

  it('caller_repeat: first-time and repeat callers per account', async () => {
    expect(await views('SELECT * FROM caller_repeat ORDER BY account, call_date')).toEqual([
      {
        account: 'a',
        call_date: '2026-03-02',
        first_time_calls: '2',
        repeat_calls: '0',
        unknown_caller_calls: '0',
      },
      {
        account: 'a',
        call_date: '2026-03-03',
        first_time_calls: '1',
        repeat_calls: '1',
        unknown_caller_calls: '1',
      },
      {
        account: 'b',
        call_date: '2026-03-02',
        first_time_calls: '1',
        repeat_calls: '1',
        unknown_caller_calls: '0',
      },
    ]);
  });
});
