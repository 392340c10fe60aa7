#!/usr/bin/env node
// `npm run demo`: Perf Lens' main job, headless, on a copy of examples/node-service.
//  1. "main": run the benchmark, load and memory suites, accept the results as the baseline;
//  2. "your change" (SLOW=1 makes the videos page slower, LEAK=1 turns on the dashboard leak):
//     run them again, compare with the baseline (verdicts say how sure they are), run the CI
//     gate (it fails, as it should) and write the HTML report.
// Node only; the suites start the service they measure (`serve`) and stop it. Takes about 2 minutes.
// `npm run demo -- --pages` also runs the frontend suite (Lighthouse on the two pages, needs
// Chromium at /usr/bin/chromium) in both phases, one run per page instead of the suite's 3: four
// Lighthouse runs more, each 10–60 s depending on the box, so it is not in the default demo.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const repo = path.resolve(__dirname, '..');
const cli = path.join(repo, 'dist', 'cli.js');
const t0 = Date.now();
const withPages = process.argv.includes('--pages');
const say = m => process.stdout.write(`\n\x1b[1m== ${m}\x1b[0m  (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function perfLens(ws, args, env = {}) {
  process.stdout.write(`$ perf-lens ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [cli, ...args, '--cwd', ws], { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status;
}

async function main() {
  if (!fs.existsSync(cli)) throw new Error(`${path.relative(process.cwd(), cli)} is missing: run \`npm run build\` first (npm run demo does)`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-demo-'));
  const ws = path.join(work, 'node-service');
  fs.cpSync(path.join(__dirname, 'node-service'), ws, { recursive: true, filter: src => !src.includes(`${path.sep}.perf${path.sep}`) });
  // The copy lives outside the repository: let it find express in the repository's node_modules.
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(ws, 'node_modules'), 'dir');

  // A free port, written into the copy's config and scenario.
  const port = await freePort();
  const configFile = path.join(ws, 'perf-lens.config.json');
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  // The load and pages suites start the service themselves (`serve`) and stop it after them.
  const at = u => u.replace('127.0.0.1:3000', `127.0.0.1:${port}`);
  for (const name of ['load', 'pages', 'memory']) config.suites[name].env.PORT = String(port);
  config.suites.load.target = at(config.suites.load.target);
  config.suites.pages.urls = config.suites.pages.urls.map(at);
  for (const name of ['load', 'pages']) config.suites[name].serve.url = at(config.suites[name].serve.url);
  config.suites.pages.runs = 1; // a demo shortcut: CI keeps the suite's 3 runs per page for a median
  if (withPages && !fs.existsSync(config.suites.pages.chromePath ?? '/usr/bin/chromium')) throw new Error('--pages needs Chromium (/usr/bin/chromium, or "chromePath" in the pages suite)');
  const suites = ['bench', 'load', ...(withPages ? ['pages'] : [])];
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const scenarioFile = path.join(ws, 'perf', 'scenario.json');
  const scenario = JSON.parse(fs.readFileSync(scenarioFile, 'utf8'));
  scenario.target = `http://127.0.0.1:${port}`;
  fs.writeFileSync(scenarioFile, JSON.stringify(scenario, null, 2));

  say(`1/2 main: benchmarks, a load test${withPages ? ', Lighthouse on the pages' : ''} and a memory check of examples/node-service (copy in ${ws})`);
  perfLens(ws, ['run', ...suites]);
  perfLens(ws, ['run', 'memory']);
  perfLens(ws, ['baseline', 'accept', '--by', 'user:demo']);

  const change = { SLOW: '1', LEAK: '1' };
  say('2/2 your change (SLOW=1: a slower videos page, LEAK=1: the dashboard keeps every request): the same suites');
  perfLens(ws, ['run', ...suites], change); // the served service inherits SLOW and LEAK
  perfLens(ws, ['run', 'memory'], change);

  say('compare with the baseline');
  perfLens(ws, ['compare']);
  say('the CI gate (a failure is the expected outcome here)');
  const gate = perfLens(ws, ['gate']);
  process.stdout.write(`gate exit code: ${gate} ${gate === 1 ? '(failed, as it should: the change is slower and leaks)' : '(UNEXPECTED: the injected regression was not caught)'}\n`);
  const report = path.join(work, 'perf-report.html');
  perfLens(ws, ['report', '--format', 'html', '--out', report]);
  say(`done: open ${report}`);
  if (!withPages) process.stdout.write('(frontend suite left out to stay within 3 minutes: `npm run demo -- --pages` adds Lighthouse on the two pages)\n');
  return gate === 1 ? 0 : 1;
}

main().then(code => process.exit(code), e => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
});
