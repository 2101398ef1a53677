import type { z } from 'zod';
import type { PipelineConfig } from '../config/schema.js';
import type { TableSchema, ViewDefinition } from '../schema/table.js';
import type { Stream } from './stream.js';

/**
 * A connector: the pipeline.yaml schema of its API and the streams a validated config asks for. The CLI finds
 * connectors through `connectors/index.ts` and hands the engine only what they return.
 */
export interface Connector<P extends PipelineConfig = PipelineConfig> {
  readonly name: string;
  /** The whole pipeline.yaml: the engine's keys plus this connector's stream settings. */
  readonly pipelineSchema: z.ZodType<P>;
  /**
   * The configured streams, bound to their settings, in the order they run. `baseDir` is the pipeline file's
   * directory: relative paths in the config are relative to it.
   */
  streams(config: P, baseDir: string): Stream[];
  /** Headers that authenticate a request with an account's key (every value is treated as a secret). */
  authHeaders(apiKey: string): Record<string, string>;
  /** What to tell a user whose credentials were refused (which setting to check; never its value). */
  readonly authHint: string;
  /** Every table its streams write, for `schema` and docs. */
  readonly tables: readonly TableSchema[];
  /** A commented pipeline.yaml to start from (`init`). */
  readonly starterPipeline: string;
  /** Reporting views over its tables (they may depend on settings, e.g. a time zone). */
  views(config: P): readonly ViewDefinition[];
  /** The `report` command's HTML page, from SQL over the destination. */
  report?(db: ReportSource, options: ReportRequest): Promise<string>;
}

/** What a report reads from: SQL over the destination's tables and views (`?` bound to `params`). */
export interface ReportSource {
  rows(sql: string, params?: readonly string[]): Promise<Record<string, unknown>[]>;
}

export interface ReportRequest {
  readonly title: string;
  readonly pipeline: string;
  /** Created-date range [start, end); all data when absent. */
  readonly start?: string;
  readonly end?: string;
  readonly account?: string;
}
