import { defineCommand } from './common.js';

export const initCommand = defineCommand({
  command: 'init',
  describe: 'write a commented starter pipeline.yaml (never overwrites)',
  builder: (y) =>
    y
      .option('dir', { type: 'string', default: '.', describe: 'directory to write pipeline.yaml into' })
      .example('$0 init', 'writes ./pipeline.yaml')
      .example('$0 init --dir /etc/callscaler', 'writes /etc/callscaler/pipeline.yaml'),
  handler: async (args) => {
    const [fs, path, { defaultConnector }, { EXIT }, { schemaComment }] = await Promise.all([
      import('node:fs/promises'),
      import('node:path'),
      import('../../../connectors/index.js'),
      import('../exit.js'),
      import('../package-files.js'),
    ]);
    const dir = path.resolve(args.dir);
    const file = path.join(dir, 'pipeline.yaml');
    await fs.mkdir(dir, { recursive: true });
    try {
      await fs.writeFile(file, `${schemaComment(dir)}${defaultConnector.starterPipeline}`, { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      process.stderr.write(
        `callscaler-sync: ${file} exists; not overwritten (move it away to start afresh)\n`,
      );
      return EXIT.usage;
    }
    process.stdout.write(
      `wrote ${file}\nnext: set CALLSCALER_API_KEY (or put it in ${path.join(dir, '.env')}), then\n` +
        `  callscaler-sync check -c ${file}\n  callscaler-sync run -c ${file}\n`,
    );
    return EXIT.ok;
  },
});
