// perf-lens: the headless CLI. The same core as the editor (ingest, stores, verdicts, budgets,
// leak checks) run suites, compare, gate merges and write reports in CI.
// Exit codes: 0 ok, 1 a failed gate, suite or unreadable input, 2 a usage or configuration error.
import { GLOBAL, UsageError, parseArgs, type ArgSpec, type Args } from './args';
import { CliError, resolveCwd, type Ctx } from './context';
import { baselineCommand, ingestCommand } from './commands/store';
import { compareCommand, gateCommand, reportCommand, SOURCE_OPTIONS } from './commands/evaluation';
import { runCommand } from './commands/run';
import { sampleCommand } from './commands/sample';
import { AB_SPEC, AB_USAGE, abCommand } from './commands/ab';
import { calibrateCommand } from './commands/calibrate';
import { consoleOutput } from './io';

interface Command {
  summary: string;
  usage: string;
  spec: ArgSpec;
  run(args: Args, ctx: Ctx): Promise<number>;
}

const COMMON = `Common options:
  --cwd DIR            workspace folder (default: the current directory); relative FILE
                       arguments (ingest, report --out) are resolved from it
  --no-progress        no progress output
  --help, -h           this text`;

const COMMANDS: Record<string, Command> = {
  run: {
    summary: 'run suites of perf-lens.config.json headless, ingest their results, print verdicts',
    usage: `Usage: perf-lens run [SUITE…] [--baseline-ref REF]

Runs every suite (or the ones named) as the editor's tasks do: regression suites run their
command through /bin/sh and their "results" files are ingested; load and memory suites on the
builtin engine run our load generator / memory sampler. Then prints the verdict table.
Suites run in the order named. Exit 1 when a suite fails or writes no results (regressions
are for "perf-lens gate"). SIGINT, SIGTERM or SIGHUP (Ctrl-C, a CI cancel, a closed terminal):
the running suite is stopped gracefully, its partial results are ingested, later suites are
skipped, exit 130 (a second signal ends at once).

  --baseline-ref REF   compare with baselines committed at a git ref`,
    spec: { values: ['--baseline-ref'], positional: true },
    run: runCommand,
  },
  sample: {
    summary: 'keep sampling one benchmark (re-run it) until its comparison is decided',
    usage: `Usage: perf-lens sample ID [--max-looks K] [--max-time SEC] [--baseline-ref REF]

Re-runs the benchmark ID through its regression suite (narrowed to it where the runner allows),
ingests each run, and judges the pooled rounds against the baseline after every run until the
95% interval clears the practical threshold either way. Repeated looks are paid for with
O'Brien–Fleming-type alpha spending over the K planned looks (the current data are look 1), so
false regressions stay below the verdict's α. Exit 0 when decided, 1 when still undecided at
the bound, when a run fails, or without a baseline to decide against.

  --max-looks K        planned looks, the current data included (default 5, at most 20)
  --max-time SEC       start no new run after this many seconds
  --baseline-ref REF   compare with baselines committed at a git ref`,
    spec: { values: ['--max-looks', '--max-time', '--baseline-ref'], positional: true },
    run: sampleCommand,
  },
  ingest: {
    summary: 'read result files (any supported tool) into .perf/history',
    usage: `Usage: perf-lens ingest FILE… [--suite NAME]

Detects the format (pytest-benchmark, Locust CSV, hyperfine, go test -bench, Google Benchmark,
autocannon, mocha, vitest bench, k6, perf-lens-run), stores the run and prints its verdicts.
Exit 1 when a file cannot be read or parsed (the error names the file and line or field).

  --suite NAME         suite name recorded with the run`,
    spec: { values: ['--suite'], positional: true },
    run: ingestCommand,
  },
  compare: {
    summary: 'latest results (or run B vs run A) against baselines, with CI and p-values',
    usage: `Usage: perf-lens compare [--baseline-ref REF | --runs A B]

Each series' latest measurement against the accepted baseline of this machine class.
${SOURCE_OPTIONS}`,
    spec: { values: ['--baseline-ref'], tuples: { '--runs': 2 } },
    run: compareCommand,
  },
  gate: {
    summary: 'exit 1 on regressions, budget breaches or leaks, one line per failure',
    usage: `Usage: perf-lens gate [--fail-on regression,budget,leak,inconclusive] [--baseline-ref REF | --runs A B]

  --fail-on LIST       what fails the gate (default regression,budget,leak); add
                       "inconclusive" to fail on verdicts that need more samples or have no
                       comparable baseline
${SOURCE_OPTIONS}`,
    spec: { values: ['--fail-on', '--baseline-ref'], tuples: { '--runs': 2 } },
    run: gateCommand,
  },
  report: {
    summary: 'write a report: md (PR comment), html (self-contained), json, junit, text',
    usage: `Usage: perf-lens report [--format md|html|json|junit|text] [--out FILE] [--title TEXT] [--baseline-ref REF | --runs A B]

  --format F           md (default, for a pull-request comment), html (self-contained, charts
                       inline, opens offline), json, junit (CI test tabs), text
  --out FILE           write here (atomically) instead of stdout
  --title TEXT         report title
${SOURCE_OPTIONS}`,
    spec: { values: ['--format', '--out', '--title', '--baseline-ref'], tuples: { '--runs': 2 } },
    run: reportCommand,
  },
  calibrate: {
    summary: 'measure this machine\'s noise: run the regression suite N times (A/A) into .perf/noise.json',
    usage: `Usage: perf-lens calibrate [--suite NAME] [--runs N]

Runs the regression suite (every regression suite, or the one named) N times on the same code,
as "perf-lens run" runs it, and records per benchmark how much its central value moves between
runs (95th/99th percentile of |ln ratio| over all pairs of runs) and the within-run CV, for this
machine class, in .perf/noise.json. Verdicts then use max(configured threshold, calibrated
noise) for that benchmark on this machine, and their reason says so. Commit the file to share it.

  --suite NAME         the suite to calibrate (default: every regression suite)
  --runs N             A/A runs (default 5, at least 2; more runs, steadier percentiles)`,
    spec: { values: ['--suite', '--runs'] },
    run: calibrateCommand,
  },
  ab: {
    summary: 'same-machine A/B: HEAD vs its merge base, interleaved, paired verdicts',
    usage: AB_USAGE,
    spec: AB_SPEC,
    run: abCommand,
  },
  baseline: {
    summary: 'baseline accept [ID…]: make the latest results the baseline',
    usage: `Usage: perf-lens baseline accept [ID…] [--by NAME]

Accepts the latest measurement of each series named (all when none) as the baseline for this
machine class in .perf/baselines.json; commit that file to share it.

  --by NAME            who accepts: a name ("user:NAME"), or "tool:NAME" for automation
                       (default: the current user)`,
    spec: { values: ['--by'], positional: true },
    run: baselineCommand,
  },
};

