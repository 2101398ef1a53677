import { quote } from '../../../src/describe.js';
import type { ColumnValue } from '../../../src/schema/table.js';
import { AI_CATEGORIES } from '../schema.js';
import { col } from './layout.js';

/**
 * The AI fields' plausibility: a score outside 0-100 is not a score (NULL, the row is kept, and counted); a
 * category this code does not know is kept as sent (the provider may add one) and reported once.
 */

const AI_SCORE = col('ai_score');
const AI_CATEGORY = col('ai_category');
const KNOWN_CATEGORIES: ReadonlySet<string> = new Set(AI_CATEGORIES);
/** Distinct unknown categories reported per chunk: a provider sending free text must not flood the log. */
const MAX_UNKNOWN = 10;

/** What a chunk's rows had to be told about: its `counters` and `warnings`. */
export class QualityTally {
  private aiScoreOutOfRange = 0;
  private readonly unknownCategories = new Set<string>();

  /** Checks the AI fields of a row about to be kept (before its PII is masked: none of these is PII). */
  check(row: ColumnValue[]): void {
    const score = row[AI_SCORE] as number | null;
    if (score !== null && (score < 0 || score > 100)) {
      row[AI_SCORE] = null;
      this.aiScoreOutOfRange++;
    }
    const category = row[AI_CATEGORY] as string | null;
    if (category !== null && !KNOWN_CATEGORIES.has(category) && this.unknownCategories.size < MAX_UNKNOWN) {
      this.unknownCategories.add(category);
    }
  }

  /** The chunk's fields (absent when there is nothing to tell), then starts over for the next chunk. */
  take(): { counters?: Record<string, number>; warnings?: string[] } {
    const out: { counters?: Record<string, number>; warnings?: string[] } = {};
    if (this.aiScoreOutOfRange > 0) out.counters = { ai_score_out_of_range: this.aiScoreOutOfRange };
    if (this.unknownCategories.size > 0) {
      out.warnings = [...this.unknownCategories].map((c) => `unknown ai_category ${quote(c)} (kept as sent)`);
    }
    this.aiScoreOutOfRange = 0;
    this.unknownCategories.clear();
    return out;
  }
}
