import type { BatchBuilder } from '../../../src/arrow/batch-builder.js';
import type { DecodedRows } from '../../../src/connector/stream.js';
import type { RowMeta } from '../normalize/record.js';
import { type CsvReaderState, CsvRecordReader } from './csv-records.js';
import { ExportRows } from './export-rows.js';
import { withSpareBuilder } from './spare-builder.js';

/** Where an export's reading stands between two pieces. */
export interface ExportState {
  readonly reader: CsvReaderState;
  /** The header's cells; undefined until it is read. */
  readonly header: string[] | undefined;
}

/** One piece of an export's body to decode, as handed to `WindowContext.decode` (it runs on a worker thread). */
export interface ExportPieceTask {
  /** The body from `state.reader.offset` on (transferred, not copied). */
  readonly bytes: Uint8Array;
  /** Where the previous piece stopped; undefined for the start of the body. */
  readonly state: ExportState | undefined;
  /** The body ends with these bytes. */
  readonly final: boolean;
  /** Only find where the records end (the line where a body that broke off stopped): no rows, no rejects. */
  readonly dry: boolean;
  /** `GET /calls/export window W`: where a bad record came from. */
  readonly where: string;
  /** The window's key, carried by errors as data. */
  readonly window: string;
  /** The row settings (zone, PII modes and salt) travel here: a worker thread has no config of its own. */
  readonly meta: RowMeta;
  readonly include: readonly string[];
}

/** Sent once the piece is read, before its rows are encoded: the next piece can go out meanwhile. */
export interface ExportPieceHead {
  /** Where the next piece starts. */
  readonly state: ExportState;
  /** The bytes of this piece that were not read (a record in progress): the next piece starts with them. */
  readonly tail: Uint8Array;
  /** The body is read to its end. */
  readonly ended: boolean;
}

/** Bytes given to the reader at a time; the piece stops early between two of them once its batch is full. */
const SLICE = 64 * 1024;

export function decode(t: ExportPieceTask, head: (h: ExportPieceHead) => void): Promise<DecodedRows> {
  return withSpareBuilder((builder) => decodePiece(t, head, builder));
}

async function decodePiece(
  t: ExportPieceTask,
  head: (h: ExportPieceHead) => void,
  builder: BatchBuilder,
): Promise<DecodedRows> {
  const rows = new ExportRows(t.meta, t.where, t.window, t.include, t.dry, builder);
  if (t.state?.header) rows.header(t.state.header, 1);
  const reader = new CsvRecordReader({
    resume: t.state?.reader,
    onHeader: (rec) => rows.header(rec.cells, rec.line),
    onRecord: (rec) => rows.row(rec),
    onReject: (r) => rows.reject(r.line, r.raw, r.reason),
  });
  const start = t.state?.reader.offset ?? 0;
  const buf = Buffer.from(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
  let fed = 0;
  while (fed < buf.length && !(fed > 0 && rows.full)) {
    const end = Math.min(buf.length, fed + SLICE);
    reader.write(buf.subarray(fed, end));
    fed = end;
  }
  const ended = t.final && fed === buf.length;
  if (ended) await reader.end();
  const state = reader.state();
  // A copy: posting a view would copy the whole buffer it views.
  const tail = ended ? new Uint8Array(0) : new Uint8Array(buf.subarray(state.offset - start));
  head({ state: { reader: state, header: rows.headerCells }, tail, ended });
  return { ...rows.finish(), handBack: rows.needsText };
}
