import { median, type Results, ratio } from './results.js';

/**
 * The targets of issue #15, all on whole-process figures (what a scheduler sees): each with its figure and
 * whether it is met. null: the part was not run or failed.
 */
export interface Verdict {
  /** Key in the JSON line's `targets`. */
  readonly key: string;
  readonly label: string;
  readonly figure: number | null;
  /** How the figure is shown: a ratio, seconds, MB. */
  readonly unit: 'x' | 's' | 'MB';
  readonly target: string;
  readonly met: boolean | null;
}

function verdict(
  key: string,
  label: string,
  figure: number | null,
  unit: Verdict['unit'],
  op: '<=' | '>=',
  bound: number,
): Verdict {
  const met = figure === null ? null : op === '<=' ? figure <= bound : figure >= bound;
  return { key, label, figure, unit, target: `${op} ${bound}${unit === 'x' ? '' : ` ${unit}`}`, met };
}

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

export function verdicts(r: Results): Verdict[] {
  const small = median(r.memory.small);
  const large = median(r.memory.large);
  const c1 = median(r.latency.c1);
  const c8 = median(r.latency.c8);
  const M = r.memory;
  const [mSmall, mLarge] = M.rowsLarge > 0 ? [M.rowsSmall, M.rowsLarge] : ['N', '10 x N'];
  return [
    verdict(
      'list',
      `list → DuckDB, whole process / limit (${r.rows} calls)`,
      ratio(r.list.oursProcess, r.list.limitProcess),
      'x',
      '<=',
      1.5,
    ),
    verdict(
      'export',
      `export → DuckDB, whole process / limit (${r.rows} calls)`,
      ratio(r.export.oursProcess, r.export.limitProcess),
      'x',
      '<=',
      2.0,
    ),
    verdict(
      'parquet',
      `export → Parquet, whole process / limit (${r.rows} calls)`,
      ratio(r.parquet.oursProcess, r.parquet.limitProcess),
      'x',
      '<=',
      2.0,
    ),
    verdict(
      'sync_small',
      `a ${r.fixed.rows || 'small'}-call first sync, whole process`,
      seconds(median(r.fixed.sync)),
      's',
      '<=',
      0.8,
    ),
    verdict('help', '`--help`, whole process', seconds(median(r.fixed.help)), 's', '<=', 0.25),
    verdict('rss_large', `peak RSS, export → DuckDB, whole process, ${mLarge} calls`, large, 'MB', '<=', 400),
    verdict(
      'rss_flat',
      `peak RSS, ${mLarge} / ${mSmall} calls`,
      small === null || large === null || small === 0 ? null : large / small,
      'x',
      '<=',
      1.2,
    ),
    verdict(
      'latency_speedup',
      `latency-bound list (100 ms/request, ${r.latency.rows || 'N'} calls), c=1 / c=8`,
      c1 === null || c8 === null || c8 === 0 ? null : c1 / c8,
      'x',
      '>=',
      4,
    ),
  ];
}
