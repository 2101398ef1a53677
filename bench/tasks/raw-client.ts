/** What the raw "limit" clients share: bounded window concurrency and the window query. */

/** Runs `work` over items with at most `limit` in flight (the raw clients' window concurrency). */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The query of one window, as the pipeline's calls stream sends it (filters: none). */
export function windowParams(w: { startDate: string; endDate: string }, include: readonly string[]) {
  const q = new URLSearchParams({ start_date: w.startDate, end_date: w.endDate });
  if (include.length > 0) q.set('include', include.join(','));
  return q;
}

/** A DuckDB list literal of file paths. */
export function sqlList(files: readonly string[]): string {
  return `[${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}]`;
}
