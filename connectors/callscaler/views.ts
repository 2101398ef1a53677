import type { ViewDefinition } from '../../src/schema/table.js';

/** A robo_score at or above this counts as a likely robocall in the views. */
export const ROBOCALL_SCORE = 0.7;

const col = (name: string, description: string) => ({ name, description });

/**
 * The reporting views over `calls`, for one reporting time zone: days are `call_date` (already the date in
 * that zone); hours and weekdays are computed in it. Every view keeps `account`, so agencies compare clients.
 */
export function callsViews(timezone: string): ViewDefinition[] {
  const tz = `'${timezone.replaceAll("'", "''")}'`;
  const local = `timezone(${tz}, created_at)`;
  return [
    {
      name: 'daily_calls',
      description: 'Calls and qualified calls per day and marketing channel',
      sql: `SELECT account, call_date, channel, count(*) AS calls,
  count(*) FILTER (WHERE qualified_ai) AS qualified_calls
FROM calls GROUP BY account, call_date, channel`,
      columns: [
        col('account', 'The account'),
        col('call_date', 'Day of the call in the reporting time zone (streams.calls.timezone)'),
        col('channel', 'Marketing channel (see calls.channel)'),
        col('calls', 'Calls that day through that channel'),
        col('qualified_calls', 'Of them, calls the AI marked as qualified leads (qualified_ai = true)'),
      ],
    },
    {
      name: 'campaign_quality',
      description:
        'Lead quality and cost per campaign: which campaigns bring qualified callers, at what cost',
      sql: `SELECT account, source, utm_campaign, count(*) AS calls,
  count(*) FILTER (WHERE qualified_ai) AS qualified_calls,
  count(*) FILTER (WHERE qualified_ai) / count(*) AS qualification_rate,
  avg(ai_score) AS avg_ai_score,
  sum(cost_cents) AS cost_cents,
  sum(value_cents) AS value_cents,
  CASE WHEN count(*) FILTER (WHERE qualified_ai) = 0 THEN NULL
       ELSE sum(cost_cents)::DOUBLE / count(*) FILTER (WHERE qualified_ai) END AS cost_per_qualified_lead_cents
FROM calls GROUP BY account, source, utm_campaign`,
      columns: [
        col('account', 'The account'),
        col('source', 'Traffic source (calls.source)'),
        col('utm_campaign', 'UTM campaign as the API sent it; NULL stays NULL (its own row)'),
        col('calls', 'Calls'),
        col('qualified_calls', 'Calls with qualified_ai = true'),
        col('qualification_rate', 'qualified_calls / calls, a fraction from 0 to 1'),
        col('avg_ai_score', 'Average AI score of the calls that have one (NULLs ignored)'),
        col('cost_cents', 'Total call cost in cents'),
        col('value_cents', 'Total call value in cents'),
        col(
          'cost_per_qualified_lead_cents',
          'cost_cents / qualified_calls (DOUBLE); NULL without a qualified call',
        ),
      ],
    },
    {
      name: 'keyword_frequency',
      description: 'How often each spotted keyword comes up, and in how many qualified calls',
      sql: `SELECT account, keyword, count(*) AS calls, count(*) FILTER (WHERE qualified_ai) AS qualified_calls
FROM (SELECT account, qualified_ai, unnest(keywords_spotted) AS keyword FROM calls)
GROUP BY account, keyword`,
      columns: [
        col('account', 'The account'),
        col('keyword', 'A keyword from keywords_spotted'),
        col('calls', 'Calls in which it was spotted'),
        col('qualified_calls', 'Of them, qualified calls'),
      ],
    },
    {
      name: 'spam_share',
      description: `Spam and likely robocalls per day (robo_score >= ${ROBOCALL_SCORE})`,
      sql: `SELECT account, call_date, count(*) AS calls,
  count(*) FILTER (WHERE ai_category = 'spam') AS spam_calls,
  count(*) FILTER (WHERE robo_score >= ${ROBOCALL_SCORE}) AS robocalls,
  count(*) FILTER (WHERE ai_category = 'spam' OR robo_score >= ${ROBOCALL_SCORE}) / count(*) AS spam_or_robocall_rate
FROM calls GROUP BY account, call_date`,
      columns: [
        col('account', 'The account'),
        col('call_date', 'Day of the call in the reporting time zone'),
        col('calls', 'Calls that day'),
        col('spam_calls', "Calls the AI put in category 'spam'"),
        col('robocalls', `Calls with robo_score >= ${ROBOCALL_SCORE}`),
        col('spam_or_robocall_rate', 'Calls that are either, as a fraction from 0 to 1'),
      ],
    },
    {
      name: 'calls_by_hour',
      description: 'Calls by weekday and hour of day in the reporting time zone (when do people call?)',
      sql: `SELECT account, isodow(${local}) AS weekday, hour(${local}) AS hour, count(*) AS calls,
  count(*) FILTER (WHERE qualified_ai) AS qualified_calls
FROM calls GROUP BY ALL`,
      columns: [
        col('account', 'The account'),
        col('weekday', 'ISO weekday in the reporting time zone: 1 = Monday ... 7 = Sunday'),
        col('hour', 'Hour of day in the reporting time zone, 0 to 23'),
        col('calls', 'Calls'),
        col('qualified_calls', 'Of them, qualified calls'),
      ],
    },
    {
      name: 'caller_repeat',
      description: 'First-time and repeat callers per day (a caller is their number, per account)',
      sql: `SELECT account, call_date,
  count(*) FILTER (WHERE nth = 1) AS first_time_calls,
  count(*) FILTER (WHERE nth > 1) AS repeat_calls,
  count(*) FILTER (WHERE caller IS NULL) AS unknown_caller_calls
FROM (SELECT account, call_date, coalesce(caller_number_e164, caller_number) AS caller,
        CASE WHEN coalesce(caller_number_e164, caller_number) IS NULL THEN NULL
             ELSE row_number() OVER (PARTITION BY account, coalesce(caller_number_e164, caller_number) ORDER BY created_at, id) END AS nth
      FROM calls)
GROUP BY account, call_date`,
      columns: [
        col('account', 'The account'),
        col('call_date', 'Day of the call in the reporting time zone'),
        col('first_time_calls', "Calls from a number's first call to this account"),
        col('repeat_calls', 'Calls from a number that had called before'),
        col('unknown_caller_calls', 'Calls without a caller number (withheld, or dropped by pii)'),
      ],
    },
  ];
}
