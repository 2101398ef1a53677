/**
 * The export path's per-row CPU on one thread, stage by stage: a real export body from the simulator (fetched
 * once, held in memory) read by CsvRecordReader, each CSV row made a row of the calls table (CsvRowNormalizer,
 * as export-decode.ts does on a decode thread), built into Arrow (BatchBuilder, batches of 5000 rows) and
 * encoded as staging Parquet (toParquet). Each stage includes the ones before it, so the difference between two
 * lines is what a stage costs. Standalone, not part of bench/run.ts:
 *
 *   npm run build && node dist/bench/tasks/export-rows.js [--rows 20000] [--repeat 5] [--variant human]
 *
 * `--variant human` asks the simulator for the export the issue was measured on: human headers ("Caller
 * Number"), `;`-joined keyword cells and all-E.164 numbers. The default is the simulator's default export.
 */
import { parseArgs } from 'node:util';
import * as arrow from 'apache-arrow';
import { CsvRecordReader } from '../../connectors/callscaler/extract/csv-records.js';
import { resolveCsvHeader } from '../../connectors/callscaler/normalize/csv.js';
import { CsvRowNormalizer } from '../../connectors/callscaler/normalize/csv-row.js';
import { QualityTally } from '../../connectors/callscaler/normalize/quality.js';
import type { RowMeta } from '../../connectors/callscaler/normalize/record.js';
import { callsSchema } from '../../connectors/callscaler/schema.js';
import { startSimulator } from '../../connectors/callscaler/simulator/index.js';
import { BatchBuilder } from '../../src/arrow/batch-builder.js';
import { toParquet } from '../../src/load/parquet-bytes.js';
import { median } from '../report.js';

const STAGES = ['read', 'normalize', 'arrow', 'parquet'] as const;
type Stage = (typeof STAGES)[number];
const CHUNK = 64 * 1024;
const BATCH_ROWS = 5000;

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '20000' },
    repeat: { type: 'string', default: '5' },
    variant: { type: 'string', default: 'default' },
  },
});
const rows = Number(values.rows);
const repeat = Number(values.repeat);
const human = values.variant === 'human';

async function exportBody(): Promise<Buffer> {
  const sim = await startSimulator({ seed: 7, size: rows, phoneFormat: human ? 'e164' : 'mixed' });
  try {
    if (human) sim.setFaults({ csv: { headers: 'human', lists: 'semicolon' } });
    const res = await fetch(`${sim.url}/calls/export?include=transcription,summary`, {
      headers: { authorization: `Bearer ${sim.apiKey}` },
    });
    return Buffer.from(await res.arrayBuffer());
  } finally {
    await sim.close();
  }
}

const meta: RowMeta = { account: 'default', runId: 'bench', syncedAtMs: 0, extract: 'export' };

/** Runs the stages up to `last` over the whole body; returns the rows that made it through. */
async function run(body: Buffer, last: Stage): Promise<number> {
  const upTo = STAGES.indexOf(last);
  let normalizer: CsvRowNormalizer | undefined;
  const tally = new QualityTally();
  const builder = new BatchBuilder(callsSchema);
  let kept = 0;
  const flush = () => {
    const batch = builder.finish();
    if (batch && upTo >= STAGES.indexOf('parquet')) toParquet(new arrow.Table(batch));
  };
  const reader = new CsvRecordReader({
    onHeader: (rec) => {
      normalizer = new CsvRowNormalizer(resolveCsvHeader(rec.cells), meta);
    },
    onRecord: (rec) => {
      if (upTo === 0) {
        kept++;
        return undefined;
      }
      const reason = normalizer!.normalize(rec.cells, tally);
      if (reason !== null) return { reason, split: false };
      kept++;
      if (upTo >= 2) {
        builder.append(normalizer!.row);
        if (builder.length >= BATCH_ROWS) flush();
      }
      return undefined;
    },
    onReject: () => {},
  });
  for (let at = 0; at < body.length; at += CHUNK) reader.write(body.subarray(at, at + CHUNK));
  await reader.end();
  if (upTo >= 2) flush();
  return kept;
}

const body = await exportBody();
process.stdout.write(
  `export body: ${rows} calls, ${(body.length / 1e6).toFixed(1)} MB (${human ? 'human headers, ; lists, E.164' : 'simulator default'})\n`,
);
// Warm-up: JIT, lazily compiled regexes.
for (const stage of STAGES) await run(body, stage);
const cpu: Record<Stage, number[]> = { read: [], normalize: [], arrow: [], parquet: [] };
for (let round = 0; round < repeat; round++) {
  const order = round % 2 === 0 ? STAGES : [...STAGES].reverse();
  for (const stage of order) {
    const c0 = process.cpuUsage();
    const kept = await run(body, stage);
    const c = process.cpuUsage(c0);
    if (kept !== rows) throw new Error(`${stage}: ${kept} of ${rows} rows`);
    cpu[stage].push((c.user + c.system) / rows);
  }
}
let before = 0;
for (const stage of STAGES) {
  const us = median(cpu[stage]) ?? Number.NaN;
  process.stdout.write(
    `${stage.padEnd(9)} ${us.toFixed(1).padStart(6)} µs/row CPU (this stage ${(us - before).toFixed(1).padStart(5)}) [${cpu[stage].map((x) => x.toFixed(1)).join(', ')}]\n`,
  );
  before = us;
}
