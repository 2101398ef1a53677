import { BatchBuilder } from '../../../src/arrow/batch-builder.js';
import { rawText } from '../../../src/connector/reject.js';
import type { DecodedRows, StreamReject } from '../../../src/connector/stream.js';
import { DataError, SyncError } from '../../../src/errors.js';
import type { TextWanted } from '../api/batch.js';
import { carriedColumns } from '../normalize/carried.js';
import { selectCarried } from '../normalize/carried-batch.js';
import { type CsvHeaderMap, csvCellCountReason, resolveCsvHeader } from '../normalize/csv.js';
import { CsvRowNormalizer } from '../normalize/csv-row.js';
import { RAW_WITHHELD } from '../normalize/pii.js';
import { QualityTally } from '../normalize/quality.js';
import type { RowMeta } from '../normalize/record.js';
import { compileRowSettings } from '../normalize/settings.js';
import { callsSchema, INCLUDABLE } from '../schema.js';
import type { CsvRecord, Verdict } from './csv-records.js';

const INCLUDABLE_SET: ReadonlySet<string> = new Set(INCLUDABLE);

/**
 * A batch is full at this many rows, or sooner when long texts make it this big. Each staged batch passes
 * through parquet-wasm, whose memory grows to the largest batch and never shrinks: 4 MiB batches kept a
 * 100k-call export 30 MB leaner than 16 MiB ones, at the same speed.
 */
const FLUSH_ROWS = 5000;
const FLUSH_BYTES = 4 * 1024 * 1024;

/** What an export's header says about its rows' columns. */
export interface ExportColumns {
  readonly map: CsvHeaderMap;
  /** The columns the export's rows carry. */
  readonly carried: string[];
  /** The text fields `include` asks for that the export lacks, to be filled; undefined when none. */
  readonly textNeed: TextWanted | undefined;
  /** The columns of the rows once their text is filled. */
  readonly filledColumns: string[];
}

/**
 * The header's columns. Throws a DataError naming the line when no column is the call id (the header cells are
 * quoted only when every personal field is kept: a "header" that is really a row of data may hold some).
 */
export function exportColumns(
  cells: string[],
  line: number,
  include: readonly string[],
  meta: RowMeta,
  where: string,
  window: string,
): ExportColumns {
  let map: CsvHeaderMap;
  try {
    map = resolveCsvHeader(cells, !compileRowSettings(meta.settings).pii.active);
  } catch (err) {
    if (!(err instanceof SyncError)) throw err;
    throw new DataError(`${where} line ${line}: ${err.message}`, { cause: err, context: { window } });
  }
  // A text column the export has counts only when include asks for it, as on the list path.
  const fields = new Set(
    map.columns
      .filter((c) => c.type !== null && (!INCLUDABLE_SET.has(c.key) || include.includes(c.key)))
      .map((c) => c.key),
  );
  const carried = carriedColumns(fields);
  const lacks = (f: string) => include.includes(f) && !fields.has(f);
  if (lacks('transcription') || lacks('summary')) {
    const textNeed = { transcription: lacks('transcription'), summary: lacks('summary') };
    return { map, carried, textNeed, filledColumns: carriedColumns(new Set([...fields, ...include])) };
  }
  return { map, carried, textNeed: undefined, filledColumns: carried };
}

/**
 * The rows of a piece of an export: header mapping, normalization into a batch, rejects, the AI checks'
 * tally. `dry`: only the verdicts that decide where records end (a wrong cell count); nothing is kept.
 */
export class ExportRows {
  private columns: ExportColumns | undefined;
  private normalizer: CsvRowNormalizer | undefined;
  private readonly tally = new QualityTally();
  private readonly withhold: boolean;
  private rejects: StreamReject[] = [];
  private received = 0;
  /** The header's cells, once read. */
  headerCells: string[] | undefined;

  constructor(
    private readonly meta: RowMeta,
    private readonly where: string,
    private readonly window: string,
    private readonly include: readonly string[],
    private readonly dry = false,
    /** Empty; a thread's builder is reused from piece to piece (its buffers keep their capacity). */
    private readonly builder = new BatchBuilder(callsSchema),
  ) {
    this.withhold = compileRowSettings(meta.settings).pii.active;
  }

  get full(): boolean {
    return this.builder.length >= FLUSH_ROWS || this.builder.byteLength >= FLUSH_BYTES;
  }

  /** Whether the rows are to be filled with text on the stream's thread (see TextFill). */
  get needsText(): boolean {
    return this.columns?.textNeed !== undefined;
  }

  header(cells: string[], line: number): void {
    this.columns = exportColumns(cells, line, this.include, this.meta, this.where, this.window);
    this.headerCells = cells;
    this.normalizer = new CsvRowNormalizer(this.columns.map, this.meta);
  }

  row(rec: CsvRecord): Verdict {
    const map = this.columns!.map;
    // A wrong cell count may be rows run together by broken quoting: the reader then re-reads the lines.
    const count = csvCellCountReason(rec.cells, map);
    if (count !== null) return { reason: count, split: true };
    if (this.dry) return undefined;
    if (!rec.validUtf8) return { reason: invalidUtf8Reason(rec.cells, map), split: false };
    const normalizer = this.normalizer!;
    const reason = normalizer.normalize(rec.cells, this.tally);
    if (reason !== null) return { reason, split: false };
    this.builder.append(normalizer.row);
    this.received++;
    return undefined;
  }

  /**
   * A line that cannot be read cannot be masked either: with a personal field hashed or dropped its text is
   * withheld (line and reason stay). The reasons never quote a personal field: those are text columns.
   */
  reject(line: number, raw: string, reason: string): void {
    if (this.dry) return;
    this.rejects.push({ source: this.where, line, raw: this.withhold ? RAW_WITHHELD : rawText(raw), reason });
    this.received++;
  }

  /** The rows so far, with only the columns the export carries. */
  finish(): DecodedRows {
    const built = this.builder.finish();
    const batch = built && selectCarried(built, this.columns!.carried);
    return { batch, rejects: this.rejects, received: this.received, ...this.tally.take() };
  }
}

/** Invalid UTF-8 is refused rather than loaded with U+FFFD in it: the field it hit is probably named. */
function invalidUtf8Reason(cells: readonly string[], map: CsvHeaderMap): string {
  const at = cells.findIndex((c) => c.includes('\uFFFD'));
  const field = at >= 0 ? `${map.columns[at].key}: ` : '';
  return `${field}bytes that are not valid UTF-8`;
}
