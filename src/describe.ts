/** How messages show a bad data value: short, typed, never huge (a value may be a whole transcript). */

const MAX_QUOTED = 80;

/** `string "abc…"`, `number 1.5`, `bigint 7`, `boolean true`, `null`, `array`, `object`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return `string ${quote(value)}`;
    case 'number':
    case 'bigint':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    default:
      return typeof value;
  }
}

/** A JSON-quoted string cut to 80 characters, for messages about bad values. */
export function quote(value: string): string {
  return value.length > MAX_QUOTED ? `${JSON.stringify(value.slice(0, MAX_QUOTED))}…` : JSON.stringify(value);
}
