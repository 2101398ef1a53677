import type { AI_CATEGORIES, CALL_DIRECTIONS, CALL_STATUSES } from './api-fields.js';

export type CallStatus = (typeof CALL_STATUSES)[number];
export type CallDirection = (typeof CALL_DIRECTIONS)[number];
export type AiCategory = (typeof AI_CATEGORIES)[number];

/** One call as the API serves it (full record: with transcription and summary), plus undocumented number_id. */
export interface SimCall {
  id: string;
  caller_number: string;
  tracking_number: string;
  destination_number: string;
  call_flow_name: string;
  direction: CallDirection;
  status: CallStatus;
  duration_seconds: number;
  source: string;
  recording_url: string | null;
  recording_duration: number | null;
  has_transcription: boolean;
  ai_score: number | null;
  ai_category: AiCategory | null;
  qualified_ai: boolean | null;
  qualification_reason: string | null;
  keywords_spotted: string[];
  caller_name: string | null;
  value_cents: number | null;
  cost_cents: number | null;
  robo_score: number | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  gclid: string | null;
  fbclid: string | null;
  msclkid: string | null;
  landing_page_url: string | null;
  referrer_url: string | null;
  created_at: string;
  transcription: string | null;
  summary: string | null;
  /** Not documented by the provider, but every response carries it. */
  number_id: string;
}

/** What the API never shows but filters on; exposed for tests that check filters independently. */
export interface SimCallHidden {
  id: string;
  updated_at: string;
  number_name: string;
  call_flow_id: string;
  number_group_id: string;
}

export interface CsvVariant {
  headers: 'snake' | 'human' | 'upper';
  bom: boolean;
  lineEnding: '\n' | '\r\n';
  booleans: 'truefalse' | 'yesno' | '10';
  lists: 'json' | 'semicolon' | 'comma';
}

export interface FaultSwitches {
  latencyMs: number;
  rateLimitEvery: number;
  retryAfterSeconds: number;
  failAtRequests: number[];
  failStatus: number;
  resetAtRequests: number[];
  hangAtRequests: number[];
  hangMs: number;
  truncateAtRequests: number[];
  malformedAtRequests: number[];
  csv: CsvVariant;
}

/** A partial fault update; `csv` may itself be partial (merged into the current variant). */
export type FaultPatch = Partial<Omit<FaultSwitches, 'csv'>> & { csv?: Partial<CsvVariant> };

export interface SimulatorOptions {
  seed?: number;
  size?: number;
  apiKey?: string;
  anchor?: string;
  days?: number;
  now?: () => number;
  faults?: FaultPatch;
  host?: string;
  port?: number;
}

export interface MutationResult {
  added: string[];
  changed: string[];
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  /** 0 when the socket was destroyed without a response. */
  status: number;
}

export interface RunningSimulator {
  url: string;
  apiKey: string;
  close(): Promise<void>;
  setFaults(f: FaultPatch): void;
  resetFaults(): void;
  mutate(m: { add?: number; change?: number }): MutationResult;
  calls(): SimCall[];
  /** Extension: the hidden per-call fields (updated_at, number_name, ...), sorted by id. */
  hiddenFields(): SimCallHidden[];
  readonly requestCount: number;
  readonly requestLog: RequestLogEntry[];
}
