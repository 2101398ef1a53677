/**
 * Everything the HTML report shows, already queried: `renderReport` is a pure function of this.
 * Money is in integer cents as in the `calls` table; fractions are 0..1; days are `YYYY-MM-DD`.
 */
export interface ReportData {
  header: ReportHeader;
  /** One row per day and channel that had calls (missing rows count as 0). */
  callsByDayChannel: DayChannelCalls[];
  /** One row per (source, utm_campaign); the report charts the ones with the most qualified leads. */
  campaigns: CampaignRow[];
  /** Calls per AI-score bucket [bucket_start, bucket_start + 10); 90 holds 90..100. */
  aiScoreHistogram: AiScoreBucket[];
  /** Keywords spotted in calls, most frequent first. */
  topKeywords: KeywordCount[];
}

export interface ReportHeader {
  title: string;
  /** The CallScaler account(s) the data comes from. */
  accounts: string[];
  /** The calls' created dates shown, both ends inclusive, `YYYY-MM-DD`. */
  date_range: { start: string; end: string };
  /** ISO 8601 instant the report was generated. */
  generated_at: string;
  totals: ReportTotals;
  /** The destination's latest `_sync_runs` row; null when nothing has run yet. */
  last_run: LastRun | null;
}

export interface ReportTotals {
  calls: number;
  qualified_calls: number;
  cost_cents: number;
  value_cents: number;
}

export interface LastRun {
  run_id: string;
  /** `running`, `succeeded` or `failed`; any other value is shown as it is. */
  status: string;
  /** ISO 8601; null while the run is still going. */
  finished_at: string | null;
  rows: number;
  message: string | null;
}

export interface DayChannelCalls {
  day: string;
  channel: string;
  calls: number;
}

export interface CampaignRow {
  source: string | null;
  utm_campaign: string | null;
  calls: number;
  qualified_calls: number;
  /** qualified_calls / calls, 0..1. */
  qualification_rate: number;
  cost_cents: number;
  /** cost_cents / qualified_calls; null when there were no qualified calls. */
  cost_per_qualified_lead_cents: number | null;
}

export interface AiScoreBucket {
  /** 0, 10, ..., 90. */
  bucket_start: number;
  calls: number;
}

export interface KeywordCount {
  keyword: string;
  calls: number;
}
