import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runInChild } from '../child.js';
import { type Ctx, progress } from '../context.js';

/** The load path alone (no HTTP): Parquet staging + commits against the DuckDB appender, in one child. */
export async function loadPath(ctx: Ctx): Promise<void> {
  const { opts, results } = ctx;
  const workDir = path.join(ctx.root, 'load-path');
  try {
    progress(`load path: building ${opts.rows} Arrow rows, then ${opts.repeat} trials of each path`);
    const r = await runInChild({ kind: 'load-path', rows: opts.rows, repeat: opts.repeat, workDir });
    const d = r.detail as Record<string, number[]>;
    results.load = {
      rows: r.rows,
      staging: d.staging,
      stage: d.stage,
      commit: d.commit,
      cells: d.cells,
      chunks: d.chunks,
    };
    const s = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(', ');
    progress(`load path: staging ${s(d.staging)} s; cells ${s(d.cells)} s; chunks ${s(d.chunks)} s`);
  } finally {
    await fs.rm(workDir, { recursive: true, force: true });
  }
}
