// Speed of source locating (issue 4). Run: npx tsc -p . && node out/bench/locate.js [--files 5000] [--only files|stall|workspace]
// Prints median and p95 of:
//  - a full index of a generated 20,000-line file (Python, TypeScript, Go), side by side with
//    the TypeScript compiler's createSourceFile on the same TS text (the peer we measured against);
//  - re-indexing that file after a one-character edit and after a new line (Python: re-parsing only
//    the top-level statements around the edit, side by side with the whole-file incremental re-parse);
//  - a warm look-up of the file's findings (what provideCodeLenses does);
//  - the longest stall of the calling thread while a 20,000-line file is first indexed, in
//    this thread vs in the worker thread (what SourceIndex does for long documents);
//  - scanning a generated workspace of 5,000 files.
// Targets: warm look-up < 5 ms, re-index after an edit < 50 ms.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ContentChange, LocateIndex } from '../src/core/locate/index';
import { loadAllParsers } from '../src/core/locate/parser';
import { RemoteLocateIndex } from '../src/core/locate/remoteIndex';
import { scanWorkspace } from '../src/core/locate/scan';
import type { LanguageId } from '../src/core/locate/types';

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

function report(label: string, xs: number[]): { median: number } {
  const median = pct(xs, 50);
  console.log(`${label.padEnd(58)} median ${median.toFixed(3).padStart(9)} ms   p95 ${pct(xs, 95).toFixed(3).padStart(9)} ms   (n=${xs.length})`);
  return { median };
}

const LINES = 20_000;

function generate(lang: 'python' | 'typescript' | 'go', lines: number): string {
  const out: string[] = [];
  if (lang === 'go') out.push('package bench', '', 'import "testing"', '');
  if (lang === 'typescript') out.push("import express from 'express';", 'const app = express();', '');
  for (let i = 0; out.length < lines; i++) {
    if (lang === 'python') {
      out.push(`@app.get("/api/items/${i}/{item_id}")`, `async def get_item_${i}(item_id: int):`, `    return {"id": item_id, "n": ${i}}`, '');
      out.push(`def test_item_${i}(benchmark):`, `    benchmark(lambda: ${i} * 2)`, '', '');
    } else if (lang === 'typescript') {
      out.push(`app.get('/api/items/${i}/:id', (req, res) => {`, `  res.json({ id: req.params.id, n: ${i} });`, '});', '');
      out.push(`describe('suite ${i}', () => {`, `  it('case ${i}', () => {`, `    expect(${i}).toBe(${i});`, '  });', '});', '');
    } else {
      out.push(`func BenchmarkItem${i}(b *testing.B) {`, '\tfor n := 0; n < b.N; n++ {', `\t\t_ = n * ${i}`, '\t}', '}', '');
    }
  }
  return out.join('\n');
}

/** An edit in the middle of the file: a new line, or a digit typed into a name or route (keeps it valid). */
function middleEdit(text: string, kind: 'line' | 'char'): { text: string; change: ContentChange } {
  const middle = Math.floor(text.length / 2);
  const offset = kind === 'line' ? text.indexOf('\n', middle) + 1 : middle + text.slice(middle).search(/\d/);
  const before = text.slice(0, offset).split('\n');
  const pos = { line: before.length - 1, character: before[before.length - 1].length };
  const insert = kind === 'line' ? '\n' : '7';
  return { text: text.slice(0, offset) + insert + text.slice(offset), change: { range: { start: pos, end: pos }, rangeOffset: offset, rangeLength: 0, text: insert } };
}

/** Ten edits in the middle of indexed document 'u', alternating new lines and typed digits, timed by kind. */
async function timeEdits(idx: LocateIndex, text: string, rel: string, into: Record<'line' | 'char', number[]>): Promise<void> {
  let cur = text;
  for (let v = 2; v < 12; v++) {
    const kind = v % 2 ? 'line' : 'char';
    const e = middleEdit(cur, kind);
    cur = e.text;
    const t1 = performance.now();
    await idx.update('u', v, cur, [e.change], rel);
    into[kind].push(performance.now() - t1);
  }
}

