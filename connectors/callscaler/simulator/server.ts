/**
 * The HTTP server (plain node:http): auth, fault injection, routing to the API or the control
 * endpoints, and the request log. Faults are decided when a request arrives, by its 1-based number.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Controls, handleControl } from './control.js';
import { SimApiError } from './errors.js';
import { defaultFaults, type FaultPlan, planFor } from './faults.js';
import { deliver, errorReply, type Reply } from './reply.js';
import { batchIdCount, errorFor, handleApi, isBatchPath } from './routes.js';
import type { CallStore } from './store.js';
import type { FaultSwitches, RequestLogEntry } from './types.js';

export const API_BASE = '/api/v1';
const MAX_BODY_BYTES = 1 << 20;
const MAX_LOG_ENTRIES = 100_000;
const NO_FAULTS: FaultPlan = planFor(0, defaultFaults());

export interface ServerState {
  readonly store: CallStore;
  readonly apiKey: string;
  readonly now: () => number;
  /** This simulator's API root (http://host:port/api/v1), known once it listens. */
  apiBase: string;
  faults: FaultSwitches;
  requestCount: number;
  readonly requestLog: RequestLogEntry[];
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new SimApiError(413, 'payload_too_large', `body: larger than ${MAX_BODY_BYTES} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export class SimServer {
  readonly http: Server;
  private readonly sleeping = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private closing = false;
  private readonly expectedAuth: Buffer;

  constructor(
    private readonly state: ServerState,
    private readonly controls: Controls,
  ) {
    this.expectedAuth = Buffer.from(`Bearer ${state.apiKey}`, 'utf8');
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          void deliver(res, errorFor(err), { date: this.date(), plan: NO_FAULTS, csv: state.faults.csv });
        } else {
          res.destroy();
        }
      });
    });
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve(this.http.address() as AddressInfo);
      });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const s of this.sleeping) {
      clearTimeout(s.timer);
      s.wake();
    }
    this.sleeping.clear();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private date(): string {
    return new Date(this.state.now()).toUTCString();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleeping.delete(entry);
          wake();
        }, ms),
        wake,
      };
      this.sleeping.add(entry);
    });
  }

  private authorized(req: IncomingMessage): boolean {
    const given = Buffer.from(req.headers.authorization ?? '', 'utf8');
    return given.length === this.expectedAuth.length && timingSafeEqual(given, this.expectedAuth);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/_sim/')) {
      let reply: Reply;
      try {
        const body = method === 'POST' ? await readBody(req) : null;
        reply = handleControl(this.controls, method, url.pathname, body);
      } catch (err) {
        reply = errorFor(err);
      }
      await deliver(res, reply, { date: this.date(), plan: NO_FAULTS, csv: this.state.faults.csv });
      return;
    }

    const state = this.state;
    const n = ++state.requestCount;
    const faults = state.faults;
    const plan = planFor(n, faults);
    const entry: RequestLogEntry = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
    };
    if (state.requestLog.length >= MAX_LOG_ENTRIES) state.requestLog.shift();
    state.requestLog.push(entry);
    res.setHeader('x-sim-request', String(n));
    if (plan.reset) {
      req.socket.destroy();
      return;
    }
    if (plan.hangMs > 0) await this.sleep(plan.hangMs);
    if (plan.latencyMs > 0) await this.sleep(plan.latencyMs);
    if (this.closing) return;

    let reply: Reply;
    try {
      reply = await this.answer(req, method, url, plan, faults, entry);
    } catch (err) {
      reply = errorFor(err);
    }
    entry.status = reply.status;
    await deliver(res, reply, { date: this.date(), plan, csv: faults.csv, sleep: (ms) => this.sleep(ms) });
  }

  private async answer(
    req: IncomingMessage,
    method: string,
    url: URL,
    plan: FaultPlan,
    faults: FaultSwitches,
    entry: RequestLogEntry,
  ): Promise<Reply> {
    // Read first, so the log shows what a batch request carried even when it is then refused.
    const body = method === 'POST' ? await readBody(req) : null;
    const apiPath = url.pathname.startsWith(`${API_BASE}/`) ? url.pathname.slice(API_BASE.length) : null;
    if (method === 'POST' && apiPath !== null && isBatchPath(apiPath)) {
      const ids = batchIdCount(body);
      if (ids !== undefined) entry.ids = ids;
    }
    if (plan.rateLimited) {
      return errorReply(429, 'rate_limited', `Too many requests; retry after ${faults.retryAfterSeconds} s`, {
        'retry-after': String(faults.retryAfterSeconds),
      });
    }
    if (plan.failStatus !== null) {
      const code = plan.failStatus >= 500 ? 'server_error' : 'request_failed';
      return errorReply(plan.failStatus, code, `Simulated failure (HTTP ${plan.failStatus})`);
    }
    // Never echo the key: the message is the same whatever was sent.
    if (!this.authorized(req)) return errorReply(401, 'unauthorized', 'Invalid or missing API key');
    if (apiPath === null) return errorReply(404, 'not_found', `No such endpoint: ${method} ${url.pathname}`);
    return handleApi(
      this.state.store,
      { method, path: apiPath, query: url.searchParams, body },
      { faults, apiBase: this.state.apiBase },
    );
  }
}
