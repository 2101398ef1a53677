/**
 * The connectors the CLI knows. The engine in src/ reaches a connector only through this registry, from the
 * CLI (the composition root). The simulator is not here: only `demo` and `simulate` load it, on demand.
 */
import { callscaler } from './callscaler/index.js';

export const defaultConnector = callscaler;
