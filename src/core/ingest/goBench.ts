// Go benchmarks: `go test -bench . -benchmem` text and `go test -json` streams (where benchmark
// lines arrive inside "output" events, often split in two). Both are read line by line, so
// neither has a size limit. Each `-count` line is one sample; id = `<pkg>.<name>` without the
// `-GOMAXPROCS` suffix (kept in extra.procs). Memory is bounded whatever the input's size: a
// series keeps at most MAX_KEPT samples (a uniform reservoir beyond that; n, mean, stddev, min and
// max stay exact, the median is then an estimate and a note says so), and the names, config keys
// and failures remembered are capped.
import { promises as fs } from 'fs';
import type { MachineFingerprint, Run, Series } from '../model';
import { compact, MAX_LINE_CHARS, normalizeArch, readLines, summarize, typeName } from './json';
import { isoOrUndefined } from './sanity';
import { IngestError, type Parser } from './types';

const RESULT_LINE = /^(Benchmark\S*)\s+(\d+)\s+(\S.*)$/;
const NAME_ONLY = /^(Benchmark\S*)\s*$/;
// No lazy `(.*?)\s*$`: on a long line of spaces that backtracks quadratically (a fuzzed file hung
// for over a minute); the value is trimmed instead.
const CONFIG_LINE = /^([a-z][^\s:]*):(.*)$/;
const OK_LINE = /^ok\s+(\S+)\s+([\d.]+)s/;

/** Samples kept per series; a longer `-count` is sampled uniformly (a gigabyte of output stays in bounded memory). */
export const MAX_KEPT = 10_000;
/** Distinct benchmarks in one file: more is not output a person ran (and would be an unbounded map). */
const MAX_SERIES = 100_000;
/** Names, config keys and failures remembered (only for labels and notes: beyond this they are dropped). */
const MAX_REMEMBERED = 10_000;

/** Exact running mean/variance (Welford), extremes, and a uniform reservoir of the values. */
class StreamStats {
  n = 0;
  mean = 0;
  private m2 = 0;
  min = Infinity;
  max = -Infinity;
  readonly kept: number[] = [];
  /** Deterministic (mulberry32): the same file always keeps the same samples. */
  private state = 0x9e3779b9;

  add(x: number): void {
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    if (this.kept.length < MAX_KEPT) this.kept.push(x);
    else {
      const j = Math.floor(this.random() * this.n);
      if (j < MAX_KEPT) this.kept[j] = x;
    }
  }

  get stddev(): number | undefined {
    return this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : undefined;
  }

