import { DuckDBInstance } from '@duckdb/node-api';
import type { Argv } from 'yargs';
import { defaultConnector } from '../../connectors/index.js';
import { loadConfig } from '../config/load.js';
import { runCommand } from './run.js';

export interface DemoArgs {
  config: string;
  size: number;
}

export function demoOptions(y: Argv): Argv<DemoArgs> {
  return y.option('config', { alias: 'c', type: 'string', default: './pipeline.yaml' }).option('size', {
    type: 'number',
    default: 5000,
    describe: 'calls the simulator generates',
  }) as unknown as Argv<DemoArgs>;
}

/**
 * `callscaler-sync demo`: start the built-in simulator on a free loopback port, point the pipeline at it
 * through the environment, run it, and show what an analyst gets.
 */
export async function demoCommand(args: DemoArgs): Promise<void> {
  // Loaded here only: nothing but demo and simulate needs the simulator.
  const { startSimulator } = await import('../../connectors/callscaler/simulator/index.js');
  const sim = await startSimulator({ size: args.size });
  process.env.CALLSCALER_BASE_URL = sim.url;
  process.env.CALLSCALER_API_KEY = sim.apiKey;
  process.stdout.write(
    `demo: built-in simulator with ${args.size} calls at ${sim.url} (no API key needed)\n`,
  );
  try {
    await runCommand({ config: args.config, strict: false, wait: false, json: false, quiet: false });
  } finally {
    await sim.close();
  }
  const { destination } = await loadConfig(args.config, defaultConnector.pipelineSchema);
  if (destination.type !== 'duckdb') {
    process.stdout.write(`\nquery it: SELECT * FROM read_parquet('${destination.dir}/calls/**/*.parquet')\n`);
    return;
  }
  const db = destination.path;
  process.stdout.write(`\nlead quality by source (${db}, table calls):\n${await leadQuality(db)}\n`);
  process.stdout.write(`\nquery it: duckdb ${db} "SELECT channel, count(*) FROM calls GROUP BY 1"\n`);
}

async function leadQuality(dbPath: string): Promise<string> {
  const db = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(`
      SELECT coalesce(source, '(none)') AS source, count(*) AS calls,
             count(*) FILTER (WHERE qualified_ai) AS qualified,
             round(avg(ai_score), 1) AS avg_ai_score,
             round(median(value_cents) / 100.0, 2) AS median_value_usd
      FROM calls GROUP BY 1 ORDER BY calls DESC`);
    const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
    return table(rows);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(no rows)';
  const cols = Object.keys(rows[0]);
  const cells = rows.map((r) => cols.map((c) => String(r[c] ?? '')));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (vals: string[]) =>
    vals.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
