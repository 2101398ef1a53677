import { describe, expect, it } from 'vitest';
import { engineConfig, engineErrorMessage } from '../../src/load/engine.js';

const OOM = new Error(
  'Out of Memory Error: failed to pin block of size 256.0 KiB (121.7 MiB/122.0 MiB used)\n\nPossible solutions:\n* Reducing the number of threads (SET threads=X)',
);

describe('engineErrorMessage', () => {
  it('turns DuckDB "Out of Memory" into the remedy the user has: memory_limit in pipeline.yaml', () => {
    expect(engineErrorMessage(OOM, { memoryLimit: '128MB' })).toBe(
      'Out of Memory Error: failed to pin block of size 256.0 KiB (121.7 MiB/122.0 MiB used); raise destination.memory_limit in pipeline.yaml (now 128MB)',
    );
  });

  it('names DuckDB’s default when no limit was set', () => {
    expect(engineErrorMessage(OOM, {})).toContain("(now DuckDB's default, 80% of RAM)");
  });

  it('leaves other errors as they are', () => {
    expect(engineErrorMessage(new Error('Constraint Error: x'), { memoryLimit: '1GB' })).toBe(
      'Constraint Error: x',
    );
  });
});

describe('engineConfig', () => {
  it('sets the spill directory and checkpoint threshold always, and the memory limit when given', () => {
    expect(engineConfig({}, '/d/x.tmp')).toEqual({ temp_directory: '/d/x.tmp', checkpoint_threshold: '1GB' });
    expect(engineConfig({ memoryLimit: '256MB' }, '/d/x.tmp')).toEqual({
      temp_directory: '/d/x.tmp',
      checkpoint_threshold: '1GB',
      memory_limit: '256MB',
    });
  });
});
