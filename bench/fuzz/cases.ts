// One fuzz case: make the mutant from (format, seed, index), write it where the parser expects
// it, ingest it through the real entry point (ingestFile: detection, then the parser) and judge.
import * as fs from 'fs';
import * as path from 'path';
import { ingestFile } from '../../src/core/ingest/detect';
import { judge, type Verdict } from './contract';
import { caseSeed, mutate, rng } from './mutate';
import { fixturePath, type FuzzTarget } from './targets';

export interface CaseResult {
  index: number;
  label: string;
  fixture: string;
  verdict: Verdict;
  ms: number;
}

const cache = new Map<string, Buffer>();
function read(file: string): Buffer {
  let b = cache.get(file);
  if (!b) cache.set(file, (b = fs.readFileSync(file)));
  return b;
}

export interface BuiltCase {
  /** The mutated file (the one ingested). */
  file: string;
  /** Every file written for the case (the mutant and its unchanged siblings). */
  files: string[];
  fixture: string;
  label: string;
  bytes: Buffer;
}

/** Writes case `index` into `dir` (replacing the previous case there). */
export function buildCase(repoRoot: string, target: FuzzTarget, seed: number, index: number, dir: string): BuiltCase {
  const r = rng(caseSeed(target.name, seed, index));
  const fixture = target.fixtures[Math.floor(r() * target.fixtures.length)];
  const { bytes, label } = mutate(r, read(fixturePath(repoRoot, fixture)), target);
  const files: string[] = [];
  for (const sib of target.siblings ?? []) {
    if (sib === fixture) continue;
    const to = path.join(dir, path.basename(sib));
    // A sibling no case mutates is written once per folder (Lighthouse reports are ~100 KB each).
    if (!target.fixtures.includes(sib) && fs.existsSync(to)) {
      files.push(to);
      continue;
    }
    fs.writeFileSync(to, read(fixturePath(repoRoot, sib)));
    files.push(to);
  }
  const file = path.join(dir, path.basename(fixture));
  fs.writeFileSync(file, bytes);
  files.push(file);
  return { file, files, fixture, label, bytes };
}

export async function runCase(repoRoot: string, target: FuzzTarget, seed: number, index: number, dir: string, onBuilt?: (c: BuiltCase) => void): Promise<CaseResult> {
  const c = buildCase(repoRoot, target, seed, index, dir);
  onBuilt?.(c);
  const t0 = performance.now();
  let verdict: Verdict;
  try {
    verdict = judge(c.file, { run: await ingestFile(c.file) }, c.files);
  } catch (error) {
    verdict = judge(c.file, { error }, c.files);
  }
  return { index, label: c.label, fixture: c.fixture, verdict, ms: performance.now() - t0 };
}
