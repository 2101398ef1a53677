import { DataError, SyncError } from '../../../src/errors.js';
import type { TextWanted } from '../api/batch.js';
import { carriedColumns } from '../normalize/carried.js';
import { type CsvHeaderMap, resolveCsvHeader } from '../normalize/csv.js';
import type { RowMeta } from '../normalize/record.js';
import { compileRowSettings } from '../normalize/settings.js';
import { INCLUDABLE } from '../schema.js';

/*
 * Read on both sides of an export: by the decode thread for its rows, and by the stream's thread to know which
 * text a fill must add. A file of its own, so that the stream's thread does not load the row normalizer.
 */

const INCLUDABLE_SET: ReadonlySet<string> = new Set(INCLUDABLE);

/** What an export's header says about its rows' columns. */
export interface ExportColumns {
  readonly map: CsvHeaderMap;
  /** The columns the export's rows carry. */
  readonly carried: string[];
  /** The text fields `include` asks for that the export lacks, to be filled; undefined when none. */
  readonly textNeed: TextWanted | undefined;
  /** The columns of the rows once their text is filled. */
  readonly filledColumns: string[];
}

/**
 * The header's columns. Throws a DataError naming the line when no column is the call id (the header cells are
 * quoted only when every personal field is kept: a "header" that is really a row of data may hold some).
 */
export function exportColumns(
  cells: string[],
  line: number,
  include: readonly string[],
  meta: RowMeta,
  where: string,
  window: string,
): ExportColumns {
  let map: CsvHeaderMap;
  try {
    map = resolveCsvHeader(cells, !compileRowSettings(meta.settings).pii.active);
  } catch (err) {
    if (!(err instanceof SyncError)) throw err;
    throw new DataError(`${where} line ${line}: ${err.message}`, { cause: err, context: { window } });
  }
  // A text column the export has counts only when include asks for it, as on the list path.
  const fields = new Set(
    map.columns
      .filter((c) => c.type !== null && (!INCLUDABLE_SET.has(c.key) || include.includes(c.key)))
      .map((c) => c.key),
  );
  const carried = carriedColumns(fields);
  const lacks = (f: string) => include.includes(f) && !fields.has(f);
  if (lacks('transcription') || lacks('summary')) {
    const textNeed = { transcription: lacks('transcription'), summary: lacks('summary') };
    return { map, carried, textNeed, filledColumns: carriedColumns(new Set([...fields, ...include])) };
  }
  return { map, carried, textNeed: undefined, filledColumns: carried };
}
