import type { CampaignRow, DayChannelCalls, ReportData } from './report-data.js';

/**
 * A fixed example report (a home-services business buying Google, Bing and Facebook ads, 90 days): what
 * `npm run report:screenshot` draws into docs/report.png. Seeded, so it is the same on every run.
 */
export function exampleReportData(): ReportData {
  const random = seeded(20260401);
  const callsByDayChannel: DayChannelCalls[] = [];
  const channels: [string, number][] = [
    ['paid_search', 22],
    ['organic_search', 12],
    ['paid_social', 8],
    ['direct', 6],
    ['referral', 3],
    ['other', 1],
  ];
  for (let d = 0; d < 90; d++) {
    const day = new Date(Date.UTC(2026, 0, 1) + d * 86_400_000);
    const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
    for (const [channel, mean] of channels) {
      const calls = Math.round(mean * (weekend ? 0.45 : 1) * (0.6 + 0.8 * random()) * (1 + d / 180));
      if (calls > 0) callsByDayChannel.push({ day: day.toISOString().slice(0, 10), channel, calls });
    }
  }

  const campaigns: CampaignRow[] = [
    campaign('google', 'brand_exact', 1480, 0.52, 1_184_000),
    campaign('google', 'water_heaters_austin', 910, 0.41, 2_093_000),
    campaign('google', 'emergency_plumbing_2026', 760, 0.47, 2_508_000),
    campaign('google', 'pmax-hvac-fall', 430, 0.22, 1_720_000),
    campaign('bing', 'bing_brand', 240, 0.5, 144_000),
    campaign('bing', 'bing_water_heaters', 160, 0.33, 368_000),
    campaign('facebook', 'fb_leadgen_fall', 520, 0.18, 1_352_000),
    campaign('facebook', 'retargeting_30d', 210, 0.24, 315_000),
    campaign('facebook', 'ig_stories_ac', 95, 0.06, 427_500),
    campaign('google', null, 380, 0.3, 0),
    campaign(null, null, 1150, 0.28, 0),
    campaign('yelp', 'Spring "Tune-Up" <Special> & More', 64, 0.25, 96_000),
    campaign('google', 'display_awareness', 40, 0, 188_000),
  ];

  const aiScoreHistogram = [120, 210, 260, 340, 410, 520, 610, 740, 980, 1230].map((calls, i) => ({
    bucket_start: i * 10,
    calls,
  }));
  const topKeywords = [
    ['quote', 2140],
    ['estimate', 1710],
    ['emergency', 1320],
    ['water heater', 1180],
    ['appointment', 960],
    ['AC repair', 870],
    ['same day', 640],
    ['warranty', 530],
    ['financing', 410],
    ['invoice', 330],
    ['reschedule', 260],
    ['technician', 240],
    ['call back', 190],
    ['wrong number', 120],
    ['"no heat" & <furnace>', 45],
  ].map(([keyword, calls]) => ({ keyword: keyword as string, calls: calls as number }));

  const calls = callsByDayChannel.reduce((sum, r) => sum + r.calls, 0);
  return {
    header: {
      title: 'Lone Star Plumbing: calls and lead quality',
      accounts: ['lonestar-main'],
      date_range: { start: '2026-01-01', end: '2026-03-31' },
      generated_at: '2026-04-01T06:00:12.000Z',
      totals: {
        calls,
        qualified_calls: Math.round(calls * 0.375),
        cost_cents: campaigns.reduce((sum, c) => sum + c.cost_cents, 0),
        value_cents: 48_215_000,
      },
      last_run: {
        run_id: 'run_20260401T055812Z_7f3a',
        status: 'succeeded',
        finished_at: '2026-04-01T05:59:41.512Z',
        rows: 1_284,
        message: null,
      },
    },
    callsByDayChannel,
    campaigns,
    aiScoreHistogram,
    topKeywords,
  };
}

function campaign(
  source: string | null,
  utm_campaign: string | null,
  calls: number,
  rate: number,
  cost_cents: number,
): CampaignRow {
  const qualified_calls = Math.round(calls * rate);
  return {
    source,
    utm_campaign,
    calls,
    qualified_calls,
    qualification_rate: qualified_calls / calls,
    cost_cents,
    cost_per_qualified_lead_cents: qualified_calls === 0 ? null : Math.round(cost_cents / qualified_calls),
  };
}

/** mulberry32: a small fixed PRNG, so the example never changes. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
