// The registry picks these formats from content alone, whatever the file is called.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { detectParser } from '../../../src/core/ingest/detect';
import { fixture } from '../helpers';

const cases: [string[], string][] = [
  [['locust', 'run_stats.csv'], 'locust'],
  [['locust', 'run_stats_history.csv'], 'locust'],
  [['locust', 'run_failures.csv'], 'locust'],
  [['locust', 'run_exceptions.csv'], 'locust'],
  [['autocannon', 'result.json'], 'autocannon'],
  [['mocha', 'report.json'], 'mocha'],
  [['vitest', 'result.json'], 'vitest-bench'],
  [['k6', 'summary-export.json'], 'k6'],
  [['k6', 'summary-export-v1.json'], 'k6'],
];

describe('detection of Locust, autocannon, mocha, vitest bench and k6 files', () => {
  let tmp: string;
  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'detect-'));
  });
  after(() => fs.rm(tmp, { recursive: true, force: true }));

  for (const [parts, tool] of cases) {
    it(`${parts.join('/')} → ${tool}, also under a misleading name`, async () => {
      assert.strictEqual((await detectParser(fixture(...parts))).tool, tool);
      const renamed = path.join(tmp, `results-${parts.join('-')}.txt`);
      await fs.copyFile(fixture(...parts), renamed);
      assert.strictEqual((await detectParser(renamed)).tool, tool);
    });
  }
});
