import type { ColumnSpec } from './sql.js';

/**
 * The loader's own tables, defined once: DuckDB creates them with the same DDL function as data tables, and
 * the Parquet dataset writes rejects with the same columns.
 */
export interface SystemTable {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly primaryKey: readonly string[];
}

export const STATE_TABLE: SystemTable = {
  name: '_sync_state',
  columns: [
    { name: 'pipeline', type: 'utf8', description: 'Pipeline name (pipeline.yaml `name`)' },
    { name: 'stream', type: 'utf8', description: 'Stream name' },
    { name: 'account', type: 'utf8', description: 'Account the state belongs to' },
    { name: 'value', type: 'json', description: 'Watermark and checkpoints' },
    { name: 'updated_at', type: 'timestamp', description: 'When this state was committed (local clock)' },
  ],
  primaryKey: ['pipeline', 'stream', 'account'],
};

export const RUNS_TABLE: SystemTable = {
  name: '_sync_runs',
  columns: [
    { name: 'run_id', type: 'utf8', description: 'Run id' },
    { name: 'pipeline', type: 'utf8', description: 'Pipeline name' },
    { name: 'account', type: 'utf8', description: 'Account synced' },
    { name: 'started_at', type: 'timestamp', description: 'Run start (local clock)' },
    { name: 'finished_at', type: 'timestamp', description: 'Run end (local clock); NULL while running' },
    { name: 'status', type: 'utf8', description: 'running, succeeded or failed' },
    { name: 'rows', type: 'int64', description: 'Distinct rows written' },
    { name: 'requests', type: 'int64', description: 'HTTP requests made' },
    { name: 'retries', type: 'int64', description: 'HTTP retries' },
    { name: 'rejected', type: 'int64', description: 'Rows rejected' },
    { name: 'watermark', type: 'utf8', description: 'Watermark committed by the run' },
    { name: 'message', type: 'utf8', description: 'Failure cause, if any' },
    { name: 'details', type: 'json', description: 'Per-stream details' },
  ],
  primaryKey: ['run_id'],
};

export const REJECTED_TABLE: SystemTable = {
  name: '_rejected',
  columns: [
    { name: 'stream', type: 'utf8', description: 'Stream the record came from' },
    { name: 'run_id', type: 'utf8', description: 'Run that rejected it' },
    { name: 'account', type: 'utf8', description: 'Account the record came from' },
    { name: 'source', type: 'utf8', description: 'Where it came from (endpoint, page, export)' },
    { name: 'line', type: 'int64', description: 'Line number in the source, when it has lines' },
    { name: 'raw', type: 'utf8', description: 'The raw record text' },
    { name: 'reason', type: 'utf8', description: 'Why it was rejected' },
    { name: 'rejected_at', type: 'timestamp', description: 'When it was rejected (local clock)' },
  ],
  primaryKey: [],
};
