import { describe, expect, it } from 'vitest';
import { duckdbConfig, duckdbErrorMessage } from '../../src/load/duckdb-session.js';

const OOM = new Error(
  'Out of Memory Error: failed to pin block of size 256.0 KiB (121.7 MiB/122.0 MiB used)\n\nPossible solutions:\n* Reducing the number of threads (SET threads=X)',
);

describe('duckdbErrorMessage', () => {
  it('turns DuckDB "Out of Memory" into the remedy the user has: memory_limit in pipeline.yaml', () => {
    expect(duckdbErrorMessage(OOM, { memoryLimit: '128MB' })).toBe(
      'Out of Memory Error: failed to pin block of size 256.0 KiB (121.7 MiB/122.0 MiB used); raise destination.memory_limit in pipeline.yaml (now 128MB)',
    );
  });

  it('names DuckDB’s default when no limit was set', () => {
    expect(duckdbErrorMessage(OOM, {})).toContain("(now DuckDB's default, 80% of RAM)");
  });

  it('leaves other errors as they are', () => {
    expect(duckdbErrorMessage(new Error('Constraint Error: x'), { memoryLimit: '1GB' })).toBe(
      'Constraint Error: x',
    );
  });
});

describe('duckdbConfig', () => {
  it('sets the spill directory and checkpoint threshold always, and the memory limit when given', () => {
    expect(duckdbConfig({}, '/d/x.tmp')).toEqual({ temp_directory: '/d/x.tmp', checkpoint_threshold: '1GB' });
    expect(duckdbConfig({ memoryLimit: '256MB' }, '/d/x.tmp')).toEqual({
      temp_directory: '/d/x.tmp',
      checkpoint_threshold: '1GB',
      memory_limit: '256MB',
    });
  });
});
