import type { TableSchema, ViewDefinition } from '../schema/table.js';

/** Whose progress a state value records: one pipeline's stream for one account. */
export interface StateKey {
  pipeline: string;
  stream: string;
  account: string;
}

/** JSON-serialisable and small (watermarks, checkpoints). */
export type StateValue = Record<string, unknown>;

/** A record that could not be normalized: kept with its origin, never dropped silently. */
export interface RejectRow {
  stream: string;
  run_id: string;
  account: string;
  source: string;
  line: number | null;
  raw: string;
  reason: string;
}

export interface RunRecord {
  run_id: string;
  pipeline: string;
  account: string;
  started_at: Date;
  finished_at: Date | null;
  status: 'running' | 'succeeded' | 'failed';
  rows: number;
  requests: number;
  retries: number;
  rejected: number;
  watermark: string | null;
  message: string | null;
  details: Record<string, unknown>;
}

/** What `_sync_runs.message` says of a run that never recorded its end. */
export const ABANDONED_MESSAGE =
  'the run stopped without recording its end (killed, or the machine stopped); what it committed is kept, and a later run resumed from its last checkpoint';

/** A run as it is first recorded: started, nothing counted yet. */
export function startedRun(id: Pick<RunRecord, 'run_id' | 'pipeline' | 'account' | 'started_at'>): RunRecord {
  return {
    ...id,
    finished_at: null,
    status: 'running',
    rows: 0,
    requests: 0,
    retries: 0,
    rejected: 0,
    watermark: null,
    message: null,
    details: {},
  };
}

/** What one checkpoint makes durable, all or nothing. */
export interface CommitUnit {
  schema: TableSchema;
  /** Staged Parquet files (Stager.files) in fetch order; may be empty. For duplicate keys the later file/row wins. */
  files: string[];
  rejects: RejectRow[];
  state?: { key: StateKey; value: StateValue };
  /** When set, rows go into the shadow snapshot with this id (full sync) instead of the live table. */
  snapshot?: string;
  /**
   * The columns the files hold (the same for every file of a commit), when the caller knows them; absent
   * schema columns keep their stored values. Without it, the destination reads them from the files.
   */
  columns?: readonly string[];
}

export interface OpenOptions {
  /** Wait for another run's lock instead of failing with LockedError. */
  wait?: boolean;
  /** With `wait`: give up after this long (default: wait indefinitely). */
  waitTimeoutMs?: number;
  /** With `wait`: stops waiting (the reason is thrown). */
  signal?: AbortSignal;
  /** With `wait`: told once, when the lock is found held, who holds it. */
  onWait?: (holder: string) => void;
}

/** A place rows land: one implementation per storage kind (DuckDB file, Parquet dataset). */
export interface Destination {
  /** e.g. 'duckdb out/calls.duckdb' */
  readonly description: string;
  /** Where a run stages rows before it commits them: beside the data (same disk), emptied by each run. */
  readonly stagingRoot: string;
  /** Takes the one-writer lock (LockedError, code CS_LOCKED, unless `wait`). */
  open(opts?: OpenOptions): Promise<void>;
  /**
   * Creates the table if missing and adds missing columns (additive evolution only). `fill` gives the value
   * of an added column for the rows already there (the account of rows loaded before accounts existed).
   */
  ensureTable(schema: TableSchema, fill?: Readonly<Record<string, string>>): Promise<void>;
  /**
   * Creates or replaces views over the tables (reporting). DuckDB keeps them in the file with their column
   * comments; a Parquet dataset writes them to `<dir>/_views.sql`, runnable in DuckDB as it is.
   */
  ensureViews(views: readonly ViewDefinition[]): Promise<void>;
  readState(key: StateKey): Promise<StateValue | undefined>;
  /** Forgets the state of a pipeline (or one of its streams), for every account; returns how many records. */
  resetState(pipeline: string, stream?: string): Promise<number>;
  /** Whether the live table holds any row (of `account`, for a table with an account column). */
  hasRows(schema: TableSchema, account?: string): Promise<boolean>;
  /**
   * Atomic: rows + rejects + state. Into the live table, rows merge on the key: `rows` = distinct keys written.
   * Into a snapshot, rows may be appended as they come and a key staged twice resolved at publish (the later
   * commit, file and row wins): `rows` = rows written, where such a key may count twice.
   */
  commit(unit: CommitUnit): Promise<{ rows: number }>;
  /** Idempotent: resumes an existing shadow with the same id. */
  beginSnapshot(schema: TableSchema, id: string): Promise<void>;
  /**
   * Replaces the live rows with the shadow's (+ state): the whole table, or with `account` (a table with an
   * account column) that account's rows only. Shadows of other ids (of the same account) are dropped.
   */
  publishSnapshot(
    schema: TableSchema,
    id: string,
    state?: { key: StateKey; value: StateValue },
    account?: string,
  ): Promise<{ rows: number }>;
  /** Upsert by run_id. */
  recordRun(run: RunRecord): Promise<void>;
  /** Rows of a read-only query over the tables by name (`?` bound to `params`), as JSON-friendly values. */
  query(sql: string, params?: readonly string[]): Promise<Record<string, unknown>[]>;
  /**
   * Runs still recorded as running, called with the lock held: they died without recording their end (killed,
   * or the machine stopped). Marks them failed with ABANDONED_MESSAGE; returns how many.
   */
  closeAbandonedRuns(): Promise<number>;
  /** Releases the lock; idempotent. */
  close(): Promise<void>;
}

/**
 * The snapshot id of one account's full pass: unique per account (two accounts of one run snapshot at once),
 * and telling which account a left-over shadow belongs to. Account names never hold `__` (config refuses it).
 */
export function snapshotIdFor(account: string, passId: string): string {
  return `${account}__${passId}`;
}
