/**
 * An error the simulator answers with a JSON body `{"error":{"code","message"}}` and an HTTP status.
 * It has the same shape as the connector's errors (stable `code`, `context`) without importing them:
 * the simulator stands on its own, like the provider it imitates.
 */
export class SimApiError extends Error {
  readonly code = 'CS_SIM_API';
  readonly context: Readonly<Record<string, unknown>>;
  readonly status: number;
  readonly apiCode: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, apiCode: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = new.target.name;
    this.context = Object.freeze({ status, apiCode });
    this.status = status;
    this.apiCode = apiCode;
    this.headers = headers;
  }
}

/** 400 invalid_parameter with the provider's `<param>: <what is wrong>` message. */
export function invalidParam(param: string, problem: string): SimApiError {
  return new SimApiError(400, 'invalid_parameter', `${param}: ${problem}`);
}
