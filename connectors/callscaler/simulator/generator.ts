/**
 * Deterministic call generator. Pools (numbers, texts) come from forks of the seed and calls from one
 * main stream, so N calls are always a prefix of N+M calls with the same seed and anchor.
 *
 * Hard cases are scheduled by index (every 250 calls, one of each) on top of their random rates, so any
 * dataset of 2000 calls holds each of them several times.
 */
import { applyAttribution } from './attribution.js';
import { callerNumber } from './phones.js';
import { type AccountPools, buildPools, SOURCES_BY_WEIGHT, type Source } from './pools.js';
import { Rng, weights } from './prng.js';
import type { CallRecord } from './record.js';
import { buildTextPools, type TextPools, type Transcript } from './texts.js';
import type { AiCategory, CallStatus, PhoneFormat } from './types.js';
import { AWKWARD_NAMES, CNAM_LABELS, FIRST_NAMES, LAST_NAMES, UNICODE_NAMES } from './vocab.js';

const DAY = 86_400_000;
const HARD_PERIOD = 250;
const HARD = {
  longTranscript: 0,
  unicodeName: 25,
  awkwardName: 50,
  awkwardReason: 75,
  awkwardSummary: 100,
  bigValue: 125,
  utmOnlyInUrl: 150,
  international: 175,
  crlfTranscript: 200,
  pendingAi: 225,
} as const;
const NEEDS_AI = new Set<number>([
  HARD.longTranscript,
  HARD.awkwardReason,
  HARD.awkwardSummary,
  HARD.crlfTranscript,
]);

const STATUS_WEIGHTS = weights<CallStatus>([
  ['completed', 70],
  ['no-answer', 12],
  ['voicemail', 8],
  ['busy', 5],
  ['failed', 5],
]);
const COMPLETED_CATEGORIES = weights<AiCategory>([
  ['lead', 55],
  ['existing_customer', 20],
  ['spam', 10],
  ['wrong_number', 8],
  ['voicemail', 7],
]);
const VOICEMAIL_CATEGORIES = weights<AiCategory>([
  ['voicemail', 60],
  ['lead', 25],
  ['spam', 15],
]);
const SCORE_RANGE: Record<AiCategory, readonly [number, number]> = {
  lead: [45, 100],
  existing_customer: [30, 70],
  spam: [0, 15],
  wrong_number: [0, 20],
  voicemail: [5, 40],
};
/** Call volume by UTC hour: US Central business hours are 13:00-01:00 UTC. */
const HOURS = weights(
  Array.from({ length: 24 }, (_, h) => [h, h >= 13 || h <= 1 ? 10 : h <= 5 ? 1 : 3] as const),
);
const NO_KEYWORDS: readonly string[] = Object.freeze([]);
const PAID: ReadonlySet<Source> = new Set(['google', 'facebook', 'bing', 'instagram', 'gmb']);
const PERSON_NAMES: readonly string[] = FIRST_NAMES.flatMap((f) =>
  LAST_NAMES.flatMap((l) => [`${f} ${l}`, `${l.toUpperCase()} ${f.toUpperCase()}`]),
);

export interface GeneratorConfig {
  seed: number;
  anchorMs: number;
  days: number;
  /** Default 'mixed'. */
  phoneFormat?: PhoneFormat;
}

export class CallGenerator {
  readonly pools: AccountPools;
  readonly texts: TextPools;
  private readonly rng: Rng;
  private index = 0;
  private readonly startMs: number;

  constructor(private readonly cfg: GeneratorConfig) {
    const root = new Rng(cfg.seed);
    this.pools = buildPools(root.fork(1), cfg.phoneFormat);
    this.texts = buildTextPools(root.fork(2));
    this.rng = root.fork(3);
    this.startMs = cfg.anchorMs - cfg.days * DAY;
  }

