import { parse, resetSVGDefIds, View, Warn } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { useEstimatedTextWidths } from './text-width.js';

type Logger = NonNullable<NonNullable<Parameters<typeof compile>[1]>['logger']>;

/**
 * A Vega-Lite spec to an SVG string, in Node: compiled to Vega and drawn by Vega's headless SVG renderer
 * (renderer 'none': no canvas, no DOM). The data must be inline (`data.values`): nothing is loaded.
 *
 * `idPrefix` keeps the SVG's ids (clip paths, gradients) unique within the page, where several charts
 * share one id space. Vega numbers those ids from a module-wide counter, reset here so the same spec
 * always gives the same SVG.
 *
 * Vega and Vega-Lite warnings (a spec mistake, values a scale cannot place) go to `warnings`, not to the
 * console: the report is a pure function and prints nothing. The tests look at them.
 */
export async function renderSvg(
  spec: TopLevelSpec,
  idPrefix: string,
  warnings: string[] = [],
): Promise<string> {
  useEstimatedTextWidths();
  const logger = collect(warnings);
  const view = new View(parse(compile(spec, { logger }).spec), { renderer: 'none', logger });
  try {
    resetSVGDefIds();
    const svg = await view.toSVG();
    return rewriteTags(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

function collect(warnings: string[]): Logger {
  let level = Warn;
  return {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return this;
    },
    error(...args: unknown[]) {
      warnings.push(`error: ${args.map(String).join(' ')}`);
      return this;
    },
    warn(...args: unknown[]) {
      if (level >= Warn) warnings.push(args.map(String).join(' '));
      return this;
    },
    info() {
      return this;
    },
    debug() {
      return this;
    },
  };
}

/**
 * Rewrites tags only: Vega escapes `<` and `>` in text and attributes, so a label reading id="x" stays as it
 * is. Besides the ids, drops the ARIA roles Vega leaves on its groups even with `aria: false`: the page names
 * each chart as one image (role="img" on the root), whose children a screen reader does not walk anyway.
 */
function rewriteTags(svg: string, prefix: string): string {
  return svg.replace(/<[^<>]*>/g, (tag) =>
    tag
      .replace(/\sid="([^"]+)"/g, (_, id: string) => ` id="${prefix}-${id}"`)
      .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
      .replace(/^<g([^>]*?) role="[^"]*"/, '<g$1')
      .replace(/^<g([^>]*?) aria-roledescription="[^"]*"/, '<g$1'),
  );
}
