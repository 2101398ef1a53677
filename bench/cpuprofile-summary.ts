/**
 * Aggregates V8 .cpuprofile files (node --cpu-prof) into Markdown: self time by function, by file, and by
 * area of this project (HTTP, JSON, CSV, normalize, Arrow, Parquet staging, DuckDB, ...).
 *
 *   node dist/bench/cpuprofile-summary.js [--top 15] a.cpuprofile [b.cpuprofile ...]
 *
 * Builtins and natives without a script (JSON.parse, RegExp, ...), Node's own modules (TextDecoder, fs) and
 * wasm are listed as themselves by function, and charged to the nearest calling project or library script
 * for the by-file and by-area views.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** First match wins, tried from the innermost frame outwards. */
const AREAS: readonly [string, RegExp][] = [
  ['Parquet staging (parquet-wasm)', /parquet-wasm/],
  ['Arrow IPC/table (apache-arrow)', /node_modules\/apache-arrow/],
  ['phones (libphonenumber-js)', /libphonenumber-js|normalize\/phone/],
  ['URLs and attribution', /normalize\/(url|attribution|derive)/],
  ['normalize record/fields', /normalize\//],
  ['JSON parse (src/http/body)', /src\/http\/body/],
  ['CSV reading', /csv-parse|extract\/csv-|extract\/export/],
  ['Arrow building (src/arrow)', /src\/arrow\//],
  ['list page handling (extract/api)', /extract\/|callscaler\/api\//],
  ['HTTP (undici + src/http)', /node_modules\/undici|src\/http\//],
  ['DuckDB client (node-api)', /@duckdb/],
  ['load (src/load)', /src\/load\//],
  ['pipeline engine (src/pipeline)', /src\/pipeline\//],
  ['config (zod, yaml)', /node_modules\/(zod|yaml)|src\/config\//],
  ['bench harness', /\/bench\//],
];

function shortUrl(url: string): string {
  if (url === '' || url.startsWith('node:')) return url;
  if (url.startsWith('wasm:')) return `wasm ${path.basename(url)}`;
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) return clean.slice(nm + 'node_modules/'.length);
  const dist = clean.indexOf('/dist/');
  return dist >= 0 ? clean.slice(dist + '/dist/'.length) : path.basename(clean);
}

function special(name: string): boolean {
  return name.startsWith('(');
}

interface Tally {
  byFunction: Map<string, number>;
  byFile: Map<string, number>;
  byArea: Map<string, number>;
  total: number;
}

function add(m: Map<string, number>, k: string, v: number): void {
  m.set(k, (m.get(k) ?? 0) + v);
}

function tally(profile: CpuProfile, t: Tally): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the gap before sample i: the time until the next sample belongs to this one.
    const us = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
    if (us <= 0) continue;
    const node = byId.get(samples[i])!;
    const f = node.callFrame;
    const file = shortUrl(f.url);
    const fname = f.functionName || '(anonymous)';
    add(
      t.byFunction,
      file ? `${fname} ${file}:${f.lineNumber + 1}` : special(fname) ? fname : `${fname} (native)`,
      us,
    );
    // Walk outwards to the first frame of a script that is not Node's own, for the file and area views.
    let id: number | undefined = node.id;
    let chargedFile = '';
    let nodeFile = '';
    let area = '';
    while (id !== undefined) {
      const url = byId.get(id)!.callFrame.url;
      // Wasm (parquet-wasm, but also undici's llhttp) and Node's own code count for whoever called them.
      if (url.startsWith('node:') || url.startsWith('wasm:')) nodeFile ||= shortUrl(url);
      else if (url !== '') {
        chargedFile ||= shortUrl(url);
        area = AREAS.find(([, re]) => re.test(url))?.[0] ?? '';
        if (area) break;
      }
      id = parent.get(id);
    }
    if (!area && nodeFile) area = 'node internals (streams, fs, net)';
    chargedFile ||= nodeFile;
    add(t.byFile, chargedFile || fname, us);
    add(t.byArea, area || (special(fname) ? fname : chargedFile ? 'other scripts' : `${fname} (native)`), us);
    t.total += us;
  }
}

function top(m: Map<string, number>, total: number, n: number, title: string): string {
  const rows = [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  const lines = [`| ${title} | self s | % |`, '| --- | ---: | ---: |'];
  for (const [k, us] of rows) {
    lines.push(
      `| \`${k.replaceAll('|', '\\|')}\` | ${(us / 1e6).toFixed(2)} | ${((100 * us) / total).toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '15' } },
});
if (positionals.length === 0) {
  process.stderr.write('usage: node dist/bench/cpuprofile-summary.js [--top N] file.cpuprofile ...\n');
  process.exit(2);
}
const t: Tally = { byFunction: new Map(), byFile: new Map(), byArea: new Map(), total: 0 };
for (const file of positionals) tally(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, t);
const n = Number(values.top);
process.stdout.write(
  [
    `Sampled ${(t.total / 1e6).toFixed(1)} s of the main thread (${positionals.length} profile(s)).`,
    '',
    top(t.byArea, t.total, n, 'area (innermost project frame)'),
    '',
    top(t.byFunction, t.total, n, 'function (self time)'),
    '',
    top(t.byFile, t.total, n, 'file (builtins charged to their caller)'),
    '',
  ].join('\n'),
);