  /** The next call. With `atMs`, the call happens then and was last updated then (a live call). */
  next(isTaken: (id: string) => boolean, atMs?: number): CallRecord {
    const rng = this.rng;
    const cycle = Math.floor(this.index / HARD_PERIOD);
    const slot = this.index++ % HARD_PERIOD;
    const hard = slot % 25 === 0 ? slot : -1;
    let id = rng.uuid();
    while (isTaken(id)) id = rng.uuid();

    const outbound = hard < 0 && rng.chance(0.08);
    const source: Source = outbound
      ? 'direct'
      : hard === HARD.utmOnlyInUrl
        ? 'google'
        : rng.weighted(SOURCES_BY_WEIGHT);
    const num = rng.pick(this.pools.bySource[source]);
    const forced = NEEDS_AI.has(hard) || hard === HARD.pendingAi;
    const status = forced ? 'completed' : rng.weighted(STATUS_WEIGHTS);
    const wholeSecond = rng.chance(0.7);
    let createdMs = atMs ?? this.createdMs();
    if (wholeSecond) createdMs -= createdMs % 1000;

    const duration =
      status === 'completed'
        ? rng.chance(0.5)
          ? rng.int(15, 90)
          : rng.int(91, 1800)
        : status === 'voicemail'
          ? rng.int(8, 90)
          : 0;
    const recorded = status === 'voicemail' || (status === 'completed' && (forced || rng.chance(0.95)));
    const pending = recorded && (hard === HARD.pendingAi || (!forced && rng.chance(0.1)));
    const dropUtms = hard === HARD.utmOnlyInUrl || (PAID.has(source) && rng.chance(0.1));
    const connected = status === 'completed' || status === 'voicemail';

    const rec: CallRecord = {
      id,
      caller_number: callerNumber(rng, hard === HARD.international, this.cfg.phoneFormat, id),
      num,
      direction: outbound ? 'outbound' : 'inbound',
      status,
      duration_seconds: duration,
      source,
      recording_duration: recorded ? Math.max(1, duration - rng.int(0, 4)) : null,
      has_transcription: false,
      ai_score: null,
      ai_category: null,
      qualified_ai: null,
      qualification_reason: null,
      keywords_spotted: NO_KEYWORDS,
      caller_name: this.callerName(hard, cycle),
      value_cents: null,
      cost_cents:
        status === 'failed'
          ? 0
          : Math.max(1, Math.ceil(duration / 60)) * 4 +
            (PAID.has(source) && connected ? rng.int(150, 6000) : 0),
      robo_score: status === 'failed' ? null : Math.round(rng.next() * 0.35 * 10_000) / 10_000,
      utm_source: null,
      utm_medium: null,
      utm_campaign: null,
      utm_term: null,
      utm_content: null,
      gclid: null,
      fbclid: null,
      msclkid: null,
      landing_page_url: null,
      referrer_url: null,
      createdMs,
      createdWholeSecond: wholeSecond,
      updatedMs: atMs ?? createdMs + (connected ? duration * 1000 + rng.int(0, 5000) : rng.int(5, 40) * 1000),
      transcription: null,
      summary: null,
    };
    if (!outbound) applyAttribution(rec, rng, source, dropUtms);
    if (connected && !pending) rec.value_cents = 0;
    if (recorded && !pending) {
      this.analyse(rec, rng, hard);
      if (atMs === undefined) rec.updatedMs += rng.int(30, 900) * 1000;
    }
    if (hard === HARD.bigValue || rng.chance(0.002))
      rec.value_cents = 3_000_000_000 + rng.int(0, 1_000_000_000);
    return rec;
  }

  /** Gives a recorded call its transcription and AI analysis (at generation, or when a mutation finishes it). */
  analyse(rec: CallRecord, rng: Rng, hard = -1): void {
    const t = this.texts;
    const long = hard === HARD.longTranscript || rng.chance(0.0005);
    const category: AiCategory = long
      ? 'lead'
      : rng.weighted(rec.status === 'voicemail' ? VOICEMAIL_CATEGORIES : COMPLETED_CATEGORIES);
    let transcript: Transcript;
    if (long) transcript = rng.pick(t.longTranscripts);
    else if (hard === HARD.crlfTranscript || rng.chance(0.02)) transcript = t.crlfTranscripts[category];
    else transcript = rng.pick(t.transcripts[category]);
    const [lo, hi] = SCORE_RANGE[category];
    const score = rng.int(lo, hi);
    const qualified = category === 'lead' && score >= 60;
    rec.has_transcription = true;
    rec.transcription = transcript.text;
    rec.keywords_spotted = transcript.keywords;
    rec.ai_category = category;
    rec.ai_score = score;
    rec.qualified_ai = qualified;
    rec.qualification_reason =
      hard === HARD.awkwardReason || rng.chance(0.02)
        ? rng.pick(t.awkwardReasons)
        : qualified
          ? rng.pick(t.qualifiedReasons)
          : rng.pick(t.unqualifiedReasons[category]);
    rec.summary =
      hard === HARD.awkwardSummary || rng.chance(0.02) ? rng.pick(t.awkwardSummaries) : transcript.summary;
    if (category === 'spam') rec.robo_score = Math.round((0.6 + rng.next() * 0.39) * 10_000) / 10_000;
    rec.value_cents = qualified ? rng.int(50, 1500) * 100 : 0;
  }

  private callerName(hard: number, cycle: number): string | null {
    const rng = this.rng;
    // Hard slots rotate through the lists so every variant shows up, whatever the seed.
    if (hard === HARD.unicodeName) return UNICODE_NAMES[cycle % UNICODE_NAMES.length];
    if (hard === HARD.awkwardName) return AWKWARD_NAMES[cycle % AWKWARD_NAMES.length];
    const r = rng.next();
    if (r < 0.15) return null;
    if (r < 0.18) return rng.pick(UNICODE_NAMES);
    if (r < 0.19) return rng.pick(AWKWARD_NAMES);
    if (r < 0.27) return rng.pick(CNAM_LABELS);
    return rng.pick(PERSON_NAMES);
  }

  /** Weekdays and business hours are busier; always within [anchor - days, anchor). */
  private createdMs(): number {
    const rng = this.rng;
    const { anchorMs, days } = this.cfg;
    const base = this.startMs - (((this.startMs % DAY) + DAY) % DAY);
    for (let attempt = 0; attempt < 8; attempt++) {
      const day = rng.int(0, days);
      const t = base + day * DAY + rng.weighted(HOURS) * 3_600_000 + rng.int(0, 3_599_999);
      const weekday = (Math.floor(t / DAY) + 4) % 7; // 1970-01-01 was a Thursday
      if ((weekday === 0 || weekday === 6) && rng.chance(0.5)) continue;
      if (t >= this.startMs && t < anchorMs) return t;
    }
    return this.startMs + Math.floor(rng.next() * (anchorMs - this.startMs));
  }
}
