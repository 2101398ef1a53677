/**
 * Group commit: windows that finish while a commit runs wait, then commit together in one transaction (a
 * commit costs tens of ms whatever its size, so with many parallel windows one-by-one commits would be the
 * bottleneck).
 */

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

/** Files (in fetch order) cut into consecutive pieces of at most `maxBytes` (a bigger file is a piece). */
export function commitPieces<F extends { readonly bytes: number }>(
  files: readonly F[],
  maxBytes = MAX_COMMIT_BYTES,
): F[][] {
  const pieces: F[][] = [];
  let piece: F[] = [];
  let bytes = 0;
  for (const f of files) {
    if (piece.length > 0 && bytes + f.bytes > maxBytes) {
      pieces.push(piece);
      piece = [];
      bytes = 0;
    }
    piece.push(f);
    bytes += f.bytes;
  }
  if (piece.length > 0 || pieces.length === 0) pieces.push(piece);
  return pieces;
}
