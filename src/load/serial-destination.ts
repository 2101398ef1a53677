import type { DuckDBConnection } from '@duckdb/node-api';
import { LoadError } from '../errors.js';
import type { TableSchema, ViewDefinition } from '../schema/table.js';
import type { CommitUnit, Destination, OpenOptions, RunRecord, StateKey, StateValue } from './destination.js';
import { Serial } from './serial.js';

/**
 * What every destination shares: one DuckDB connection (the store itself, or the merge database) and one queue.
 * Each public operation waits its turn, so windows fetched concurrently never interleave on the connection;
 * subclasses write the `...Now` steps, which therefore always run alone.
 */
export abstract class SerialDestination implements Destination {
  abstract readonly description: string;
  abstract readonly stagingRoot: string;
  protected conn: DuckDBConnection | undefined;
  protected readonly serial = new Serial();

  abstract open(opts?: OpenOptions): Promise<void>;

  ensureTable(schema: TableSchema, fill?: Readonly<Record<string, string>>): Promise<void> {
    return this.serial.run(() => this.ensureTableNow(schema, fill));
  }

  ensureViews(views: readonly ViewDefinition[]): Promise<void> {
    return this.serial.run(() => this.ensureViewsNow(views));
  }

  readState(key: StateKey): Promise<StateValue | undefined> {
    return this.serial.run(() => this.readStateNow(key));
  }

  resetState(pipeline: string, stream?: string): Promise<number> {
    return this.serial.run(() => this.resetStateNow(pipeline, stream));
  }

  hasRows(schema: TableSchema, account?: string): Promise<boolean> {
    return this.serial.run(() => this.hasRowsNow(schema, account));
  }

  commit(unit: CommitUnit): Promise<{ rows: number }> {
    return this.serial.run(() => this.commitNow(unit));
  }

  beginSnapshot(schema: TableSchema, id: string): Promise<void> {
    return this.serial.run(() => this.beginSnapshotNow(schema, id));
  }

  publishSnapshot(
    schema: TableSchema,
    id: string,
    state?: { key: StateKey; value: StateValue },
    account?: string,
  ): Promise<{ rows: number }> {
    return this.serial.run(() => this.publishSnapshotNow(schema, id, state, account));
  }

  recordRun(run: RunRecord): Promise<void> {
    return this.serial.run(() => this.recordRunNow(run));
  }

  abstract query(sql: string, params?: readonly string[]): Promise<Record<string, unknown>[]>;

  closeAbandonedRuns(): Promise<number> {
    return this.serial.run(() => this.closeAbandonedRunsNow());
  }

  /** Waits for queued operations, then closes; idempotent. */
  close(): Promise<void> {
    return this.serial.run(() => this.closeNow());
  }

  protected connection(): DuckDBConnection {
    if (!this.conn) throw new LoadError(`${this.description} is not open (call open() first)`);
    return this.conn;
  }

  protected abstract ensureTableNow(
    schema: TableSchema,
    fill?: Readonly<Record<string, string>>,
  ): Promise<void>;
  protected abstract ensureViewsNow(views: readonly ViewDefinition[]): Promise<void>;
  protected abstract readStateNow(key: StateKey): Promise<StateValue | undefined>;
  protected abstract resetStateNow(pipeline: string, stream?: string): Promise<number>;
  protected abstract hasRowsNow(schema: TableSchema, account?: string): Promise<boolean>;
  protected abstract commitNow(unit: CommitUnit): Promise<{ rows: number }>;
  protected abstract closeAbandonedRunsNow(): Promise<number>;
  protected abstract beginSnapshotNow(schema: TableSchema, id: string): Promise<void>;
  protected abstract publishSnapshotNow(
    schema: TableSchema,
    id: string,
    state?: { key: StateKey; value: StateValue },
    account?: string,
  ): Promise<{ rows: number }>;
  protected abstract recordRunNow(run: RunRecord): Promise<void>;
  protected abstract closeNow(): Promise<void>;
}
