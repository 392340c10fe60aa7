// Stores under faults, measured: kill -9 a writer at random points during `baseline accept` and
// `ingest` (history) writes, 4 writer processes at once on one baselines.json and one history
// month file, and a full disk (a 64 KiB tmpfs; skipped with a message where mount is refused).
// After every fault: every file parses, nothing a completed command accepted or appended is lost.
//
// Run:  npx tsc -p . && node out/bench/store-faults.js [--kills 100] [--seed 1]
//         [--cli dist/cli.js]   the real CLI bundle (npm run build) — the default
//         [--direct]            a small child calling the same store code (bench/fuzz/store-child.ts):
//                               no CLI start-up, so far more kills land inside a write
import { spawn } from 'child_process';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocatedError } from '../src/core/errors';
import { BASELINES_PATH, parseBaselines, type BaselinesFile } from '../src/core/store/baselines';
import { HISTORY_DIR, HistoryStore, type HistoryWarning } from '../src/core/store/history';
import { rng } from './fuzz/mutate';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}

const repoRoot = path.resolve(process.env.PERF_LENS_REPO ?? process.cwd());
const kills = Number(arg('kills', '100'));
const seed = Number(arg('seed', '1'));
const direct = process.argv.includes('--direct');
const cli = path.resolve(arg('cli', path.join(repoRoot, 'dist', 'cli.js')));
const child = path.join(__dirname, 'fuzz', 'store-child.js');
const random = rng(seed);
const FIXTURES = ['pytest-benchmark/stats.json', 'go/bench.txt', 'hyperfine/basic.json', 'google-benchmark/repetitions.json'].map(f => path.join(repoRoot, 'test', 'fixtures', f));

interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** argv for the writer: the CLI (cwd = workspace) or the direct child. */
function writerArgs(ws: string, op: { ingest: string; suite: string } | { accept: string[]; by: string }): string[] {
  if ('ingest' in op) return direct ? [child, 'ingest', ws, op.ingest, op.suite] : [cli, 'ingest', op.ingest, '--suite', op.suite];
  return direct ? [child, 'accept', ws, op.by, ...op.accept] : [cli, 'baseline', 'accept', ...op.accept, '--by', op.by];
}

/** Runs a writer; with killAfterMs, SIGKILLs it that long after start (or, with armOnOutput, after its first completed write). */
function run(ws: string, args: string[], killAfterMs?: number, armOnOutput = false): Promise<Done> {
  return new Promise((resolve, reject) => {
    const t = Date.now();
    const p = spawn(process.execPath, args, { cwd: ws, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      if (killAfterMs !== undefined && !timer) timer = setTimeout(() => p.kill('SIGKILL'), killAfterMs);
    };
    p.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (armOnOutput && /\n/.test(stdout)) arm();
    });
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (armOnOutput && /\n/.test(stderr)) arm();
    });
    if (!armOnOutput) arm();
    p.on('error', reject);
    p.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t });
    });
  });
}

const runIdOf = (stderr: string) => [...stderr.matchAll(/\(\S+, run ([^\s)]+)\)/g)].map(m => m[1]);
const acceptedOf = (stdout: string) => [...stdout.matchAll(/^accepted (.+)$/gm)].map(m => m[1]);

function newWorkspace(tag: string): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), `perf-lens-faults-${tag}-`));
  fs.writeFileSync(path.join(ws, 'perf-lens.config.json'), '{}\n');
  return ws;
}

async function historyState(ws: string): Promise<{ ids: Set<string>; warnings: HistoryWarning[] }> {
  const warnings: HistoryWarning[] = [];
  const runs = await new HistoryStore(path.join(ws, HISTORY_DIR), { onWarning: w => warnings.push(w) }).list();
  return { ids: new Set(runs.map(r => r.id)), warnings };
}

function baselinesState(ws: string): BaselinesFile | undefined {
  const file = path.join(ws, BASELINES_PATH);
  return fs.existsSync(file) ? parseBaselines(fs.readFileSync(file, 'utf8'), file) : undefined; // throws when torn
}

