import { SyncError } from '../../../src/errors.js';

/** An error the simulator answers with a JSON body `{"error":{"code","message"}}` and an HTTP status. */
export class SimApiError extends SyncError {
  readonly status: number;
  readonly apiCode: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, apiCode: string, message: string, headers: Record<string, string> = {}) {
    super('CS_SIM_API', message, { context: { status, apiCode } });
    this.status = status;
    this.apiCode = apiCode;
    this.headers = headers;
  }
}

/** 400 invalid_parameter with the provider's `<param>: <what is wrong>` message. */
export function invalidParam(param: string, problem: string): SimApiError {
  return new SimApiError(400, 'invalid_parameter', `${param}: ${problem}`);
}
