import { defineCommand, SUMMARY_OPTIONS, withConfig } from './common.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The ids of an ids file: one a line, blank lines skipped, duplicates once; bad lines named with their number. */
export function parseIds(text: string, origin: string): { ids: string[]; problems: string[] } {
  const ids = new Set<string>();
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    if (UUID.test(line)) ids.add(line.toLowerCase());
    else problems.push(`${origin}:${i + 1}: not a call id (UUID): ${JSON.stringify(line.slice(0, 80))}`);
  });
  return { ids: [...ids], problems };
}

export const lookupCommand = defineCommand({
  command: 'lookup',
  describe: 'fetch calls by id (POST /calls/batch, 100 a request) and merge them into the destination',
  builder: (y) =>
    withConfig(y)
      .option('ids', {
        type: 'string',
        demandOption: true,
        describe: 'file with one call id per line; - for stdin',
      })
      .option('account', { type: 'string', describe: 'the account the ids belong to (with source.accounts)' })
      .options(SUMMARY_OPTIONS)
      .example('$0 lookup --ids missing.txt', 'refresh these calls (their AI analysis came late, say)')
      .example("psql -Atc 'select id from crm_calls' | $0 lookup --ids - --json", 'ids from another system'),
  handler: async (args) => {
    const [{ readFile }, { sync }, { EXIT }] = await Promise.all([
      import('node:fs/promises'),
      import('./run.js'),
      import('../exit.js'),
    ]);
    let text: string;
    try {
      text = args.ids === '-' ? await readStdin() : await readFile(args.ids, 'utf8');
    } catch (err) {
      process.stderr.write(`callscaler-sync: cannot read --ids ${args.ids}: ${(err as Error).message}\n`);
      return EXIT.usage;
    }
    const { ids, problems } = parseIds(text, args.ids === '-' ? 'stdin' : args.ids);
    if (problems.length > 0) {
      for (const p of problems.slice(0, 10)) process.stderr.write(`callscaler-sync: ${p}\n`);
      if (problems.length > 10)
        process.stderr.write(`callscaler-sync: (+${problems.length - 10} more bad lines)\n`);
      return EXIT.usage;
    }
    if (ids.length === 0) {
      process.stderr.write(`callscaler-sync: --ids ${args.ids} holds no call id\n`);
      return EXIT.usage;
    }
    return sync({
      ...args,
      account: args.account === undefined ? undefined : [args.account],
      lookup: ids,
      fullRefresh: false,
      strict: false,
      wait: false,
    });
  },
});

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
