import { callsSchema } from '../schema.js';

/** Position of a calls column in a normalized row. Throws at import if the schema lost the column. */
export function col(name: string): number {
  const i = callsSchema.columns.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`calls schema has no column ${name}`);
  return i;
}

export const WIDTH = callsSchema.columns.length;
