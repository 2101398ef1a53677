import { createInterface } from 'node:readline/promises';
import { defaultConnector } from '../../connectors/index.js';
import { createDestination } from '../load/index.js';
import { literal } from '../load/sql.js';
import { type PassState, passWindows } from '../pipeline/state.js';
import { EXIT } from './exit.js';
import { loadPipelineFile } from './pipeline-file.js';
import { readDestination } from './read-destination.js';

export interface StateArgs {
  config: string;
  stream?: string;
  yes: boolean;
  json: boolean;
}

interface StateRow {
  pipeline: string;
  stream: string;
  account: string;
  value: string;
  updated_at: string | null;
}

/** `state show`: each stream and account's watermark, and the passes still in progress. */
export async function showState(args: StateArgs): Promise<number> {
  const { config, reader, where } = await readDestination(args.config, defaultConnector);
  const stream = args.stream === undefined ? '' : ` AND stream = ${literal(args.stream)}`;
  const rows: StateRow[] = [];
  if (reader) {
    try {
      rows.push(
        ...((await reader.rows(
          `SELECT pipeline, stream, account, CAST(value AS VARCHAR) AS value, CAST(updated_at AS VARCHAR) AS updated_at
           FROM _sync_state WHERE pipeline = ${literal(config.name)}${stream} ORDER BY stream, account`,
        )) as unknown as StateRow[]),
      );
    } finally {
      reader.close();
    }
  }
  if (args.json) {
    const out = rows.map((r) => ({ ...r, value: JSON.parse(r.value) as unknown }));
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return EXIT.ok;
  }
  if (rows.length === 0) {
    process.stdout.write(
      `no state for pipeline ${config.name} in ${where}: the next run starts from the beginning\n`,
    );
    return EXIT.ok;
  }
  for (const r of rows) process.stdout.write(`${describeState(r)}\n`);
  return EXIT.ok;
}

function describeState(r: StateRow): string {
  const v = JSON.parse(r.value) as {
    watermark?: string | null;
    pass?: PassState | null;
    ranges?: Record<string, PassState>;
  };
  const lines = [`${r.stream} [${r.account}]: watermark ${v.watermark ?? '- (no complete pass yet)'}`];
  if (v.pass) lines.push(`  ${passLine(v.pass)}`);
  for (const p of Object.values(v.ranges ?? {})) lines.push(`  ${passLine(p)}`);
  lines.push(`  updated ${r.updated_at ?? '-'}`);
  return lines.join('\n');
}

function passLine(p: PassState): string {
  const total = passWindows(p).length;
  return `${p.kind} ${p.start}..${p.end} in progress: ${p.done.length} of ${total} windows committed (run ${p.id}, provider clock ${p.serverDate})`;
}

/** `state reset`: forgets the state (data stays: the next run fetches history again and merges on id). */
export async function resetState(args: StateArgs): Promise<number> {
  const { config, baseDir } = await loadPipelineFile(args.config, defaultConnector, { local: true });
  const what = `the sync state of pipeline ${config.name}${args.stream ? `, stream ${args.stream}` : ''}`;
  if (!args.yes) {
    if (!process.stdin.isTTY) {
      process.stderr.write(
        `callscaler-sync: state reset would forget ${what}; pass --yes to do it without a prompt\n`,
      );
      return EXIT.usage;
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(`Forget ${what}? The next run syncs all history again. [y/N] `);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      process.stderr.write('nothing changed\n');
      return EXIT.ok;
    }
  }
  const destination = createDestination(config.destination, baseDir);
  await destination.open({});
  try {
    const n = await destination.resetState(config.name, args.stream);
    process.stdout.write(`reset ${n} state record(s) of ${what}; rows in the tables are kept\n`);
  } finally {
    await destination.close();
  }
  return EXIT.ok;
}