  private random(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** A running mean only (iterations and the -benchmem metrics are reported as means). */
interface Mean {
  sum: number;
  n: number;
}

interface Acc {
  pkg: string;
  base: string;
  procs: number;
  nsPerOp: StreamStats;
  iterations: Mean;
  metrics: Map<string, Mean>;
}

function addTo(m: Mean, x: number): void {
  m.sum += x;
  m.n++;
}

/** Accumulates benchmark lines from either input form. */
class GoBenchCollector {
  readonly config = new Map<string, string>();
  readonly results = new Map<string, Acc>();
  /** Names printed alone (with -v / -json): exact names, so a trailing "-N" there is not a procs suffix. */
  private readonly announced = new Set<string>();
  readonly failed: string[] = [];
  durationSec = 0;

  constructor(readonly file: string) {}

  line(text: string, lineNo: number, pkgHint?: string): void {
    const line = text.trimEnd();
    const pkg = pkgHint ?? this.config.get('pkg') ?? '';
    const named = NAME_ONLY.exec(line);
    if (named) {
      if (this.announced.size < MAX_REMEMBERED) this.announced.add(named[1]);
      return;
    }
    const m = RESULT_LINE.exec(line);
    if (m) return this.result(m[1], Number(m[2]), m[3], lineNo, pkg);
    const fail = /^--- FAIL: (Benchmark\S*)/.exec(line);
    if (fail && this.failed.length < MAX_REMEMBERED && !this.failed.includes(fail[1])) this.failed.push(fail[1]);
    const ok = OK_LINE.exec(line);
    if (ok) this.durationSec += Number(ok[2]);
    const cfg = CONFIG_LINE.exec(line);
    if (cfg && (this.config.size < MAX_REMEMBERED || this.config.has(cfg[1]))) this.config.set(cfg[1], cfg[2].trim());
  }

  private result(fullName: string, iterations: number, rest: string, lineNo: number, pkg: string): void {
    const { base, procs } = this.splitProcs(fullName);
    const tokens = rest.trim().split(/\s+/);
    if (tokens.length % 2) throw new IngestError(this.file, `benchmark line "${fullName}": expected value/unit pairs after the iteration count`, { line: lineNo });
    const key = `${pkg}\0${base}\0${procs}`;
    let acc = this.results.get(key);
    if (!acc) {
      if (this.results.size >= MAX_SERIES) throw new IngestError(this.file, `more than ${MAX_SERIES} distinct benchmarks: not go test output this can show`, { line: lineNo });
      acc = { pkg, base, procs, nsPerOp: new StreamStats(), iterations: { sum: 0, n: 0 }, metrics: new Map() };
      this.results.set(key, acc);
    }
    addTo(acc.iterations, iterations);
    for (let i = 0; i < tokens.length; i += 2) {
      const value = Number(tokens[i]);
      const unit = tokens[i + 1];
      if (!Number.isFinite(value)) throw new IngestError(this.file, `benchmark line "${fullName}": "${tokens[i]}" before ${unit} is not a number`, { line: lineNo });
      if (unit === 'ns/op' && value < 0) throw new IngestError(this.file, `benchmark line "${fullName}": negative time ${tokens[i]} ns/op`, { line: lineNo });
      if (unit === 'ns/op') acc.nsPerOp.add(value);
      else {
        const m = acc.metrics.get(unit);
        if (m) addTo(m, value);
        else if (acc.metrics.size < MAX_REMEMBERED) acc.metrics.set(unit, { sum: value, n: 1 });
      }
    }
  }

  private splitProcs(name: string): { base: string; procs: number } {
    if (this.announced.has(name)) return { base: name, procs: 1 };
    const m = /^(.*)-(\d+)$/.exec(name);
    return m ? { base: m[1], procs: Number(m[2]) } : { base: name, procs: 1 };
  }

  toRun(startedAt: string, notes: string[]): Run {
    const accs = [...this.results.values()];
    if (accs.length === 0) throw new IngestError(this.file, 'no benchmark results found (was -bench given, and did the benchmarks run?)');
    // The same benchmark at several GOMAXPROCS (-cpu 1,2) needs distinct ids: keep Go's "-N" then.
    const procsPerBase = new Map<string, Set<number>>();
    for (const a of accs) procsPerBase.set(`${a.pkg}\0${a.base}`, (procsPerBase.get(`${a.pkg}\0${a.base}`) ?? new Set()).add(a.procs));
    const sampled: string[] = [];
    const series = accs.map(a => {
      const ambiguous = (procsPerBase.get(`${a.pkg}\0${a.base}`)?.size ?? 0) > 1;
      const name = ambiguous && a.procs !== 1 ? `${a.base}-${a.procs}` : a.base;
      const ns = a.nsPerOp;
      const samples = ns.kept.map(x => x / 1e9);
      let summary = summarize(samples);
      if (ns.n > samples.length) {
        // Exact figures from the running stats; only the median comes from the kept samples.
        summary = compact({ n: ns.n, mean: ns.mean / 1e9, median: summary.median, stddev: ns.stddev === undefined ? undefined : ns.stddev / 1e9, min: ns.min / 1e9, max: ns.max / 1e9 });
        sampled.push(`${name} (${ns.n})`);
      }
      const extra: Record<string, number | string> = { procs: a.procs, iterations: mean(a.iterations) };
      for (const [unit, m] of a.metrics) extra[unit] = mean(m);
      const s: Series = {
        id: a.pkg ? `${a.pkg}.${name}` : name,
        name,
        group: a.pkg || undefined,
        metric: 'duration',
        unit: 's',
        samples,
        summary,
        extra,
      };
      return compact(s);
    });
    const allNotes = [...notes];
    if (this.failed.length) allNotes.push(`failed benchmarks: ${this.failed.join(', ')}`);
    if (sampled.length) {
      allNotes.push(`more than ${MAX_KEPT} samples in ${sampled.length} series (${sampled.slice(0, 5).join(', ')}${sampled.length > 5 ? ' …' : ''}): a uniform ${MAX_KEPT} of each are kept; n, mean, stddev, min and max are exact, the median is an estimate`);
    }
    return compact({
      tool: 'go-bench',
      startedAt,
      durationSec: this.durationSec || undefined,
      machine: this.machine(),
      source: this.file,
      series,
      notes: allNotes.length ? allNotes : undefined,
    } as Run);
  }

  private machine(): MachineFingerprint | undefined {
    const goos = this.config.get('goos');
    const goarch = this.config.get('goarch');
    const cpu = this.config.get('cpu');
    if (!goos && !goarch && !cpu) return undefined;
    const arch = normalizeArch(goarch ?? '');
    // Go reports no core count or Go version in benchmark output: 0 / absent mean unknown.
    return { cpuModel: cpu ?? '', cores: 0, os: [goos, arch].filter(Boolean).join(' '), arch, runtimes: {} };
  }
}

function mean(m: Mean): number {
  return m.sum / m.n;
}

export const goBenchTextParser: Parser = {
  tool: 'go-bench',
  format: 'go test -bench text output',
  detect(head) {
    return /^Benchmark\S*\s+\d+\s+[\d.e+-]+ ns\/op/m.test(head) || (/^goos: /m.test(head) && /^goarch: /m.test(head));
  },
  async parse(file: string): Promise<Run> {
    const c = new GoBenchCollector(file);
    await readLines(file, (line, n) => c.line(line, n));
    const { mtime } = await fs.stat(file);
    const started = isoOrUndefined(mtime.getTime() - c.durationSec * 1000) ?? mtime.toISOString();
    return c.toRun(started, ['start time estimated from the file time minus the reported test time (the text output has no timestamp)']);
  },
};

export const goTestJsonParser: Parser = {
  tool: 'go-bench',
  format: 'go test -json stream',
  detect(head) {
    const first = head.slice(0, head.indexOf('\n') >>> 0).trim();
    return /^\{"Time":"[^"]*","Action":"[a-z]+"/.test(first) || (/^\{.*"Action":"[a-z]+"/.test(first) && /"Package":"/.test(first));
  },
  async parse(file: string): Promise<Run> {
    const c = new GoBenchCollector(file);
    // test2json may split one benchmark line across events: rebuild lines per package.
    const partial = new Map<string, { text: string; line: number }>();
    let startedAt: string | undefined;
    await readLines(file, (raw, lineNo) => {
      if (!raw.trim()) return;
      let ev: unknown;
      try {
        ev = JSON.parse(raw);
      } catch (e) {
        throw new IngestError(file, `invalid JSON event: ${(e as Error).message}`, { line: lineNo });
      }
      if (typeof ev !== 'object' || ev === null || Array.isArray(ev)) throw new IngestError(file, `expected a JSON object event, got ${typeName(ev)}`, { line: lineNo });
      const { Action, Package, Output, Time } = ev as Record<string, unknown>;
      if (typeof Action !== 'string') throw new IngestError(file, `expected string, got ${typeName(Action)}`, { line: lineNo, field: 'Action' });
      if (startedAt === undefined && typeof Time === 'string') startedAt = isoOrUndefined(Date.parse(Time));
      if (Action !== 'output') return;
      if (typeof Output !== 'string') throw new IngestError(file, `expected string, got ${typeName(Output)}`, { line: lineNo, field: 'Output' });
      const pkg = typeof Package === 'string' ? Package : '';
      const prev = partial.get(pkg);
      let text = (prev?.text ?? '') + Output;
      const at = prev?.line ?? lineNo;
      let nl: number;
      while ((nl = text.indexOf('\n')) >= 0) {
        c.line(text.slice(0, nl), at, pkg || undefined);
        text = text.slice(nl + 1);
      }
      // Output that never ends its line would grow without bound: no benchmark line is this long.
      if (text.length > MAX_LINE_CHARS) throw new IngestError(file, `output of ${pkg || 'a package'} runs past ${MAX_LINE_CHARS} characters without a newline`, { line: at });
      if (text) partial.set(pkg, { text, line: lineNo });
      else partial.delete(pkg);
    });
    for (const [pkg, p] of partial) c.line(p.text, p.line, pkg || undefined);
    if (!startedAt) throw new IngestError(file, 'no event carries a Time', { field: 'Time' });
    return c.toRun(startedAt, []);
  },
};
