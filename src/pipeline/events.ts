/** What a run reports while it works; the CLI renders these as a progress bar or log lines. */
export type RunEvent =
  | { type: 'run-start'; runId: string; destination: string }
  | {
      type: 'stream-start';
      stream: string;
      mode: string;
      windows: number;
      skipped: number;
      serverDate: string;
    }
  | { type: 'chunk'; stream: string; window: string; received: number }
  | {
      type: 'window-done';
      stream: string;
      window: string;
      rows: number;
      received: number;
      rejected: number;
      total?: number;
    }
  | { type: 'retry'; endpoint: string; attempt: number; delayMs: number; reason: string }
  | { type: 'stream-done'; stream: string; rows: number; rejected: number; watermark: string | null };

export type EventSink = (event: RunEvent) => void;
