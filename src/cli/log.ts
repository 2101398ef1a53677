import { createRequire } from 'node:module';
import { redact } from '../config/redact.js';
import type { RunEvent } from '../pipeline/events.js';

export const LOG_FORMATS = ['text', 'json'] as const;
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where the CLI reports what happens: stderr, as text lines, JSON lines, or a progress bar on a terminal. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  /** A run's progress event, at the level it deserves. */
  event(e: RunEvent): void;
  /** Ends a progress bar, if one is drawn. */
  stop(): void;
}

export interface LoggerOptions {
  readonly format: LogFormat;
  readonly level: LogLevel;
  /** Draw a progress bar (text format on a terminal, not quiet). */
  readonly bar: boolean;
  /** Only warnings and errors. */
  readonly quiet?: boolean;
  readonly write?: (line: string) => void;
}

/**
 * Text: `2026-11-28T05:00:00.000Z info calls 2026-03-01..2026-03-08: committed 812 rows ...`, one line each,
 * for cron, CI and Airflow logs. JSON: one object per line (`ts`, `level`, `msg` and the event's fields), for
 * log shippers. Every line passes through `redact`: a key that leaked into a message is masked.
 */
export function createLogger(o: LoggerOptions): Logger {
  const write = o.write ?? ((line: string) => process.stderr.write(line));
  const min = LOG_LEVELS.indexOf(o.quiet ? 'warn' : o.level);
  const bar = o.bar && !o.quiet && o.format === 'text' ? progressBar() : undefined;
  const log = (level: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const ts = new Date().toISOString();
    if (o.format === 'json') write(`${redact(JSON.stringify({ ts, level, msg: message, ...fields }))}\n`);
    else {
      bar?.clear();
      write(`${ts} ${level} ${redact(message)}\n`);
    }
  };
  return {
    log,
    event(e) {
      if (bar?.event(e)) return;
      const described = describe(e);
      if (described) log(described.level, described.message, { event: e.type, ...e, type: undefined });
    },
    stop: () => bar?.stop(),
  };
}

function describe(e: RunEvent): { level: LogLevel; message: string } | undefined {
  switch (e.type) {
    case 'run-start':
      return { level: 'info', message: `run ${e.runId} -> ${e.destination}` };
    case 'stream-start': {
      const skipped = e.skipped ? `, ${e.skipped} already committed` : '';
      const message = `${e.stream} [${e.account}]: ${e.mode}, ${e.windows} window(s) to fetch${skipped} (provider clock ${e.serverDate})`;
      return { level: 'info', message };
    }
    case 'chunk':
      return { level: 'debug', message: `${e.stream} ${e.window}: received ${e.received}` };
    case 'window-done': {
      const total = e.total === undefined ? '' : ` of ${e.total} reported`;
      const message = `${e.stream} ${e.window}: committed ${e.rows} rows (${e.received} received${total}, ${e.rejected} rejected)`;
      return { level: 'info', message };
    }
    case 'retry': {
      const who = e.account ? `[${e.account}] ` : '';
      return {
        level: 'warn',
        message: `retry ${e.attempt} ${who}${e.endpoint}: ${e.reason} (waiting ${e.delayMs} ms)`,
      };
    }
    case 'warning':
      return { level: 'warn', message: `${e.stream} [${e.account}]: ${e.message}` };
    case 'lock-wait':
      return { level: 'warn', message: `waiting (--wait): ${e.holder}; checking every 500 ms` };
    case 'account-failed':
      return { level: 'error', message: `account ${e.account} failed: ${e.reason}` };
    case 'stream-done': {
      const counted = Object.entries(e.counters).map(([k, n]) => `, ${n} ${k.replaceAll('_', ' ')}`);
      const message = `${e.stream} [${e.account}]: done, ${e.rows} rows, ${e.rejected} rejected${counted.join('')}, watermark ${e.watermark ?? '-'}`;
      return { level: 'info', message };
    }
  }
}

/** A bar over windows per stream, on stderr. `event` returns true when the bar shows the event itself. */
function progressBar() {
  // Required only on a terminal (a CommonJS module, loaded synchronously): schedulers never pay for it.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      format: ' {stream} |{bar}| {value}/{total} windows | {rows} rows | {received} received | {note}',
      hideCursor: true,
      clearOnComplete: false,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let drawn = false;
  let rows = 0;
  let received = 0;
  return {
    event(e: RunEvent): boolean {
      switch (e.type) {
        case 'stream-start':
          if (drawn) bar.stop();
          rows = 0;
          received = 0;
          bar.start(e.windows, 0, { stream: `${e.stream} [${e.account}]`, rows, received, note: e.mode });
          drawn = true;
          return true;
        case 'chunk':
          received += e.received;
          if (drawn) bar.update({ received });
          return true;
        case 'window-done':
          rows += e.rows;
          if (drawn) bar.increment(1, { rows });
          return true;
        case 'stream-done':
          if (drawn) bar.stop();
          drawn = false;
          return false;
        default:
          return false;
      }
    },
    clear() {
      // A log line while the bar is drawn: the bar redraws below it on its next update.
      if (drawn) process.stderr.write('\r\x1b[K');
    },
    stop() {
      if (drawn) bar.stop();
      drawn = false;
    },
  };
}
