import { BatchBuilder } from '../../../src/arrow/batch-builder.js';
import { rawText } from '../../../src/connector/reject.js';
import type { DecodedRows, StreamReject } from '../../../src/connector/stream.js';
import { selectCarried } from '../normalize/carried-batch.js';
import { type CsvHeaderMap, csvCellCountReason } from '../normalize/csv.js';
import { CsvRowNormalizer } from '../normalize/csv-row.js';
import { RAW_WITHHELD } from '../normalize/pii.js';
import { QualityTally } from '../normalize/quality.js';
import type { RowMeta } from '../normalize/record.js';
import { compileRowSettings } from '../normalize/settings.js';
import { callsSchema } from '../schema.js';
import type { CsvRecord, Verdict } from './csv-records.js';
import { type ExportColumns, exportColumns } from './export-columns.js';

/**
 * A batch is full at this many rows, or sooner when long texts make it this big. Each staged batch passes
 * through parquet-wasm, whose memory grows to the largest batch and never shrinks: 4 MiB batches kept a
 * 100k-call export 30 MB leaner than 16 MiB ones, at the same speed.
 */
const FLUSH_ROWS = 5000;
const FLUSH_BYTES = 4 * 1024 * 1024;

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
