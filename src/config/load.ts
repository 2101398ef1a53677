import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { interpolate, type MissingVariable } from './interpolate.js';
import { type ConfigProblem, configErrorMap, formatZodIssues, joinProblems } from './issues.js';
import { isSecretKey, redact, registerSecret } from './redact.js';

/**
 * The boundary: YAML text -> ${VAR} interpolation -> validation -> a deep-frozen, typed config.
 * Everything inward trusts what this returns.
 */

/** Reads, interpolates and validates a pipeline file; errors are one-line ConfigErrors. */
export async function loadConfig<T>(
  file: string,
  schema: z.ZodType<T>,
  env: NodeJS.ProcessEnv = process.env,
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
  return parseConfig(text, file, schema, env);
}

/** As `loadConfig`, for text already in memory; `origin` (usually the file name) prefixes every message. */
export function parseConfig<T>(
  text: string,
  origin: string,
  schema: z.ZodType<T>,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<T> {
  const document = parseYaml(text, origin);
  const { value, missing, invalid } = interpolate(document, env);
  // before validation, so that no message can carry the key even if it landed in the wrong field
  registerSecrets(value);
  const problems: ConfigProblem[] = invalid.map((ref) => ({
    path: ref.path,
    message: `invalid reference ${JSON.stringify(ref.reference)} (use \${NAME} or \${NAME:-default}; $\${ for a literal \${)`,
  }));
  const result = schema.safeParse(value, { error: configErrorMap });
  if (!result.success) problems.push(...withMissingVariables(formatZodIssues(result.error.issues), missing));
  if (problems.length > 0) throw new ConfigError(joinProblems(origin, problems), { context: { origin } });
  registerSecrets(result.data);
  return deepFreeze(result.data as T);
}

function parseYaml(text: string, origin: string): unknown {
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
  return value;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0].trim();
}

/** An empty value caused by an unset variable is reported as that variable, not as "must not be empty". */
function withMissingVariables(
  problems: ConfigProblem[],
  missing: readonly MissingVariable[],
): ConfigProblem[] {
  if (missing.length === 0) return problems;
  return problems.map((p) => {
    const vars = [...new Set(missing.filter((m) => m.path === p.path).map((m) => `\${${m.variable}}`))];
    if (vars.length === 0) return p;
    const which = vars.join(', ');
    const verb = vars.length === 1 ? 'is' : 'are';
    if (p.message === 'must not be empty' || p.message === 'required') {
      return { path: p.path, message: `required, but ${which} ${verb} not set` };
    }
    return { path: p.path, message: `${p.message} (${which} ${verb} not set)` };
  });
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
