import { defineCommand, withConfig } from './common.js';

export const checkCommand = defineCommand({
  command: 'check',
  describe: 'validate the config, check the destination is writable, make one authenticated request',
  builder: (y) =>
    withConfig(y)
      .example('$0 check', 'exit 0 when ./pipeline.yaml, its destination and the API key are all good')
      .example('$0 check -c prod.yaml || echo $?', '2 config, 3 key refused, 75 API unreachable'),
  handler: async (args) => {
    // No destination object: checking that its path is writable needs no database library.
    const [
      { defaultConnector },
      { loadPipelineFile },
      { sourceOptionsFor },
      { checkWritable },
      { EXIT, reportFatal },
    ] = await Promise.all([
      import('../../../connectors/index.js'),
      import('../pipeline-file.js'),
      import('../source-options.js'),
      import('../writable.js'),
      import('../exit.js'),
    ]);
    const say = (line: string) => process.stdout.write(`${line}\n`);
    try {
      const { file, config, baseDir } = await loadPipelineFile(args.config, defaultConnector);
      const composed = sourceOptionsFor(defaultConnector, config, baseDir);
      say(
        `config ok: ${file} (pipeline ${config.name}, streams: ${composed.streams.map((s) => s.name).join(', ')})`,
      );
      say(`destination ok: ${await checkWritable(config.destination, baseDir)}`);
      const { probeAccounts } = await import('../probe-accounts.js');
      for (const line of await probeAccounts(composed)) say(`api ok: ${line}`);
      return EXIT.ok;
    } catch (err) {
      return reportFatal(err);
    }
  },
});
