/** The connectors the CLI knows. The engine in src/ reaches CallScaler only through this registry. */
import { callscalerPipelineSchema } from './callscaler/config.js';
import { callscaler } from './callscaler/index.js';

export const defaultConnector = { connector: callscaler, pipelineSchema: callscalerPipelineSchema } as const;
export { startSimulator } from './callscaler/simulator/index.js';
