// Fast, seeded slice of bench/fuzz-parsers.ts in the unit suite: every format's real fixtures,
// mutated the same ways (smaller nesting and long lines), ingested through ingestFile. Each case
// must give a valid model or a located IngestError naming the file. Replay a failure with
// PERF_LENS_FUZZ_SEED=<seed> or the bench script (node out/bench/fuzz-parsers.js --seed S ...).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCase } from '../../../bench/fuzz/cases';
import { FULL_SIZES, setMutationSizes } from '../../../bench/fuzz/mutate';
import { TARGETS } from '../../../bench/fuzz/targets';
import { repoRoot } from '../helpers';

const SEED = Number(process.env.PERF_LENS_FUZZ_SEED ?? 20261127);
const CASES = Number(process.env.PERF_LENS_FUZZ_CASES ?? 100);

describe(`parsers under fuzzed input (seed ${SEED}, ${CASES} cases per format)`, function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-lens-fuzz-unit-'));
  before(() => setMutationSizes({ deep: 5_000, longLine: 100_000 }));
  after(() => {
    setMutationSizes(FULL_SIZES);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const target of TARGETS) {
    it(`${target.name}: no crash, every rejection located, every acceptance a valid model`, async () => {
      const caseDir = path.join(dir, target.name);
      fs.mkdirSync(caseDir);
      const bad: string[] = [];
      const seen = { accepted: 0, rejected: 0 };
      for (let i = 0; i < CASES; i++) {
        const r = await runCase(repoRoot, target, SEED, i, caseDir);
        if (r.verdict.kind === 'violation') bad.push(`case ${i} (${r.label}): ${r.verdict.why}`);
        else seen[r.verdict.kind]++;
      }
      assert.deepStrictEqual(bad, []);
      // The mutants must exercise both paths, or the test proves nothing.
      assert.ok(seen.accepted > 0 && seen.rejected > 0, `accepted ${seen.accepted}, rejected ${seen.rejected}`);
    });
  }
});
