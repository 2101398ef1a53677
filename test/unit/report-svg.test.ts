import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../connectors/callscaler/report/svg.js';
import { estimateTextWidth } from '../../connectors/callscaler/report/text-width.js';

/** Clipped bars with a gradient legend: the two things Vega gives ids to. */
const clipped: TopLevelSpec = {
  data: {
    values: [
      { label: 'id="not-an-attribute"', value: 3 },
      { label: 'b', value: 8 },
    ],
  },
  width: 200,
  mark: { type: 'bar', clip: true },
  encoding: {
    y: { field: 'label', type: 'nominal' },
    x: { field: 'value', type: 'quantitative', scale: { domain: [0, 5] } },
    color: { field: 'value', type: 'quantitative' },
  },
};

function ids(svg: string): string[] {
  return [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
}

describe('renderSvg', () => {
  it('prefixes every id and every reference to one, so charts on one page do not collide', async () => {
    const svg = await renderSvg(clipped, 'chart-a');
    expect(ids(svg).length).toBeGreaterThanOrEqual(2);
    for (const id of ids(svg)) expect(id.startsWith('chart-a-')).toBe(true);
    const refs = [...svg.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThanOrEqual(2);
    for (const ref of refs) expect(ids(svg)).toContain(ref);
  });

  it('gives the same SVG for the same spec, however many charts were drawn before', async () => {
    const first = await renderSvg(clipped, 'x');
    await renderSvg(clipped, 'y');
    await renderSvg(clipped, 'z');
    expect(await renderSvg(clipped, 'x')).toBe(first);
  });

  it('leaves text that looks like an attribute alone', async () => {
    const svg = await renderSvg(clipped, 'p');
    expect(svg).toContain('>id="not-an-attribute"</text>');
  });

  it('cuts labels over their limit with an ellipsis and keeps the ones that fit', async () => {
    const long = 'a campaign name that goes on and on and on and on and on';
    const spec: TopLevelSpec = {
      data: { values: [{ name: long }, { name: 'short one' }] },
      mark: 'point',
      encoding: { y: { field: 'name', type: 'nominal', axis: { labelLimit: 120 } } },
    };
    const svg = await renderSvg(spec, 'l');
    expect(svg).toContain('>short one</text>');
    expect(svg).not.toContain(`>${long}</text>`);
    expect(svg).toMatch(/>a campaign name[^<]*…<\/text>/);
  });

  it('collects Vega-Lite warnings instead of printing them', async () => {
    const warnings: string[] = [];
    const spec: TopLevelSpec = {
      data: { values: [{ a: 1 }] },
      mark: 'bar',
      encoding: { x: { field: 'a', type: 'quantitative' }, shape: { field: 'a', type: 'nominal' } },
    };
    await renderSvg(spec, 'w', warnings);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.join('\n')).toMatch(/shape/);
  });
});

describe('estimateTextWidth', () => {
  it.each([
    ['WWWW', 'iiii'],
    ['Campaign', 'campaign'],
    ['1,234,567', '1,234'],
  ])('%s is wider than %s', (wide, narrow) => {
    expect(estimateTextWidth({ fontSize: 12 }, wide)).toBeGreaterThan(
      estimateTextWidth({ fontSize: 12 }, narrow),
    );
  });

  it('grows with the font size and the weight, and is 0 for no text', () => {
    const normal = estimateTextWidth({ fontSize: 12 }, 'Qualified leads');
    expect(estimateTextWidth({ fontSize: 24 }, 'Qualified leads')).toBeCloseTo(normal * 2);
    expect(estimateTextWidth({ fontSize: 12, fontWeight: 'bold' }, 'Qualified leads')).toBeGreaterThan(
      normal,
    );
    expect(estimateTextWidth({ fontSize: 12 }, '')).toBe(0);
    expect(estimateTextWidth({ fontSize: 12 }, null)).toBe(0);
  });

  it('is about the width a sans-serif font draws (not Vega’s 0.8 em per character)', () => {
    // 10 average lowercase letters at 12px are 60-75px in Arial, Helvetica or DejaVu Sans.
    const width = estimateTextWidth({ fontSize: 12 }, 'conversion');
    expect(width).toBeGreaterThan(55);
    expect(width).toBeLessThan(80);
  });

  it('never exceeds the label limit (what Vega then draws, cut with an ellipsis)', () => {
    expect(estimateTextWidth({ fontSize: 12, limit: 50 }, 'a very long keyword indeed')).toBe(50);
    expect(estimateTextWidth({ fontSize: 12, limit: 500 }, 'short')).toBeLessThan(500);
  });

  it('counts wide characters as a whole em', () => {
    expect(estimateTextWidth({ fontSize: 10 }, '電話')).toBeCloseTo(2 * 10 * 1.15);
  });
});
