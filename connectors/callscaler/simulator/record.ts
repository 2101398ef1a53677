/**
 * The simulator's internal call record and its API shape. Records hold references to shared pool
 * objects and strings (tracking number, flow, texts); the API object is built only when served.
 */
import type { TrackingNumber } from './pools.js';
import type { SimCall, SimCallHidden } from './types.js';

/**
 * The API fields a record stores exactly as served (see SimCall); the rest are derived when served:
 * number, flow and number_id from `num`, recording_url from the id, created_at from `createdMs`.
 */
type StoredApiFields = Omit<
  SimCall,
  | 'tracking_number'
  | 'destination_number'
  | 'call_flow_name'
  | 'recording_url'
  | 'keywords_spotted'
  | 'created_at'
  | 'number_id'
>;

export interface CallRecord extends StoredApiFields {
  num: TrackingNumber;
  keywords_spotted: readonly string[];
  createdMs: number;
  /** created_at is served as `...:56Z` (true) or with milliseconds `...:56.789Z` (false). */
  createdWholeSecond: boolean;
  /** Hidden: when the record last changed (call end, AI finished, mutation). updated_since filters on it. */
  updatedMs: number;
}

export interface Include {
  transcription: boolean;
  summary: boolean;
}

export const INCLUDE_ALL: Include = { transcription: true, summary: true };
export const INCLUDE_NONE: Include = { transcription: false, summary: false };

export function isoTimestamp(ms: number, wholeSecond: boolean): string {
  const iso = new Date(ms).toISOString();
  return wholeSecond ? iso.replace('.000Z', 'Z') : iso;
}

/** The provider's API root: recording URLs of records built without a running server (benchmarks). */
export const PROVIDER_API_BASE = 'https://callscaler.com/api/v1';

/** Where the recording is downloaded: GET <api base>/calls/<id>/recording (the running simulator's own base). */
export function recordingUrl(id: string, apiBase = PROVIDER_API_BASE): string {
  return `${apiBase}/calls/${id}/recording`;
}

/**
 * The call as the API returns it: documented fields in documented order, `transcription`/`summary`
 * only when included, then the undocumented number_id. Arrays are copied so callers may mutate them.
 * `apiBase` is the API root recording_url points into (the simulator passes its own address).
 */
export function toApiCall(r: CallRecord, include: Include, apiBase = PROVIDER_API_BASE): Partial<SimCall> {
  const out: Partial<SimCall> = {
    id: r.id,
    caller_number: r.caller_number,
    tracking_number: r.num.number,
    destination_number: r.num.flow.destination,
    call_flow_name: r.num.flow.name,
    direction: r.direction,
    status: r.status,
    duration_seconds: r.duration_seconds,
    source: r.source,
    recording_url: r.recording_duration === null ? null : recordingUrl(r.id, apiBase),
    recording_duration: r.recording_duration,
    has_transcription: r.has_transcription,
    ai_score: r.ai_score,
    ai_category: r.ai_category,
    qualified_ai: r.qualified_ai,
    qualification_reason: r.qualification_reason,
    keywords_spotted: r.keywords_spotted.slice(),
    caller_name: r.caller_name,
    value_cents: r.value_cents,
    cost_cents: r.cost_cents,
    robo_score: r.robo_score,
    utm_source: r.utm_source,
    utm_medium: r.utm_medium,
    utm_campaign: r.utm_campaign,
    utm_term: r.utm_term,
    utm_content: r.utm_content,
    gclid: r.gclid,
    fbclid: r.fbclid,
    msclkid: r.msclkid,
    landing_page_url: r.landing_page_url,
    referrer_url: r.referrer_url,
    created_at: isoTimestamp(r.createdMs, r.createdWholeSecond),
  };
  if (include.transcription) out.transcription = r.transcription;
  if (include.summary) out.summary = r.summary;
  out.number_id = r.num.id;
  return out;
}

export function toSimCall(r: CallRecord, apiBase = PROVIDER_API_BASE): SimCall {
  return toApiCall(r, INCLUDE_ALL, apiBase) as SimCall;
}

export function toHidden(r: CallRecord): SimCallHidden {
  return {
    id: r.id,
    updated_at: new Date(r.updatedMs).toISOString(),
    number_name: r.num.name,
    call_flow_id: r.num.flow.id,
    number_group_id: r.num.groupId,
  };
}
