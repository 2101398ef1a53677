import type { z } from 'zod';
import { pipelineSchema } from '../../src/config/schema.js';
import type { Stream } from '../../src/connector/stream.js';
import { callsStream } from './calls.js';
import { callsStreamSchema } from './config.js';
import { recordingsStreamSchema } from './recordings/config.js';
import { recordingsStream } from './recordings/stream.js';

/**
 * The streams of the CallScaler connector: each has its settings' schema in `callscalerPipelineSchema` and its
 * binding in `configuredStreams`. A new stream is a folder (or file) of its own plus one line in each.
 */
export const callscalerPipelineSchema = pipelineSchema({
  calls: callsStreamSchema,
  recordings: recordingsStreamSchema,
});

export type PipelineConfig = z.output<typeof callscalerPipelineSchema>;

/** The streams a validated pipeline.yaml asks for, in the order they run. */
export function configuredStreams(config: PipelineConfig, baseDir: string): Stream[] {
  const s = config.streams;
  return [
    ...(s.calls ? [callsStream(s.calls, config.source)] : []),
    ...(s.recordings ? [recordingsStream(s.recordings, config.source, baseDir)] : []),
  ];
}
