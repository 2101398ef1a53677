import type { Destination, RejectRow, StateKey, StateValue } from '../load/destination.js';
import type { StagedFile } from '../load/staging.js';
import type { TableSchema } from '../schema/table.js';

/**
 * Rows one group may carry: windows that wait behind a commit join the next one only up to this. Their files
 * are then committed in pieces of MAX_COMMIT_BYTES, so this bounds how long a group holds the commit chain,
 * not memory.
 */
export const MAX_GROUP_ROWS = 50_000;

/** The windows at the head of the queue that commit together: at least one, then up to MAX_GROUP_ROWS. */
export function takeGroup<T extends { readonly rows: number }>(queue: T[], maxRows = MAX_GROUP_ROWS): T[] {
  let n = 1;
  let rows = queue[0].rows;
  while (n < queue.length && rows + queue[n].rows <= maxRows) rows += queue[n++].rows;
  return queue.splice(0, n);
}

/**
 * Staged bytes one transaction may carry. DuckDB's memory for a commit grows with what it carries, and a
 * window holds as many rows as the provider has in its dates, so a big window commits in pieces of about this
 * size (staged files are uncompressed: about what their rows take in memory), in fetch order, the checkpoint
 * with the last piece. Pieces committed before a crash are harmless: the window is fetched again and merged on
 * id, so no row is lost or doubled.
 */
export const MAX_COMMIT_BYTES = 32 * 1024 * 1024;

/**
 * Files (in fetch order) cut into consecutive pieces of at most `maxBytes` (a bigger file is a piece); a file
 * with other columns than the piece's starts a new one (a commit merges one set of columns). A last piece under
 * half of `maxBytes` joins the one before it (which may then carry up to 1.5 x `maxBytes`): a small transaction
 * costs twice, since DuckDB writes the rows of a big one straight into its file but logs a small one's (under a
 * row group) to the WAL and rewrites them at the next checkpoint, which the run's close then waits for.
 */
export function commitPieces<F extends { readonly bytes: number; readonly columns?: string }>(
  files: readonly F[],
  maxBytes = MAX_COMMIT_BYTES,
): F[][] {
  const pieces: F[][] = [];
  let piece: F[] = [];
  let bytes = 0;
  for (const f of files) {
    if (piece.length > 0 && (bytes + f.bytes > maxBytes || f.columns !== piece[0].columns)) {
      pieces.push(piece);
      piece = [];
      bytes = 0;
    }
    piece.push(f);
    bytes += f.bytes;
  }
  const previous = pieces.at(-1);
  if (previous && piece.length > 0 && bytes < maxBytes / 2 && piece[0].columns === previous[0].columns) {
    previous.push(...piece);
  } else if (piece.length > 0 || pieces.length === 0) {
    pieces.push(piece);
  }
  return pieces;
}

export interface GroupCommitterOptions {
  readonly destination: Destination;
  readonly table: TableSchema;
  readonly key: StateKey;
  /** A full sync's shadow: rows go there instead of the live table. */
  readonly snapshot?: string;
  /**
   * The state committed with a group, from the keys of every window committed so far (this group's too);
   * undefined: no state is written (a lookup).
   */
  readonly checkpoint: (done: ReadonlySet<string>) => StateValue | undefined;
  /** Staged bytes per transaction (default MAX_COMMIT_BYTES). */
  readonly maxCommitBytes?: number;
}

interface Pending {
  readonly window: string;
  readonly rows: number;
  readonly files: readonly StagedFile[];
  readonly rejects: readonly RejectRow[];
  readonly settle: (err?: unknown) => void;
}

/**
 * One commit at a time. Windows that finish while a commit runs wait in the queue, then commit together in one
 * transaction (group commit): a commit costs tens of ms whatever its size, so with many parallel windows
 * one-by-one commits would become the bottleneck. A group's files go in pieces of at most `maxCommitBytes`, in
 * fetch order, and its rejects and checkpoint go with the last piece.
 */
export class GroupCommitter {
  /** Rows written by the groups committed so far. */
  rows = 0;
  private readonly done: Set<string>;
  private readonly queue: Pending[] = [];
  private committing = false;

  /** `done`: windows committed by earlier runs of the same pass. */
  constructor(
    private readonly o: GroupCommitterOptions,
    done: Iterable<string> = [],
  ) {
    this.done = new Set(done);
  }

  /** Queues a window's staged rows; settles once the group it joins is durable (or failed). */
  commit(window: string, files: readonly StagedFile[], rejects: readonly RejectRow[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const rows = files.reduce((sum, f) => sum + f.rows, 0);
      this.queue.push({ window, rows, files, rejects, settle: (err) => (err ? reject(err) : resolve()) });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.committing) return;
    this.committing = true;
    while (this.queue.length > 0) {
      const group = takeGroup(this.queue);
      for (const p of group) this.done.add(p.window);
      try {
        this.rows += await this.commitGroup(group);
        for (const p of group) p.settle();
      } catch (err) {
        for (const p of group) this.done.delete(p.window);
        for (const p of group) p.settle(err);
      }
    }
    this.committing = false;
  }

  private async commitGroup(group: readonly Pending[]): Promise<number> {
    const { destination, table, key, snapshot } = this.o;
    const value = this.o.checkpoint(this.done);
    const state = value === undefined ? undefined : { key, value };
    const pieces = commitPieces(
      group.flatMap((p) => p.files),
      this.o.maxCommitBytes,
    );
    let rows = 0;
    for (const [i, piece] of pieces.entries()) {
      const last = i === pieces.length - 1;
      const committed = await destination.commit({
        schema: table,
        files: piece.map((f) => f.file),
        columns: piece.length > 0 ? piece[0].columns.split(',') : undefined,
        rejects: last ? group.flatMap((p) => p.rejects) : [],
        state: last ? state : undefined,
        snapshot,
      });
      rows += committed.rows;
    }
    return rows;
  }
}
