import type { ReportRequest, ReportSource } from '../../../src/connector/connector.js';
import type { ReportData } from './report-data.js';

/** The engine's request, and the clock the header stamps (tests fix it). */
export interface ReportOptions extends ReportRequest {
  readonly now?: Date;
}

const TOP_KEYWORDS = 20;

/** Everything the report shows, queried from the destination (`calls`, `_sync_runs`). */
export async function reportData(db: ReportSource, o: ReportOptions): Promise<ReportData> {
  const where: string[] = [];
  const params: string[] = [];
  if (o.start) {
    where.push('call_date >= CAST(? AS DATE)');
    params.push(o.start);
  }
  if (o.end) {
    where.push('call_date < CAST(? AS DATE)');
    params.push(o.end);
  }
  if (o.account) {
    where.push('account = ?');
    params.push(o.account);
  }
  const filter = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
  const q = (sql: string, extra: string[] = []) => db.rows(sql, [...params, ...extra]);
  const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

  const [totals] = await q(`SELECT count(*) AS calls, count(*) FILTER (WHERE qualified_ai) AS qualified,
      coalesce(sum(cost_cents), 0) AS cost, coalesce(sum(value_cents), 0) AS value,
      strftime(min(call_date), '%Y-%m-%d') AS first_day, strftime(max(call_date), '%Y-%m-%d') AS last_day
    FROM calls ${filter}`);
  const accounts = await q(`SELECT DISTINCT account FROM calls ${filter} ORDER BY 1`);
  const days =
    await q(`SELECT strftime(call_date, '%Y-%m-%d') AS day, coalesce(channel, 'other') AS channel, count(*) AS calls
    FROM calls ${filter} GROUP BY ALL ORDER BY ALL`);
  const campaigns =
    await q(`SELECT source, utm_campaign, count(*) AS calls, count(*) FILTER (WHERE qualified_ai) AS qualified,
      coalesce(sum(cost_cents), 0) AS cost
    FROM calls ${filter} GROUP BY ALL ORDER BY qualified DESC, calls DESC, source NULLS LAST, utm_campaign NULLS LAST`);
  const scored = where.length === 0 ? 'WHERE ai_score IS NOT NULL' : `${filter} AND ai_score IS NOT NULL`;
  const scores = await q(`SELECT least(floor(ai_score / 10) * 10, 90)::INTEGER AS bucket, count(*) AS calls
    FROM calls ${scored} GROUP BY 1 ORDER BY 1`);
  const keywords = await q(`SELECT keyword, count(*) AS calls
    FROM (SELECT unnest(keywords_spotted) AS keyword FROM calls ${filter})
    GROUP BY 1 ORDER BY calls DESC, keyword LIMIT ${TOP_KEYWORDS}`);
  const [last] = await db.rows(
    `SELECT run_id, status, CAST(finished_at AS VARCHAR) AS finished_at, rows, message FROM _sync_runs
     WHERE pipeline = ? ORDER BY started_at DESC LIMIT 1`,
    [o.pipeline],
  );

  const end = o.end ? dayBefore(o.end) : String(totals.last_day ?? '');
  return {
    header: {
      title: o.title,
      accounts: accounts.map((a) => String(a.account)),
      date_range: { start: o.start ?? String(totals.first_day ?? ''), end },
      generated_at: (o.now ?? new Date()).toISOString(),
      totals: {
        calls: num(totals.calls),
        qualified_calls: num(totals.qualified),
        cost_cents: num(totals.cost),
        value_cents: num(totals.value),
      },
      last_run: last
        ? {
            run_id: String(last.run_id),
            status: String(last.status),
            finished_at: last.finished_at === null ? null : isoInstant(String(last.finished_at)),
            rows: num(last.rows),
            message: last.message === null ? null : String(last.message),
          }
        : null,
    },
    callsByDayChannel: days.map((d) => ({
      day: String(d.day),
      channel: String(d.channel),
      calls: num(d.calls),
    })),
    campaigns: campaigns.map((c) => {
      const calls = num(c.calls);
      const qualified = num(c.qualified);
      const cost = num(c.cost);
      return {
        source: c.source === null ? null : String(c.source),
        utm_campaign: c.utm_campaign === null ? null : String(c.utm_campaign),
        calls,
        qualified_calls: qualified,
        qualification_rate: calls === 0 ? 0 : qualified / calls,
        cost_cents: cost,
        cost_per_qualified_lead_cents: qualified === 0 ? null : cost / qualified,
      };
    }),
    aiScoreHistogram: scores.map((s) => ({ bucket_start: num(s.bucket), calls: num(s.calls) })),
    topKeywords: keywords.map((k) => ({ keyword: String(k.keyword), calls: num(k.calls) })),
  };
}

function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

function isoInstant(text: string): string {
  const t = Date.parse(text.replace(' ', 'T').replace(/\+00$/, 'Z'));
  return Number.isNaN(t) ? text : new Date(t).toISOString();
}
