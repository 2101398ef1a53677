import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as arrow from 'apache-arrow';
import { LoadError } from '../errors.js';
import { resolvePath } from './fsutil.js';

const SEQ_DIGITS = 6;

export interface StagedFile {
  readonly seq: number;
  readonly file: string;
  readonly rows: number;
  /** Size of the file: uncompressed, about what its rows take in memory. */
  readonly bytes: number;
  /**
   * The columns the file holds, comma-joined. A stream leaves out the columns its source did not carry (an
   * export without transcriptions): files of different columns never share a commit, where a missing column
   * would read as NULL and overwrite stored values.
   */
  readonly columns: string;
}

/**
 * Arrow batches -> Parquet files in one run's staging directory. DuckDB has no Arrow ingest from Node, but it
 * reads Parquet far faster than row appends, so each fetched batch becomes one small Parquet file and a
 * commit reads them all in one statement. Sequence numbers are taken when `write` is called, so file order is
 * fetch order even when writes overlap.
 */
export class Stager {
  readonly dir: string;
  private seq = 0;
  private readonly done: StagedFile[] = [];

  constructor(dir: string) {
    this.dir = resolvePath(dir, 'staging directory');
  }

  /** Completed files, in fetch (sequence) order. */
  get files(): string[] {
    return this.done.map((d) => d.file);
  }

  /** Completed files with their row counts and sizes, in fetch (sequence) order. */
  get staged(): StagedFile[] {
    return [...this.done];
  }

  async write(batch: arrow.RecordBatch | arrow.Table): Promise<string> {
    const seq = ++this.seq;
    // Loaded on first use: a run whose rows are encoded on worker threads (`reserve`) never loads the encoder.
    const { asTable, toParquet } = await import('./parquet-bytes.js');
    const table = asTable(batch);
    const columns = table.schema.fields.map((f) => f.name).join(',');
    return this.put(seq, table.numRows, columns, () => toParquet(table));
  }

  /**
   * A place in fetch order for rows that are still being encoded elsewhere (a worker thread, with `toParquet`):
   * the returned function writes them there when they arrive.
   */
  reserve(): (bytes: Uint8Array, rows: number, columns: readonly string[]) => Promise<string> {
    const seq = ++this.seq;
    return (bytes, rows, columns) => this.put(seq, rows, columns.join(','), () => bytes);
  }

  private async put(seq: number, rows: number, columns: string, encode: () => Uint8Array): Promise<string> {
    const name = `${String(seq).padStart(SEQ_DIGITS, '0')}.parquet`;
    const file = path.join(this.dir, name);
    let size = 0;
    try {
      const bytes = encode();
      size = bytes.byteLength;
      await fs.mkdir(this.dir, { recursive: true });
      // A file that is listed is complete: write aside, then rename.
      const tmp = `${file}.tmp`;
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, file);
    } catch (err) {
      const msg = `cannot stage batch ${seq} (${rows} rows) to ${file}: ${(err as Error).message}`;
      throw new LoadError(msg, { cause: err });
    }
    const at = this.done.findIndex((d) => d.seq > seq);
    this.done.splice(at === -1 ? this.done.length : at, 0, { seq, file, rows, bytes: size, columns });
    return file;
  }

  async cleanup(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
    this.done.length = 0;
  }
}
