import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AD_PLATFORM_SOURCES,
  classifyChannel,
  DIRECT_SOURCES,
  NETWORKS,
  ORGANIC_MEDIUMS,
  PAID_MEDIUMS,
  REFERRAL_MEDIUMS,
  SOCIAL_MEDIUMS,
} from '../../connectors/callscaler/normalize/attribution.js';
import {
  CHANNEL_RULES,
  CHANNEL_RULES_END,
  CHANNEL_RULES_START,
  channelRulesMarkdown,
  ruleSignals,
  withChannelRules,
} from '../../connectors/callscaler/normalize/attribution-doc.js';
import { ROOT, tempDir } from '../helpers/cli.js';

/** The README's text between the channel-rules markers. */
function section(readme: string): string {
  const start = readme.indexOf(CHANNEL_RULES_START) + CHANNEL_RULES_START.length;
  return readme.slice(start, readme.indexOf(CHANNEL_RULES_END)).trim();
}

describe('the channel rules for people', () => {
  it('README.md "How channel is derived" is what the code generates (run `npm run docs:channels`)', async () => {
    const readme = await fs.readFile(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('### How channel is derived');
    expect(section(readme)).toBe(channelRulesMarkdown());
  });

  it.each(CHANNEL_RULES.map((r, i) => [i + 1, r] as const))(
    'rule %i: its example is classified as its channel',
    (_n, rule) => {
      expect(classifyChannel(ruleSignals(rule))).toBe(rule.channel);
    },
  );

  it('lists every value of every table the rules read', () => {
    const text = channelRulesMarkdown();
    const values = [
      ...PAID_MEDIUMS,
      ...SOCIAL_MEDIUMS,
      ...ORGANIC_MEDIUMS,
      ...REFERRAL_MEDIUMS,
      ...DIRECT_SOURCES,
      ...AD_PLATFORM_SOURCES.keys(),
      ...NETWORKS.flatMap((n) => [...n.names, ...n.domains]),
    ];
    expect(values.filter((v) => !text.includes(`\`${v}\``))).toEqual([]);
    // One table row per rule and per network.
    expect(text.split('\n').filter((l) => /^\| \d+ \|/.test(l))).toHaveLength(CHANNEL_RULES.length);
    expect(text.split('\n').filter((l) => /^\| (social|search) \|/.test(l))).toHaveLength(NETWORKS.length);
  });

  it('withChannelRules replaces the section and nothing else; it refuses a README without the markers', () => {
    const readme = `# x\n\nbefore\n${CHANNEL_RULES_START}\nstale\n${CHANNEL_RULES_END}\nafter\n`;
    const rewritten = withChannelRules(readme);
    expect(rewritten).toBe(
      `# x\n\nbefore\n${CHANNEL_RULES_START}\n${channelRulesMarkdown()}\n${CHANNEL_RULES_END}\nafter\n`,
    );
    expect(withChannelRules(rewritten)).toBe(rewritten);
    expect(() => withChannelRules('# no markers\n')).toThrow(/no <!-- channel-rules:start -->/);
  });

  it('the docs:channels script rewrites a stale section of the file it is given', async () => {
    const file = path.join(tempDir(), 'README.md');
    await fs.writeFile(file, `intro\n${CHANNEL_RULES_START}\nold rules\n${CHANNEL_RULES_END}\n`);
    const script = path.join(ROOT, 'connectors/callscaler/docs-channels.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, file], {
      cwd: ROOT,
    });
    expect(stdout).toBe(`rewrote the channel rules in ${file}\n`);
    expect(section(await fs.readFile(file, 'utf8'))).toBe(channelRulesMarkdown());
  });
});