/** (class, id) → acceptedBy of every entry. */
function entries(doc: BaselinesFile | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [cls, byId] of Object.entries(doc?.baselines ?? {})) for (const [id, e] of Object.entries(byId)) out.set(`${cls}\u0000${id}`, e.acceptedBy);
  return out;
}

const leftovers = (ws: string) => {
  const perf = path.join(ws, '.perf');
  const names = [...(fs.existsSync(perf) ? fs.readdirSync(perf) : []), ...(fs.existsSync(path.join(perf, 'history')) ? fs.readdirSync(path.join(perf, 'history')).map(n => `history/${n}`) : [])];
  return names.filter(n => /\.lock|\.tmp$|\.break$/.test(n));
};

async function killLoop(): Promise<boolean> {
  const ws = newWorkspace('kill');
  // Uncut runs first: history to accept from, and how long each command takes (the kill window).
  let ingestMs = 0;
  for (const f of FIXTURES) {
    const r = await run(ws, writerArgs(ws, { ingest: f, suite: 'setup' }));
    if (r.code !== 0) throw new Error(`setup ingest failed: ${r.stderr}`);
    ingestMs = Math.max(ingestMs, r.ms);
  }
  const first = await run(ws, writerArgs(ws, { accept: [], by: 'tool:gen-0' }));
  if (first.code !== 0) throw new Error(`setup accept failed: ${first.stderr}`);
  const acceptMs = first.ms;
  // Direct mode: the child writes in a loop and is killed 0–loopMs after its first completed write.
  const loopMs = 400;
  console.log(
    direct
      ? `kill loop: direct child (src/core store code) writing in a loop, killed at a uniform random point 0–${loopMs} ms after its first completed write`
      : `kill loop: writer ${cli}; uncut ingest ${ingestMs} ms, accept ${acceptMs} ms; kills at uniform random points in [0, 1.1 × that]`,
  );

  const appended = new Set((await historyState(ws)).ids);
  let lastGen = 0;
  const accepted = entries(baselinesState(ws));
  const t0 = Date.now();
  let parsedOk = 0;
  let lost = 0;
  let torn = 0;
  let leftBehind = 0;
  let killed = 0;
  let finished = 0;
  const problems: string[] = [];
  for (let k = 1; k <= kills; k++) {
    const history = k % 2 === 0;
    const gen = k;
    const r = direct
      ? history
        ? await run(ws, [child, 'ingest-loop', ws, FIXTURES[k % FIXTURES.length], `kill-${k}`], random() * loopMs, true)
        : await run(ws, [child, 'accept-loop', ws, String(gen * 1000)], random() * loopMs, true)
      : history
        ? await run(ws, writerArgs(ws, { ingest: FIXTURES[k % FIXTURES.length], suite: `kill-${k}` }), random() * ingestMs * 1.1)
        : await run(ws, writerArgs(ws, { accept: [], by: `tool:gen-${gen}` }), random() * acceptMs * 1.1);
    if (r.signal === 'SIGKILL' && direct && !/\n/.test(r.stdout + r.stderr)) problems.push(`writer ${k} was killed before its first write completed`);
    if (r.signal === 'SIGKILL') killed++;
    else if (r.code === 0) finished++;
    else problems.push(`writer ${k} failed by itself: ${r.stderr.trim().split('\n').pop()}`);
    if (leftovers(ws).length) leftBehind++;
    // Every file must parse; everything completed must be there.
    let ok = true;
    try {
      const doc = baselinesState(ws);
      const now = entries(doc);
      for (const [key, by] of accepted) {
        const cur = now.get(key);
        const g = (s: string | undefined) => Number(s?.split('-').pop());
        if (cur === undefined || g(cur) < g(by)) {
          lost++;
          problems.push(`after kill ${k}: baseline ${key.replace('\u0000', ' ')} accepted by ${by} is ${cur ?? 'gone'}`);
        }
      }
      const doneGens = [...r.stdout.matchAll(/^done gen-(\d+)$/gm)].map(m => Number(m[1]));
      const completedGen = direct ? (doneGens.length ? Math.max(...doneGens) : undefined) : r.code === 0 ? gen : undefined;
      if (!history && completedGen !== undefined) {
        // A completed accept covered every series known then: all must carry that generation or later.
        for (const key of now.keys()) accepted.set(key, `tool:gen-${completedGen}`);
        lastGen = completedGen;
      }
      // Entries a killed accept managed to write are now "accepted before" for the next rounds.
      for (const [key, by] of now) if (!accepted.has(key) || Number(by.split('-').pop()) > Number(accepted.get(key)?.split('-').pop())) accepted.set(key, by);
    } catch (e) {
      ok = false;
      problems.push(`after kill ${k}: baselines.json does not parse: ${(e as Error).message}`);
    }
    try {
      const h = await historyState(ws);
      if (history) for (const id of runIdOf(r.stderr)) appended.add(id); // every printed id completed
      for (const id of appended) {
        if (!h.ids.has(id)) {
          lost++;
          problems.push(`after kill ${k}: history run ${id} lost`);
        }
      }
      for (const id of h.ids) appended.add(id); // a killed append that landed whole counts from now on
      torn = h.warnings.length;
    } catch (e) {
      ok = false;
      problems.push(`after kill ${k}: history does not read: ${(e as Error).message}`);
    }
    if (ok) parsedOk++;
  }
  const sec = (Date.now() - t0) / 1000;
  console.log(`  kills: ${killed} (of ${kills} runs; ${finished} finished before their kill time), files parsed OK after ${parsedOk}/${kills}, entries lost = ${lost}`);
  console.log(`  runs that left a lock/temp behind (cleaned by the next writer): ${leftBehind}; torn history lines skipped with a warning: ${torn}; last completed accept gen-${lastGen}; ${appended.size} runs in history`);
  console.log(`  time ${sec.toFixed(1)} s (shared 2-core machine: noisy)`);
  for (const p of problems.slice(0, 10)) console.log(`  PROBLEM ${p}`);
  fs.rmSync(ws, { recursive: true, force: true });
  return lost === 0 && parsedOk === kills && problems.length === 0;
}

