import { defineCommand, withConfig } from './common.js';

const ACTIONS = ['show', 'reset'] as const;

export const stateCommand = defineCommand({
  command: 'state <action>',
  describe: 'show or reset the sync state (watermarks, checkpoints) of the pipeline',
  builder: (y) =>
    withConfig(y)
      .positional('action', { choices: ACTIONS, demandOption: true, describe: 'show | reset' })
      .option('stream', { type: 'string', describe: 'only this stream' })
      .option('yes', { type: 'boolean', default: false, describe: 'reset without asking' })
      .option('json', { type: 'boolean', default: false, describe: 'show: the state as a JSON array' })
      .example('$0 state show', 'watermark and checkpoints of every stream and account')
      .example(
        '$0 state reset --stream calls --yes',
        'forget the calls state: the next run syncs all history again (merging on id)',
      ),
  handler: async (args) => {
    const { reportFatal } = await import('../exit.js');
    try {
      const { showState, resetState } = await import('../state-actions.js');
      return args.action === 'show' ? await showState(args) : await resetState(args);
    } catch (err) {
      return reportFatal(err);
    }
  },
});
