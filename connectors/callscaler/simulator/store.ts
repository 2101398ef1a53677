/**
 * The simulator's data: all calls, an id index, and cached sorted/filtered views. Views are rebuilt
 * lazily after a mutation by re-sorting the previous order (nearly sorted, so cheap), which keeps
 * paging through a million calls fast without an index per filter.
 */
import { CallGenerator } from './generator.js';
import { Rng } from './prng.js';
import { type CallFilter, compileFilter, filterKey, isEmptyFilter } from './query.js';
import type { CallRecord } from './record.js';
import { comparator, type SortSpec, sortKey } from './sort.js';
import type { MutationResult, PhoneFormat } from './types.js';

const QUERY_CACHE_SIZE = 16;
const DATE_ASC: SortSpec = { by: 'date', order: 'asc' };

export interface StoreConfig {
  seed: number;
  size: number;
  anchorMs: number;
  days: number;
  /** Default 'mixed'. */
  phoneFormat?: PhoneFormat;
}

interface SortedView {
  version: number;
  count: number;
  list: CallRecord[];
}

export class CallStore {
  readonly generator: CallGenerator;
  private readonly recs: CallRecord[] = [];
  private readonly byId = new Map<string, CallRecord>();
  /** Recorded calls still waiting for transcription/AI: what mutations finish first. */
  private readonly pending: CallRecord[] = [];
  private readonly mutationRng: Rng;
  private version = 0;
  private readonly sortedViews = new Map<string, SortedView>();
  private readonly queryViews = new Map<string, { version: number; list: readonly CallRecord[] }>();

  constructor(cfg: StoreConfig) {
    this.generator = new CallGenerator(cfg);
    this.mutationRng = new Rng(cfg.seed).fork(4);
    for (let i = 0; i < cfg.size; i++) this.push(this.generator.next(this.isTaken));
  }

  private readonly isTaken = (id: string): boolean => this.byId.has(id);

  private push(rec: CallRecord): void {
    this.recs.push(rec);
    this.byId.set(rec.id, rec);
    if (rec.recording_duration !== null && !rec.has_transcription) this.pending.push(rec);
  }

  get size(): number {
    return this.recs.length;
  }

  get(id: string): CallRecord | undefined {
    return this.byId.get(id);
  }

  all(): readonly CallRecord[] {
    return this.recs;
  }

  /** All calls matching `filter`, in `sort` order. The array is shared: never modify it. */
  select(filter: CallFilter, sort: SortSpec): readonly CallRecord[] {
    const sorted = this.sorted(sort);
    if (isEmptyFilter(filter)) return sorted;
    const key = `${sortKey(sort)}|${filterKey(filter)}`;
    const hit = this.queryViews.get(key);
    if (hit && hit.version === this.version) {
      this.queryViews.delete(key);
      this.queryViews.set(key, hit);
      return hit.list;
    }
    const list = this.byDateWindow(filter, sort) ?? sorted.filter(compileFilter(filter));
    this.queryViews.delete(key);
    this.queryViews.set(key, { version: this.version, list });
    if (this.queryViews.size > QUERY_CACHE_SIZE) this.queryViews.delete(this.queryViews.keys().next().value!);
    return list;
  }

  /**
   * Date-windowed queries (the connector's backfill windows) binary-search the date order instead of
   * scanning every call, then sort only the window.
   */
  private byDateWindow(filter: CallFilter, sort: SortSpec): CallRecord[] | undefined {
    if (filter.startMs === undefined && filter.endMs === undefined) return undefined;
    const byDate = this.sorted(DATE_ASC);
    const lowerBound = (ms: number) => {
      let lo = 0;
      let hi = byDate.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (byDate[mid].createdMs < ms) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const from = filter.startMs === undefined ? 0 : lowerBound(filter.startMs);
    const to = filter.endMs === undefined ? byDate.length : lowerBound(filter.endMs);
    const list = byDate.slice(from, Math.max(from, to)).filter(compileFilter(filter));
    return list.sort(comparator(sort));
  }

  private sorted(sort: SortSpec): readonly CallRecord[] {
    const key = sortKey(sort);
    const view = this.sortedViews.get(key);
    if (view && view.version === this.version) return view.list;
    // A new array each time: an export may still be streaming the previous one.
    let list: CallRecord[];
    const opposite = this.sortedViews.get(
      sortKey({ by: sort.by, order: sort.order === 'asc' ? 'desc' : 'asc' }),
    );
    if (sort.by !== 'ai_score' && opposite && opposite.version === this.version) {
      // Without null keys, one order is exactly the other reversed (ties by id reverse too).
      list = opposite.list.slice().reverse();
    } else {
      list = view ? view.list.concat(this.recs.slice(view.count)) : this.recs.slice();
      list.sort(comparator(sort));
    }
    this.sortedViews.set(key, { version: this.version, count: this.recs.length, list });
    return list;
  }

  /**
   * Changes `change` existing calls (pending ones first: they gain transcription and AI analysis; then
   * AI re-scores), then adds `add` new calls happening at `nowMs`. All touched calls get updated_at = now.
   */
  mutate(add: number, change: number, nowMs: number): MutationResult {
    const rng = this.mutationRng;
    const changed: string[] = [];
    const touched = new Set<string>();
    for (let i = 0; i < change; i++) {
      let rec: CallRecord | undefined;
      if (this.pending.length > 0) {
        const idx = rng.int(0, this.pending.length - 1);
        rec = this.pending[idx];
        this.pending[idx] = this.pending[this.pending.length - 1];
        this.pending.pop();
        this.generator.analyse(rec, rng);
      } else {
        rec = this.rescore(rng, touched);
        if (!rec) break;
      }
      rec.updatedMs = nowMs;
      touched.add(rec.id);
      changed.push(rec.id);
    }
    const added: string[] = [];
    for (let i = 0; i < add; i++) {
      const rec = this.generator.next(this.isTaken, nowMs);
      this.push(rec);
      added.push(rec.id);
    }
    if (changed.length > 0 || added.length > 0) this.version++;
    return { added, changed };
  }

  /** AI re-analysis of an already scored call: a new score (and qualification for leads). */
  private rescore(rng: Rng, skip: ReadonlySet<string>): CallRecord | undefined {
    for (let attempt = 0; attempt < 64 && this.recs.length > 0; attempt++) {
      const rec = this.recs[rng.int(0, this.recs.length - 1)];
      if (rec.ai_score === null || skip.has(rec.id)) continue;
      const delta = rng.int(5, 20) * (rng.chance(0.5) ? 1 : -1);
      const next = rec.ai_score + delta;
      // Always a real change: bounce off 0 and 100 instead of clamping to the old value.
      rec.ai_score = next < 0 || next > 100 ? rec.ai_score - delta : next;
      if (rec.ai_category === 'lead') rec.qualified_ai = rec.ai_score >= 60;
      return rec;
    }
    return undefined;
  }
}
