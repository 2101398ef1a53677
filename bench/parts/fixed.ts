import { promises as fs } from 'node:fs';
import path from 'node:path';
import { cliRun } from '../cli-run.js';
import { type Ctx, inWorkDir, progress } from '../context.js';
import { stderrTail, timeProcess } from '../process.js';
import { benchPipelineYaml } from '../setup.js';
import type { SimulatorProcess } from '../simulator.js';

/**
 * Fixed cost per process, as a scheduler sees it (spawn to exit, `node <cli> ...`): `--help`, `check` (config,
 * destination, one request) and a first sync of a small account (--fixed-rows, 1000 calls). Like hyperfine: one
 * warm-up run of each (file cache), then --fixed-repeat timed runs, the three interleaved so that noise hits them
 * alike.
 */
export async function fixedCost(ctx: Ctx, sim: SimulatorProcess): Promise<void> {
  const { opts, results } = ctx;
  const F = results.fixed;
  F.rows = opts.fixedRows;
  const settings = { extract: 'list' as const, concurrency: opts.concurrency, windowDays: opts.windowDays };
  const env = { ...process.env, CALLSCALER_BASE_URL: sim.baseUrl, CALLSCALER_API_KEY: sim.apiKey };

  const help = async () => {
    const run = await timeProcess([opts.cli, '--help'], { env });
    if (run.code !== 0 || !run.stdout.includes('Commands:')) {
      throw new Error(`--help exited ${run.code ?? run.signal}: ${stderrTail(run)}`);
    }
    return run;
  };
  const check = () =>
    inWorkDir(ctx, 'check', async (workDir) => {
      const file = path.join(workDir, 'pipeline.yaml');
      const destination = { type: 'duckdb' as const, path: path.join(workDir, 'calls.duckdb') };
      await fs.writeFile(file, benchPipelineYaml(settings, destination, ctx.shape));
      const run = await timeProcess([opts.cli, 'check', '-c', file], { env });
      if (run.code !== 0) throw new Error(`check exited ${run.code ?? run.signal}: ${stderrTail(run)}`);
      return run;
    });
  const sync = (label: string) => cliRun(ctx, label, sim, settings, 'duckdb', { expectRows: opts.fixedRows });

  await help();
  await check();
  await sync('fixed sync warm-up');
  for (let i = 1; i <= opts.fixedRepeat; i++) {
    const h = await help();
    F.help.push(h.ms);
    if (h.cpuMs !== null) F.helpCpu.push(h.cpuMs);
    const c = await check();
    F.check.push(c.ms);
    if (c.cpuMs !== null) F.checkCpu.push(c.cpuMs);
    const r = await sync(`fixed sync ${opts.fixedRows} calls ${i}/${opts.fixedRepeat}`);
    F.sync.push(r.ms);
    if (r.maxRssMb !== null) F.syncRss.push(r.maxRssMb);
    if (r.cpuMs !== null) F.syncCpu.push(r.cpuMs);
  }
  const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  progress(`--help [ms]: ${list(F.help)} (CPU ${list(F.helpCpu)})`);
  progress(`check [ms]: ${list(F.check)} (CPU ${list(F.checkCpu)})`);
}
