import type { z } from 'zod';
import type { PipelineConfig, SourceConfig } from '../config/schema.js';
import type { Stream } from './stream.js';

/**
 * A connector: the pipeline.yaml schema of its API and the streams a validated config asks for. The CLI finds
 * connectors through `connectors/index.ts` and hands the engine only what they return.
 */
export interface Connector<P extends PipelineConfig = PipelineConfig> {
  readonly name: string;
  /** The whole pipeline.yaml: the engine's keys plus this connector's stream settings. */
  readonly pipelineSchema: z.ZodType<P>;
  /** The configured streams, bound to their settings, in the order they run. */
  streams(config: P): Stream[];
  /** Headers that authenticate a request (every value is treated as a secret). */
  authHeaders(source: SourceConfig): Record<string, string>;
  /** What to tell a user whose credentials were refused (which setting to check; never its value). */
  readonly authHint: string;
}