async function concurrent(rounds: number, perWriter: number): Promise<boolean> {
  const ws = newWorkspace('conc');
  for (const f of FIXTURES) await run(ws, writerArgs(ws, { ingest: f, suite: 'setup' }));
  const all = acceptedOf((await run(ws, writerArgs(ws, { accept: [], by: 'tool:probe' }))).stdout);
  const groups = [0, 1, 2, 3].map(w => all.filter((_, i) => i % 4 === w));
  const t0 = Date.now();
  let lostBaselines = 0;
  let lostRuns = 0;
  let failures = 0;
  for (let round = 0; round < rounds; round++) {
    fs.rmSync(path.join(ws, BASELINES_PATH), { force: true });
    const before = (await historyState(ws)).ids.size;
    // 4 processes accept disjoint ids into one baselines.json while 4 more append to one month file.
    const results = await Promise.all([
      ...groups.map((ids, w) => run(ws, writerArgs(ws, { accept: ids, by: `tool:w${w}` }))),
      ...[0, 1, 2, 3].map(async w => {
        const rs: Done[] = [];
        for (let i = 0; i < perWriter; i++) rs.push(await run(ws, writerArgs(ws, { ingest: FIXTURES[(w + i) % FIXTURES.length], suite: `r${round}-w${w}` })));
        return rs;
      }),
    ]);
    const flat = results.flat();
    failures += flat.filter(r => r.code !== 0).length;
    const have = new Set([...entries(baselinesState(ws)).keys()].map(k => k.split('\u0000')[1]));
    lostBaselines += all.filter(id => !have.has(id)).length;
    const after = await historyState(ws);
    lostRuns += before + 4 * perWriter - after.ids.size;
  }
  console.log(`4 writers at once: ${rounds} rounds × (4 baseline accepts of ${all.length} ids split 4 ways + 4 writers × ${perWriter} ingests): lost baselines = ${lostBaselines}, lost history runs = ${lostRuns}, failed commands = ${failures}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  fs.rmSync(ws, { recursive: true, force: true });
  return lostBaselines === 0 && lostRuns === 0 && failures === 0;
}

/** Writes a filler file until ENOSPC. */
function fillDisk(dir: string): void {
  const fd = fs.openSync(path.join(dir, 'filler'), 'w');
  try {
    for (;;) fs.writeSync(fd, Buffer.alloc(1024, 1));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    fs.closeSync(fd);
  }
}

async function fullDisk(): Promise<boolean> {
  const ws = newWorkspace('full');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', ws], { stdio: 'pipe' });
  } catch (e) {
    console.log(`full disk: SKIPPED — cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN): ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}`);
    fs.rmSync(ws, { recursive: true, force: true });
    return true;
  }
  try {
    fs.writeFileSync(path.join(ws, 'perf-lens.config.json'), '{}\n');
    // A baseline accepted while there was room, which the failed accept must leave alone.
    await run(ws, writerArgs(ws, { ingest: FIXTURES[0], suite: 'before' }));
    await run(ws, writerArgs(ws, { accept: [], by: 'tool:before' }));
    let ok = 1;
    let last: Done | undefined;
    for (let i = 0; i < 40; i++) {
      last = await run(ws, writerArgs(ws, { ingest: FIXTURES[i % FIXTURES.length], suite: `fill-${i}` }));
      if (last.code !== 0) break;
      ok++;
    }
    const h = await historyState(ws);
    const message = last?.stderr.trim().split('\n').pop() ?? '';
    // The failed append was rolled back, freeing its bytes: fill them too, so the accept cannot fit.
    fillDisk(ws);
    const baselinesBefore = fs.existsSync(path.join(ws, BASELINES_PATH)) ? fs.readFileSync(path.join(ws, BASELINES_PATH)) : undefined;
    const acc = await run(ws, writerArgs(ws, { accept: [], by: 'tool:full' }));
    const baselinesAfter = fs.existsSync(path.join(ws, BASELINES_PATH)) ? fs.readFileSync(path.join(ws, BASELINES_PATH)) : undefined;
    const intact = baselinesBefore === undefined ? baselinesAfter === undefined : baselinesAfter !== undefined && baselinesBefore.equals(baselinesAfter);
    console.log(`full disk (64 KiB tmpfs): ${ok} ingests fit, then exit ${last?.code}: "${message}"`);
    console.log(`  history after: ${h.ids.size} runs readable, ${h.warnings.length} torn lines; baseline accept on the full disk: exit ${acc.code}: "${acc.stderr.trim().split('\n').pop()}"; baselines.json unchanged: ${intact}; leftovers: ${leftovers(ws).join(', ') || 'none'}`);
    const clear = /no space left on device/.test(message) && /no space left on device/.test(acc.stderr);
    return h.ids.size === ok && h.warnings.length === 0 && intact && clear && leftovers(ws).length === 0;
  } finally {
    execFileSync('umount', [ws]);
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!direct && !fs.existsSync(cli)) throw new Error(`${cli} not found: run npm run build, or pass --direct`);
  const results = { kill: await killLoop(), concurrent: await concurrent(3, 3), fullDisk: await fullDisk() };
  console.log(`result: ${Object.entries(results).map(([k, v]) => `${k} ${v ? 'OK' : 'FAILED'}`).join(', ')}`);
  process.exitCode = Object.values(results).every(Boolean) ? 0 : 1;
}

main().catch(e => {
  console.error(e instanceof LocatedError ? e.message : e);
  process.exitCode = 2;
});
