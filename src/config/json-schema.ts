import { z } from 'zod';
import { envReferenceAllowed } from './fields.js';

export interface JsonSchemaInfo {
  /** `$id` of the document, e.g. a URL or a repository-relative path. */
  id: string;
  title: string;
  description?: string;
}

// what an unresolved `${VAR}` looks like to an editor: a string it cannot check further
const ENV_REFERENCE = { type: 'string', pattern: '\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}' } as const;

/**
 * The editor's JSON Schema for a pipeline schema: the input side (defaults shown, defaulted keys
 * optional), and `${VAR}` strings allowed where a number, boolean, date or UUID is expected, because the
 * editor sees the file before interpolation.
 */
export function editorJsonSchema(schema: z.ZodType, info: JsonSchemaInfo): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'throw',
    override: (ctx) => {
      if (!envReferenceAllowed.has(ctx.zodSchema as unknown as z.ZodType)) return;
      const own = { ...ctx.jsonSchema };
      for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Record<string, unknown>)[key];
      ctx.jsonSchema.anyOf = [own, { ...ENV_REFERENCE }];
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: info.id,
    title: info.title,
    ...(info.description === undefined ? {} : { description: info.description }),
    ...rest,
  };
}

/** The file content: two-space JSON with a final newline, so a re-generation diffs cleanly. */
export function renderJsonSchema(schema: z.ZodType, info: JsonSchemaInfo): string {
  return `${JSON.stringify(editorJsonSchema(schema, info), null, 2)}\n`;
}