async function fileBench(lang: 'python' | 'typescript' | 'go', runs: number): Promise<void> {
  const ext = lang === 'python' ? 'py' : lang === 'go' ? 'go' : 'ts';
  const rel = `bench_${lang}.${ext}`;
  const text = generate(lang, LINES);
  const full: number[] = [];
  const edits: Record<'line' | 'char', number[]> = { line: [], char: [] };
  // Python: the same edits re-parsing the whole file (incrementally), as before region re-parsing.
  const wholeFile: Record<'line' | 'char', number[]> = { line: [], char: [] };
  const lookups: number[] = [];
  let count = 0;
  for (let r = 0; r < runs; r++) {
    const idx = new LocateIndex();
    const t0 = performance.now();
    const found = await idx.index('u', 1, text, rel, lang as LanguageId);
    full.push(performance.now() - t0);
    count = found.length;
    await timeEdits(idx, text, rel, edits);
    if (lang === 'python') {
      const whole = new LocateIndex(1, { regionReparse: false });
      await whole.index('u', 1, text, rel, lang);
      await timeEdits(whole, text, rel, wholeFile);
      if (JSON.stringify(whole.get('u')) !== JSON.stringify(idx.get('u'))) throw new Error('region and whole-file re-parse disagree');
      whole.dispose();
    }
    for (let k = 0; k < 200; k++) {
      const t2 = performance.now();
      // What provideCodeLenses does on a warm index: read findings, build one lens record each.
      const lenses = (idx.get('u') ?? []).map(f => ({ line: f.nameRange.start.line, title: f.id }));
      lookups.push(performance.now() - t2);
      if (lenses.length !== found.length) throw new Error('index changed under the look-up');
    }
    idx.dispose();
  }
  console.log(`\n${lang}: ${LINES} lines, ${count} findings`);
  report(`  full index (parse + locate)`, full);
  report(`  re-index after typing one character (incremental)`, edits.char);
  report(`  re-index after inserting a line (incremental)`, edits.line);
  if (lang === 'python') {
    const a = report(`  peer: typing one character, whole-file re-parse`, wholeFile.char).median;
    const b = report(`  peer: inserting a line, whole-file re-parse`, wholeFile.line).median;
    console.log(`  ratio region / whole-file re-parse: typing ${(pct(edits.char, 50) / a).toFixed(2)}, new line ${(pct(edits.line, 50) / b).toFixed(2)}`);
  }
  report(`  warm look-up + lens records`, lookups);
  if (lang === 'typescript') {
    // Peer: the TypeScript compiler's parser on the same text (parse only, no locating).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('typescript') as typeof import('typescript');
    const peer: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true);
      peer.push(performance.now() - t0);
    }
    const ours = pct(full, 50);
    const theirs = report(`  peer: typescript createSourceFile (parse only)`, peer).median;
    console.log(`  ratio tree-sitter full index / typescript parse: ${(ours / theirs).toFixed(2)}`);
  }
}

/** Longest gap between 1 ms timer ticks while `work` runs: how long the calling thread was blocked. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  await work();
  await new Promise(r => setTimeout(r, 5));
  clearInterval(timer);
  return Math.max(worst, performance.now() - last);
}

/** Opening a 20,000-line file: its first parse in this thread vs in the worker (SourceIndex's choice for long documents). */
async function firstParseStall(runs: number): Promise<void> {
  const text = generate('python', LINES);
  const here: number[] = [];
  const there: number[] = [];
  const remote = new RemoteLocateIndex();
  await remote.index('warm-up', 1, 'def test_x():\n    pass\n', 'w.py'); // worker started, grammar loaded
  for (let r = 0; r < runs; r++) {
    const local = new LocateIndex();
    here.push(await longestStall(() => local.index('u', 1, text, 'big.py')));
    local.dispose();
    there.push(await longestStall(() => remote.index(`u${r}`, 1, text, 'big.py')));
    remote.forget(`u${r}`);
  }
  remote.dispose();
  console.log(`\nfirst parse of a ${LINES}-line Python file: longest stall of the calling thread`);
  const a = report('  in this thread (LocateIndex)', here).median;
  const b = report('  in the worker (RemoteLocateIndex)', there).median;
  console.log(`  ratio worker / in-thread: ${(b / a).toFixed(2)}`);
}

function makeWorkspace(files: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-bench-ws-'));
  fs.writeFileSync(path.join(root, '.gitignore'), 'generated/\n');
  for (let i = 0; i < files; i++) {
    const dir = path.join(root, `pkg${i % 50}`, i % 3 === 0 ? 'tests' : 'src');
    fs.mkdirSync(dir, { recursive: true });
    const kind = i % 3;
    if (kind === 0) fs.writeFileSync(path.join(dir, `test_m${i}.py`), generate('python', 60));
    else if (kind === 1) fs.writeFileSync(path.join(dir, `m${i}.ts`), generate('typescript', 60));
    else fs.writeFileSync(path.join(dir, `m${i}_test.go`), generate('go', 60));
  }
  fs.mkdirSync(path.join(root, 'node_modules', 'dep'), { recursive: true });
  fs.writeFileSync(path.join(root, 'node_modules', 'dep', 'index.js'), generate('typescript', 2000));
  return root;
}

async function main(): Promise<void> {
  const argFiles = process.argv.indexOf('--files');
  const files = argFiles > 0 ? Number(process.argv[argFiles + 1]) : 5000;
  console.log(`Perf Lens locate bench — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`);
  const t0 = performance.now();
  await loadAllParsers();
  console.log(`load web-tree-sitter + 5 grammars: ${(performance.now() - t0).toFixed(1)} ms (once per process)`);
  // --only files|stall|workspace runs one part (the whole bench takes minutes on a loaded box).
  const argOnly = process.argv.indexOf('--only');
  const only = argOnly > 0 ? process.argv[argOnly + 1] : undefined;
  if (!only || only === 'files') for (const lang of ['python', 'typescript', 'go'] as const) await fileBench(lang, 5);
  if (!only || only === 'stall') await firstParseStall(5);
  if (only && only !== 'workspace') return;

  const root = makeWorkspace(files);
  try {
    const scans: number[] = [];
    let located = 0;
    let withFindings = 0;
    for (let r = 0; r < 3; r++) {
      const t1 = performance.now();
      const res = await scanWorkspace(root, { maxFiles: files + 10 });
      scans.push(performance.now() - t1);
      located = res.filesLocated;
      withFindings = res.files.size;
    }
    console.log(`\nworkspace: ${files} files of ~60 lines (py/ts/go), node_modules skipped`);
    report(`  scan (${located} files located, ${withFindings} with findings)`, scans);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
