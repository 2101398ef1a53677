// The two destinations the contract suite runs against, each with the ways a user reads back what it stored:
// DuckDB through a reader's own read-only instance on the file, Parquet through DuckDB over the files and
// the JSON files beside them. Nothing is read through the destination under test.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  type Destination,
  DuckDBDestination,
  ParquetDestination,
  type StateKey,
  type StateValue,
} from '../../src/load/index.js';
import { query } from './duckdb.js';
import { listTree } from './files.js';

type Row = Record<string, unknown>;

const REJECT_COLUMNS = 'stream, run_id, account, source, line, raw, reason';
const RUN_COLUMNS = 'run_id, status, message, rows, finished_at, details';

/** One destination in a temp dir, and what it stored, read back. The data table is `events`. */
export interface StoredDestination {
  dest: Destination;
  /** `SELECT <select>` over the events table, ordered by id. */
  rows(select: string): Promise<Row[]>;
  /** The state value stored for `key`. */
  state(key: StateKey): Promise<StateValue | undefined>;
  /** The rejected records (REJECT_COLUMNS), ordered by line, NULL last. */
  rejects(): Promise<Row[]>;
  /** The run records (RUN_COLUMNS), ordered by run_id; instants in UTC. */
  runs(): Promise<Row[]>;
  /** The snapshot shadows left in storage, by name, sorted. */
  shadows(): Promise<string[]>;
  /** Every file the destination keeps, relative and sorted. */
  files(): Promise<string[]>;
  /** The shadow name of snapshot `id`, as `shadows()` lists it. */
  shadow(id: string): string;
  /** How a failed commit to the events table starts its message. */
  commitFailed: string;
  /** What committing into, or publishing, a snapshot that was not begun says. */
  notBegun(id: string): { commit: string; publish: string };
}

export interface DestinationKind {
  name: string;
  /** A destination (not yet open) that keeps everything below `dir`. */
  make(dir: string): StoredDestination;
}

const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`;

export const duckdbKind: DestinationKind = {
  name: 'DuckDB',
  make(dir) {
    const file = path.join(dir, 'nested', 'db.duckdb');
    const dest = new DuckDBDestination(file);
    /** The destination holds the file: it closes, a reader reads, it opens again. */
    const read = async <T = Row>(sql: string): Promise<T[]> => {
      await dest.close();
      try {
        return await query<T>(file, sql, { readOnly: true });
      } finally {
        await dest.open();
      }
    };
    const shadow = (id: string) => `events__snapshot_${id.toLowerCase().replaceAll('-', '_')}`;
    return {
      dest,
      rows: (select) => read(`SELECT ${select} FROM events ORDER BY id`),
      state: async (key) => {
        const [found] = await read<{ value: string }>(
          `SELECT value::VARCHAR AS value FROM _sync_state WHERE pipeline = ${sqlText(key.pipeline)}
             AND stream = ${sqlText(key.stream)} AND account = ${sqlText(key.account)}`,
        );
        return found && JSON.parse(found.value);
      },
      rejects: () => read(`SELECT ${REJECT_COLUMNS} FROM _rejected ORDER BY line NULLS LAST`),
      runs: () => read(`SELECT ${RUN_COLUMNS} FROM _sync_runs ORDER BY run_id`),
      shadows: async () =>
        (
          await read<{ name: string }>(
            `SELECT table_name AS name FROM duckdb_tables()
             WHERE table_name LIKE 'events%' AND table_name <> 'events' ORDER BY 1`,
          )
        ).map((t) => t.name),
      files: () => listTree(path.dirname(file)),
      shadow,
      commitFailed: `commit to table events in ${file} failed`,
      notBegun: (id) => ({
        commit: `snapshot ${id} of events was not begun (no table ${shadow(id)})`,
        publish: `cannot publish snapshot ${id} of events: no table ${shadow(id)} (beginSnapshot first)`,
      }),
    };
  },
};

export const parquetKind: DestinationKind = {
  name: 'Parquet',
  make(dir) {
    const root = path.join(dir, 'out', 'parquet');
    const dest = new ParquetDestination(root);
    /** DuckDB over the files matching `glob` (`$FILES` in the SQL); no file at all reads as no rows. */
    const read = async (glob: string, sql: string): Promise<Row[]> => {
      const files = sqlText(path.join(root, glob));
      const [{ n }] = await query<{ n: number }>(':memory:', `SELECT count(*)::INT AS n FROM glob(${files})`);
      return n === 0 ? [] : query(':memory:', sql.replaceAll('$FILES', files));
    };
    const shadow = (id: string) => `.snapshot-${id}`;
    const snapshotDir = (id: string) => path.join(root, shadow(id), 'events');
    return {
      dest,
      rows: (select) => read('events/**/*.parquet', `SELECT ${select} FROM read_parquet($FILES) ORDER BY id`),
      state: async (key) => {
        const file = path.join(root, '_state', `${key.pipeline}.${key.stream}.${key.account}.json`);
        const text = await fs.readFile(file, 'utf8').catch(() => undefined);
        return text === undefined ? undefined : JSON.parse(text).value;
      },
      rejects: () =>
        read(
          '_rejected/**/*.parquet',
          `SELECT ${REJECT_COLUMNS} FROM read_parquet($FILES) ORDER BY line NULLS LAST`,
        ),
      runs: () =>
        read(
          '_sync_runs/*.json',
          `SELECT ${RUN_COLUMNS} FROM read_json($FILES, columns = {run_id: 'VARCHAR', status: 'VARCHAR',
             message: 'VARCHAR', rows: 'BIGINT', finished_at: 'TIMESTAMPTZ', details: 'JSON'}) ORDER BY run_id`,
        ),
      shadows: async () => (await fs.readdir(root)).filter((f) => f.startsWith('.snapshot')).sort(),
      files: () => listTree(root),
      shadow,
      commitFailed: `commit to ${path.join(root, 'events')} failed (nothing changed)`,
      notBegun: (id) => ({
        commit: `snapshot ${id} of events was not begun (no ${snapshotDir(id)})`,
        publish: `cannot publish snapshot ${id} of events: no ${snapshotDir(id)} (beginSnapshot first)`,
      }),
    };
  },
};
