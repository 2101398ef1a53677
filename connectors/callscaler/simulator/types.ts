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
  /** List cells: a JSON array, or items joined by `;`, `; ` (semicolon-space) or `,`. */
  lists: 'json' | 'semicolon' | 'semicolon-space' | 'comma';
  /**
   * false: the export leaves out the transcription and summary columns even when `include=` asks for them
   * (the provider documents only the list's filters for the export, and `include` is not a filter).
   * Absent means true.
   */
  textColumns?: boolean;
}

/** POST /calls/batch replies `{data: {calls, not_found}}` ('calls') or `{data: [...]}` ('array'). */
export type BatchShape = 'calls' | 'array';
/** Content-Type of recordings; 'mixed' picks one of the three per call, from its id. */
export type RecordingFormat = 'wav' | 'mp3' | 'ogg' | 'mixed';
/** Phone numbers as carriers hand them over ('mixed') or all already in E.164 ('e164'). */
export type PhoneFormat = 'mixed' | 'e164';

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
  batchShape: BatchShape;
  recordingFormat: RecordingFormat;
  /** Send recordings chunked, without Content-Length. */
  recordingNoLength: boolean;
  /** > 0: every recording body is exactly this many bytes (to test a client's size limit). */
  recordingBytes: number;
  /** > 0: recordings are sent in pieces of recordingChunkBytes with this pause between pieces. */
  recordingDelayMs: number;
  /** Piece size for recordingDelayMs and recordingNoLength (and any recording over 1 MiB). */
  recordingChunkBytes: number;
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
  /** 'mixed' (default): caller, tracking and destination numbers in many formats; 'e164': all E.164. */
  phoneFormat?: PhoneFormat;
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
  /** POST /calls/batch: how many ids the body's `ids` array carried (when it was JSON with such an array). */
  ids?: number;
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
