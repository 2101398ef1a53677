import cliProgress from 'cli-progress';
import type { EventSink, RunEvent } from '../pipeline/events.js';

/**
 * Progress on stderr: a bar over windows on a terminal, one plain line per event otherwise (cron, CI,
 * Airflow logs). stdout stays free for the summary.
 */
export function progressReporter(opts: { tty: boolean; quiet: boolean }): { emit: EventSink; stop(): void } {
  if (opts.quiet) return { emit: () => {}, stop: () => {} };
  return opts.tty ? barReporter() : lineReporter();
}

function lineReporter(): { emit: EventSink; stop(): void } {
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const emit = (e: RunEvent) => {
    const line = describe(e);
    if (line) log(line);
  };
  return { emit, stop: () => {} };
}

function barReporter(): { emit: EventSink; stop(): void } {
  const bar = new cliProgress.SingleBar(
    {
      format: ' {stream} |{bar}| {value}/{total} windows | {rows} rows | {received} received | {note}',
      hideCursor: true,
      clearOnComplete: false,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let rows = 0;
  let received = 0;
  let started = false;
  const emit = (e: RunEvent) => {
    if (e.type === 'stream-start') {
      if (started) bar.stop();
      rows = 0;
      received = 0;
      bar.start(e.windows, 0, { stream: e.stream, rows, received, note: e.mode });
      started = true;
    } else if (e.type === 'chunk' && started) {
      received += e.received;
      bar.update({ received });
    } else if (e.type === 'window-done' && started) {
      rows += e.rows;
      bar.increment(1, { rows });
    } else if (e.type === 'retry' && started) {
      bar.update({ note: `retry ${e.attempt}: ${e.reason}` });
    } else if (e.type === 'stream-done' && started) {
      bar.stop();
      started = false;
    }
  };
  return { emit, stop: () => started && bar.stop() };
}

function describe(e: RunEvent): string | undefined {
  switch (e.type) {
    case 'run-start':
      return `run ${e.runId} -> ${e.destination}`;
    case 'stream-start':
      return `${e.stream}: ${e.mode}, ${e.windows} window(s) to fetch${e.skipped ? `, ${e.skipped} already committed` : ''} (provider clock ${e.serverDate})`;
    case 'window-done': {
      const total = e.total === undefined ? '' : ` of ${e.total} reported`;
      return `${e.stream} ${e.window}: committed ${e.rows} rows (${e.received} received${total}, ${e.rejected} rejected)`;
    }
    case 'retry':
      return `retry ${e.attempt} ${e.endpoint}: ${e.reason} (waiting ${e.delayMs} ms)`;
    case 'stream-done':
      return `${e.stream}: done, ${e.rows} rows, ${e.rejected} rejected, watermark ${e.watermark ?? '-'}`;
    default:
      return undefined;
  }
}