const ENGINES = {
  load: 'the builtin load generator (perf-lens load --help)',
  memory: 'the builtin memory sampler and leak check (perf-lens memory --help)',
};

function mainUsage(): string {
  const names = [...Object.keys(COMMANDS), ...Object.keys(ENGINES)];
  const w = Math.max(...names.map(n => n.length)) + 2;
  const lines = [
    'Usage: perf-lens COMMAND [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(w)}${c.summary}`),
    ...Object.entries(ENGINES).map(([n, s]) => `  ${n.padEnd(w)}${s}`),
    '',
    COMMON,
    '',
    'Exit codes: 0 ok, 1 failed gate / suite / unreadable input, 2 usage or configuration error.',
    'Run "perf-lens COMMAND --help" for a command\'s options.',
  ];
  return lines.join('\n');
}

/** Global options given before the command name (e.g. `perf-lens --cwd x gate`). */
function splitGlobal(argv: string[]): { global: string[]; rest: string[] } {
  let i = 0;
  while (i < argv.length && argv[i].startsWith('-')) {
    const name = argv[i].split('=')[0];
    if (GLOBAL.values.includes(name) && !argv[i].includes('=')) i += 2;
    else i += 1;
  }
  return { global: argv.slice(0, i), rest: argv.slice(i) };
}

export async function main(argv: string[]): Promise<number> {
  const { global, rest } = splitGlobal(argv);
  const [name, ...cmdArgv] = rest;
  let pre: Args;
  try {
    pre = parseArgs(global, {});
  } catch (e) {
    process.stderr.write(`perf-lens: ${(e as Error).message}\nRun "perf-lens --help" for usage.\n`);
    return 2;
  }
  if (!name) {
    const help = pre.flags.has('--help');
    (help ? process.stdout : process.stderr).write(`${mainUsage()}\n`);
    return help ? 0 : 2;
  }
  if (name === 'help') {
    const topic = cmdArgv[0] && COMMANDS[cmdArgv[0]];
    process.stdout.write(`${topic ? `${topic.usage}\n\n${COMMON}` : mainUsage()}\n`);
    return 0;
  }
  if (name === 'load' || name === 'memory') {
    try {
      if (pre.values.has('--cwd')) process.chdir(resolveCwd(pre.values.get('--cwd')));
    } catch (e) {
      process.stderr.write(`perf-lens ${name}: ${(e as Error).message}\n`);
      return 2;
    }
    // Loaded only when asked for: the engines pull in undici and pidusage.
    const { engineCommand } = await import('./commands/engines');
    return engineCommand(name, cmdArgv);
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`perf-lens: unknown command "${name}"\n\n${mainUsage()}\n`);
    return 2;
  }
  let out = consoleOutput({ progress: false });
  try {
    const args = parseArgs([...global, ...cmdArgv], cmd.spec);
    if (args.flags.has('--help')) {
      process.stdout.write(`${cmd.usage}\n\n${COMMON}\n`);
      return 0;
    }
    out = consoleOutput({ progress: !args.flags.has('--no-progress') });
    const ctx: Ctx = { cwd: resolveCwd(args.values.get('--cwd')), out };
    return await cmd.run(args, ctx);
  } catch (e) {
    out.done();
    if (e instanceof UsageError) {
      process.stderr.write(`perf-lens ${name}: ${e.message}\nRun "perf-lens ${name} --help" for usage.\n`);
      return 2;
    }
    if (e instanceof CliError) {
      process.stderr.write(`perf-lens ${name}: ${e.message}\n`);
      return e.exitCode;
    }
    // Store and parser errors name their file; anything else is a bug worth a stack.
    const err = e as Error;
    const bug = err instanceof TypeError || err instanceof ReferenceError || err instanceof SyntaxError;
    process.stderr.write(`perf-lens ${name}: ${bug && err.stack ? err.stack : err?.message ?? String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  // `perf-lens compare | head`: a closed pipe ends the output, not with a stack trace.
  process.stdout.on('error', e => {
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(process.argv.slice(2)).then(
    code => {
      process.exitCode = code;
    },
    e => {
      process.stderr.write(`perf-lens: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
