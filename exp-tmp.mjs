import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
const src = '/tmp/exp.duckdb';
fs.mkdirSync('/tmp/expq', { recursive: true });
if (!fs.existsSync('/tmp/expq/p7.parquet')) {
  const i0 = await DuckDBInstance.create(src); const c0 = await i0.connect();
  const tbl = (await (await c0.runAndReadAll("select table_name from duckdb_tables()")).getRowObjectsJson()).map(r=>r.table_name);
  for (let k = 0; k < 8; k++) await c0.run(`COPY (SELECT * FROM ${tbl.includes('calls')?'calls':'calls2'} ORDER BY id LIMIT 25000 OFFSET ${k * 25000}) TO '/tmp/expq/p${k}.parquet'`);
  c0.closeSync(); i0.closeSync();
}
const mode = process.argv[2] ?? 'default';
fs.rmSync('/tmp/exp2.duckdb', { force: true }); fs.rmSync('/tmp/exp2.duckdb.wal', { force: true });
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
await c.run(`ATTACH '/tmp/exp2.duckdb' AS w ${mode.includes('rg') ? '(ROW_GROUP_SIZE 16384)' : ''}`); await c.run('USE w');
if (mode.includes('nocp')) await c.run(`SET checkpoint_threshold='10GB'`);
await c.run(`CREATE TABLE calls AS SELECT * FROM '/tmp/expq/p0.parquet' LIMIT 0`);
await c.run(`CREATE TABLE st (k VARCHAR PRIMARY KEY, v VARCHAR)`);
let t = performance.now(); const t0 = t;
const lap = (m) => { const n = performance.now(); console.log(m, (n - t).toFixed(0), 'ms', fs.existsSync('/tmp/exp2.duckdb.wal') ? (fs.statSync('/tmp/exp2.duckdb.wal').size/1e6).toFixed(1)+'MB wal' : ''); t = n; };
for (let k = 0; k < 8; k++) {
  await c.run('BEGIN'); await c.run(`INSERT INTO calls SELECT * FROM '/tmp/expq/p${k}.parquet'`);
  await c.run(`INSERT OR REPLACE INTO st VALUES ('x', '${k}')`); await c.run('COMMIT'); lap('commit ' + k);
}
await c.run('CHECKPOINT'); lap('checkpoint');
c.closeSync(); inst.closeSync(); lap('close');
console.log(mode, 'total', (performance.now() - t0).toFixed(0), (fs.statSync('/tmp/exp2.duckdb').size/1e6).toFixed(0), 'MB file');
