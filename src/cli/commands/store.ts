// ingest FILE… and baseline accept [id…]: the two commands that write to .perf/.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UsageError, type Args } from '../args';
import { openWorkspace, type Ctx } from '../context';
import { evaluateLatest, loadBaselineSet } from '../evaluate';
import { textTable } from '../render/text';

export async function ingestCommand(args: Args, ctx: Ctx): Promise<number> {
  if (!args.positional.length) throw new UsageError('give at least one result file');
  const store = await openWorkspace(ctx, { requireConfig: false });
  const suite = args.values.get('--suite');
  const runIds = new Set<string>();
  let failed = 0;
  for (const f of args.positional) {
    const file = path.resolve(ctx.cwd, f);
    try {
      await fs.promises.access(file, fs.constants.R_OK);
    } catch (e) {
      ctx.out.err(`error: ${f}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      failed++;
      continue;
    }
    try {
      const run = await store.ingest(file, { suite });
      runIds.add(run.id);
      ctx.out.err(`ingested ${f}: ${run.series.length} series (${run.tool}, run ${run.id})`);
    } catch (e) {
      // Parser errors already name the file and the line or field.
      ctx.out.err(`error: ${(e as Error).message}`);
      failed++;
    }
  }
  if (runIds.size) {
    const ev = await evaluateLatest(store, await loadBaselineSet(ctx.cwd, undefined));
    for (const l of textTable({ ...ev, rows: ev.rows.filter(r => runIds.has(r.runId)) })) ctx.out.out(l);
  }
  return failed ? 1 : 0;
}

function acceptedBy(name: string | undefined): string {
  if (name === undefined) {
    let user = 'unknown';
    try {
      user = os.userInfo().username || user;
    } catch {
      /* no passwd entry (containers): keep "unknown" */
    }
    return `user:${user}`;
  }
  if (!name.trim()) throw new UsageError('--by needs a name');
  return /^(user|tool):./.test(name) ? name : `user:${name}`;
}

export async function baselineCommand(args: Args, ctx: Ctx): Promise<number> {
  const [sub, ...ids] = args.positional;
  if (sub !== 'accept') throw new UsageError(sub ? `unknown baseline command "${sub}" (known: accept)` : 'give a baseline command: accept');
  const by = acceptedBy(args.values.get('--by'));
  const store = await openWorkspace(ctx, { requireConfig: false });
  if (!store.all().length) {
    ctx.out.err('error: no results to accept (run a suite or ingest a result file first)');
    return 1;
  }
  const unknown = ids.filter(id => !store.get(id));
  if (unknown.length) {
    ctx.out.err(`error: no results for ${unknown.map(id => JSON.stringify(id)).join(', ')} (known: ${store.all().slice(0, 8).map(s => s.id).join(', ')}${store.all().length > 8 ? ' …' : ''})`);
    return 1;
  }
  const accepted = await store.accept(ids.length ? ids : undefined, by);
  for (const id of accepted) ctx.out.out(`accepted ${id}`);
  ctx.out.err(`${accepted.length} baseline(s) accepted by ${by} → ${path.relative(ctx.cwd, store.baselinesFile)} (commit it to share them)`);
  return 0;
}
