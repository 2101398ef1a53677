/** What a run reports while it works; the CLI renders these as a progress bar or log lines. */
export type RunEvent =
  | { type: 'run-start'; runId: string; destination: string }
  | {
      type: 'stream-start';
      stream: string;
      account: string;
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
  | { type: 'retry'; account?: string; endpoint: string; attempt: number; delayMs: number; reason: string }
  | { type: 'account-failed'; account: string; reason: string }
  | { type: 'lock-wait'; holder: string }
  | { type: 'warning'; stream: string; account: string; message: string }
  | {
      type: 'stream-done';
      stream: string;
      account: string;
      rows: number;
      rejected: number;
      watermark: string | null;
      counters: Readonly<Record<string, number>>;
    };

export type EventSink = (event: RunEvent) => void;
