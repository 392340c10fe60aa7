// verdict.baselineRuns and the verdict keys of the contributed JSON schema, kept in step.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseProjectConfig } from '../../../src/core/config/projectConfig';

const repoRoot = process.cwd();

describe('config: verdict settings', () => {
  it('the schema lists exactly the verdict keys the parser accepts', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'media', 'perf-lens.config.schema.json'), 'utf8'));
    const source = fs.readFileSync(path.join(repoRoot, 'src', 'core', 'config', 'projectConfig.ts'), 'utf8');
    const m = /unknownKeys\(verdictNode, \[([^\]]+)\]\)/.exec(source);
    assert.ok(m, 'the verdict parser lists its keys');
    const parserKeys = [...m[1].matchAll(/'(\w+)'/g)].map(k => k[1]).sort();
    assert.deepStrictEqual(Object.keys(schema.properties.verdict.properties).sort(), parserKeys);
    assert.strictEqual(schema.properties.verdict.properties.baselineRuns.default, 5);
  });

  it('baselineRuns: a whole number from 1 to 50, absent by default', () => {
    assert.strictEqual(parseProjectConfig('c.json', { verdict: { baselineRuns: 8 } }).verdict.baselineRuns, 8);
    assert.ok(!('baselineRuns' in parseProjectConfig('c.json', { verdict: {} }).verdict));
    assert.throws(() => parseProjectConfig('c.json', { verdict: { baselineRuns: 2.5 } }), /c\.json.*whole number of runs from 1 to 50, got 2\.5.*verdict\.baselineRuns|verdict\.baselineRuns.*whole number/);
    assert.throws(() => parseProjectConfig('c.json', { verdict: { baselineRuns: 0 } }), /positive number/);
  });
});
