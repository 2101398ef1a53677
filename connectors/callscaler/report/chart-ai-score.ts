import type { TopLevelSpec } from 'vega-lite';
import type { Section } from './figure.js';
import { formatInteger, formatRatio } from './format.js';
import { htmlTable } from './html.js';
import type { AiScoreBucket } from './report-data.js';
import { CHART_CONFIG, CHART_WIDTH } from './theme.js';

const BUCKET = 10;

/** The AI-score histogram: ten buckets of ten points, every bucket shown (0 calls included). */
export function aiScoreSection(rows: readonly AiScoreBucket[]): Section {
  const buckets = fullBuckets(rows);
  const total = buckets.reduce((sum, b) => sum + b.calls, 0);
  const base = {
    key: 'ai-score' as const,
    heading: 'AI score distribution',
    caption: 'Calls by AI lead score, in buckets of 10 points (calls without a score are not counted).',
    emptyNote: 'No calls with an AI score in this period.',
  };
  if (total === 0) return { ...base, spec: null, table: '' };

  const values = buckets.map((b) => ({
    start: b.bucket_start,
    end: b.bucket_start + BUCKET,
    mid: b.bucket_start + BUCKET / 2,
    calls: b.calls,
    text: formatInteger(b.calls),
  }));
  const spec: TopLevelSpec = {
    config: CHART_CONFIG,
    width: CHART_WIDTH,
    height: 220,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values },
    layer: [
      {
        mark: { type: 'bar', binSpacing: 2 },
        encoding: {
          x: {
            field: 'start',
            type: 'quantitative',
            bin: { binned: true, step: BUCKET },
            title: 'AI score',
            scale: { domain: [0, 100] },
            axis: { values: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], grid: false },
          },
          x2: { field: 'end' },
          y: { field: 'calls', type: 'quantitative', title: 'Calls', axis: { format: ',d', tickMinStep: 1 } },
        },
      },
      {
        mark: { type: 'text', baseline: 'bottom', dy: -3 },
        encoding: {
          x: { field: 'mid', type: 'quantitative' },
          y: { field: 'calls', type: 'quantitative' },
          text: { field: 'text' },
        },
      },
    ],
  };

  const table = htmlTable(
    [
      { header: 'AI score', cell: (b: AiScoreBucket) => bucketLabel(b.bucket_start) },
      { header: 'Calls', cell: (b) => formatInteger(b.calls), numeric: true },
      { header: 'Share', cell: (b) => formatRatio(b.calls, total), numeric: true },
    ],
    buckets,
    ['All scores', formatInteger(total), formatRatio(total, total)],
  );
  return { ...base, spec, table };
}

/** 0–9, ..., 80–89, 90–100 (the last bucket holds the perfect scores). */
function bucketLabel(start: number): string {
  return start === 100 - BUCKET ? `${start}–100` : `${start}–${start + BUCKET - 1}`;
}

/** Buckets 0..90 in order, the missing ones as 0; rows outside them are ignored. */
function fullBuckets(rows: readonly AiScoreBucket[]): AiScoreBucket[] {
  const calls = new Map<number, number>();
  for (const r of rows) calls.set(r.bucket_start, (calls.get(r.bucket_start) ?? 0) + r.calls);
  return Array.from({ length: 100 / BUCKET }, (_, i) => ({
    bucket_start: i * BUCKET,
    calls: calls.get(i * BUCKET) ?? 0,
  }));
}
