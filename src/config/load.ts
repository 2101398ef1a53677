import { readFile } from 'node:fs/promises';
import { type Document, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { interpolate } from './interpolate.js';
import { type ConfigProblem, configErrorMap, formatPath, formatZodIssues, joinProblems } from './issues.js';
import { isSecretKey, redact, registerSecret } from './redact.js';

/**
 * The boundary: YAML text -> ${VAR} interpolation -> validation -> a deep-frozen, typed config.
 * Everything inward trusts what this returns.
 */

export interface LoadOptions {
  /** Unset secret variables are allowed (for commands that never send a request). */
  readonly optionalSecrets?: boolean;
  /**
   * Only these `source.accounts` will be synced: the others' secret variables may be unset (`run --account`
   * works with only the chosen accounts' keys in the environment).
   */
  readonly onlyAccounts?: readonly string[];
}

/** A config problem with the line of the pipeline file it is about (when the file has that key). */
export interface LocatedProblem extends ConfigProblem {
  readonly line?: number;
}

/** Every problem of a pipeline file at once; `message` is one line, `problems` one entry per problem. */
export class PipelineFileError extends ConfigError {
  readonly origin: string;
  readonly problems: readonly LocatedProblem[];

  constructor(origin: string, problems: readonly LocatedProblem[]) {
    super(joinProblems(origin, problems), { context: { origin } });
    this.origin = origin;
    this.problems = problems;
  }

  /** `file:line: path: message`, one per problem in the order of the file (secrets masked). */
  lines(): string[] {
    const byLine = [...this.problems].sort(
      (a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER),
    );
    return byLine.map((p) => {
      const where = p.line === undefined ? this.origin : `${this.origin}:${p.line}`;
      return redact(p.path === '' ? `${where}: ${p.message}` : `${where}: ${p.path}: ${p.message}`);
    });
  }
}

/** The paths of the `source.accounts` entries whose (literal) name is not one of `names`. */
function accountsNotIn(document: unknown, names: readonly string[]): PropertyKey[][] {
  const accounts = (document as { source?: { accounts?: unknown } } | null)?.source?.accounts;
  if (!Array.isArray(accounts)) return [];
  return accounts.flatMap((a: unknown, i) => {
    const name = (a as { name?: unknown } | null)?.name;
    return typeof name === 'string' && !names.includes(name) ? [['source', 'accounts', i]] : [];
  });
}

/** Reads, interpolates and validates a pipeline file; errors are ConfigErrors naming file, line and key. */
export async function loadConfig<T>(
  file: string,
  schema: z.ZodType<T>,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadOptions = {},
): Promise<Readonly<T>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError(`config file not found: ${file} (pass --config FILE)`, {
        cause: err,
        context: { file },
      });
    }
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`, {
      cause: err,
      context: { file },
    });
  }
  return parseConfig(text, file, schema, env, options);
}

/** As `loadConfig`, for text already in memory; `origin` (usually the file name) prefixes every message. */
export function parseConfig<T>(
  text: string,
  origin: string,
  schema: z.ZodType<T>,
  env: NodeJS.ProcessEnv = process.env,
  options: LoadOptions = {},
): Readonly<T> {
  const { doc, lineCounter, value: document } = parseYaml(text, origin);
  const { value, missing, invalid } = interpolate(document, env, {
    optionalSecrets: options.optionalSecrets,
    optionalSecretsUnder: options.onlyAccounts && accountsNotIn(document, options.onlyAccounts),
  });
  // before validation, so that no message can carry the key even if it landed in the wrong field
  registerSecrets(value);
  const located: { segments: readonly PropertyKey[]; problem: ConfigProblem }[] = [
    ...invalid.map((ref) => ({
      segments: ref.segments,
      problem: {
        path: ref.path,
        message: `invalid reference ${JSON.stringify(ref.reference)} (use \${NAME} or \${NAME:-default}; $\${ for a literal \${)`,
      },
    })),
    // An unset variable is the problem, wherever it is: an empty value would be a silent surprise (a path
    // `${OUT_DIR}/x.duckdb` becoming `/x.duckdb`).
    ...missing.map((m) => ({
      segments: m.segments,
      problem: { path: m.path, message: `\${${m.variable}} is not set` },
    })),
  ];
  const result = schema.safeParse(value, { error: configErrorMap });
  if (!result.success) {
    // What an unset variable caused at its own key is already said.
    const explained = new Set(missing.map((m) => m.path));
    for (const issue of result.error.issues) {
      for (const problem of formatZodIssues([issue])) {
        if (explained.has(problem.path)) continue;
        const segments =
          problem.path === formatPath(issue.path) ? issue.path : [...issue.path, ...unknownKey(problem)];
        located.push({ segments, problem });
      }
    }
  }
  if (located.length > 0) {
    const problems = located.map(({ segments, problem }) => ({
      ...problem,
      line: lineOf(doc, lineCounter, segments),
    }));
    throw new PipelineFileError(origin, problems);
  }
  registerSecrets(result.data);
  return deepFreeze(result.data as T);
}

/** The unknown key an `unrecognized_keys` problem is about (its path ends with it). */
function unknownKey(problem: ConfigProblem): PropertyKey[] {
  const m = /(?:^|\.)([A-Za-z_][A-Za-z0-9_-]*)$/.exec(problem.path);
  return m ? [m[1]] : [];
}

/** The 1-based line of the deepest node of the document on `segments` (a key's own line for the last one). */
function lineOf(
  doc: Document,
  lineCounter: LineCounter,
  segments: readonly PropertyKey[],
): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = isNode(node) ? node.range?.[0] : undefined;
  for (const seg of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
      if (!pair) break;
      offset = isNode(pair.key) ? pair.key.range?.[0] : offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!isNode(item)) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function parseYaml(
  text: string,
  origin: string,
): { doc: Document; lineCounter: LineCounter; value: unknown } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    const more = doc.errors.length > 1 ? ` (+${doc.errors.length - 1} more)` : '';
    throw new ConfigError(
      redact(
        `${origin}: YAML syntax error at line ${line}, column ${col}: ${firstLine(first.message)}${more}`,
      ),
      { cause: first, context: { origin, line, column: col } },
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // unresolved aliases, alias bombs
    throw new ConfigError(redact(`${origin}: invalid YAML: ${firstLine((err as Error).message)}`), {
      cause: err,
      context: { origin },
    });
  }
  if (value === null || value === undefined) {
    throw new ConfigError(
      `${origin}: the file is empty (expected a mapping with version, name, source, ...)`,
      {
        context: { origin },
      },
    );
  }
  return { doc, lineCounter, value };
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0].trim();
}

function registerSecrets(value: unknown): void {
  if (Array.isArray(value)) value.forEach(registerSecrets);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string' && isSecretKey(key)) registerSecret(item);
      else registerSecrets(item);
    }
  }
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
