import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { resolveWasm, WASM_ASSETS } from '../../../src/core/locate/parser';
import { languageForPath } from '../../../src/core/locate/types';
import { repoRoot } from '../helpers';

describe('locate: parser assets', () => {
  it('webpack copies every wasm file the parser loads (dist/grammars)', () => {
    const config = fs.readFileSync(path.join(repoRoot, 'webpack.config.js'), 'utf8');
    for (const { pkg, file } of Object.values(WASM_ASSETS)) assert.ok(config.includes(`'${pkg}/${file}'`), `${pkg}/${file} missing from webpack.config.js`);
  });

  it('resolves every wasm asset from node_modules when running from out/', () => {
    for (const asset of Object.keys(WASM_ASSETS) as (keyof typeof WASM_ASSETS)[]) {
      assert.ok(fs.existsSync(resolveWasm(asset)), asset);
    }
  });

  it('picks the grammar by file name and skips declaration files', () => {
    assert.deepStrictEqual(
      ['a.py', 'b.mjs', 'c.tsx', 'd.ts', 'e.d.ts', 'f_test.go', 'README.md'].map(languageForPath),
      ['python', 'javascript', 'tsx', 'typescript', undefined, 'go', undefined],
    );
  });
});
