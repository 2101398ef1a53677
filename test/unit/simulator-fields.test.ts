import { describe, expect, it } from 'vitest';
import * as schema from '../../connectors/callscaler/schema.js';
import { callsSchema } from '../../connectors/callscaler/schema.js';
import {
  AI_CATEGORIES,
  CALL_DIRECTIONS,
  CALL_STATUSES,
  INCLUDABLE,
  RESPONSE_FIELDS,
} from '../../connectors/callscaler/simulator/api-fields.js';
import { csvColumns } from '../../connectors/callscaler/simulator/csv.js';

/**
 * The simulator writes the provider's field list down itself (api-fields.ts) and the connector has its own
 * (schema.ts). Both come from the same API page; this keeps them from drifting apart unnoticed.
 */
const simulatorFields = [...RESPONSE_FIELDS.map((f) => f.name), ...INCLUDABLE];
const productColumns = callsSchema.columns.filter((c) => c.origin === 'api' || c.origin === 'include');

describe('simulator field list vs the connector schema', () => {
  it('has every API and include column of the schema, and nothing the schema lacks', () => {
    const problems: string[] = [];
    for (const c of productColumns) {
      if (!simulatorFields.includes(c.name)) {
        problems.push(
          `${c.name}: in the connector schema (origin ${c.origin}) but not in simulator/api-fields.ts`,
        );
      }
    }
    const known = new Set(productColumns.map((c) => c.name));
    for (const name of simulatorFields) {
      if (!known.has(name)) {
        problems.push(
          `${name}: in simulator/api-fields.ts but not an api/include column of the connector schema`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('agrees on which fields are lists (the CSV export formats them differently)', () => {
    const simLists = RESPONSE_FIELDS.filter((f) => f.kind === 'list').map((f) => f.name);
    const productLists = productColumns.filter((c) => c.type === 'list_utf8').map((c) => c.name);
    expect(simLists).toEqual(['keywords_spotted']);
    expect(simLists.sort()).toEqual(productLists.sort());
  });

  it('agrees on the documented enums and the includable texts', () => {
    expect([...CALL_STATUSES]).toEqual([...schema.CALL_STATUSES]);
    expect([...CALL_DIRECTIONS]).toEqual([...schema.CALL_DIRECTIONS]);
    expect([...AI_CATEGORIES]).toEqual([...schema.AI_CATEGORIES]);
    expect([...INCLUDABLE]).toEqual([...schema.INCLUDABLE]);
    expect(productColumns.filter((c) => c.origin === 'include').map((c) => c.name)).toEqual([...INCLUDABLE]);
  });

  it('builds the export columns from its own list: documented fields, included texts, number_id', () => {
    const all = csvColumns({ transcription: true, summary: true });
    expect(all).toEqual([...RESPONSE_FIELDS.map((f) => f.name), 'transcription', 'summary', 'number_id']);
    expect(all).toHaveLength(35);
    expect(all[0]).toBe('id');
    expect(all[31]).toBe('created_at');
    expect(csvColumns({ transcription: false, summary: true })).toEqual([
      ...RESPONSE_FIELDS.map((f) => f.name),
      'summary',
      'number_id',
    ]);
  });
});
