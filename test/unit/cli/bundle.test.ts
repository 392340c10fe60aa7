// The CLI ships as dist/cli.js (package.json "bin"): webpack must build it with a node shebang
// on that chunk only. Building takes a minute, so this checks the configuration that does it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from '../helpers';

interface WebpackLike {
  name?: string;
  entry?: Record<string, string>;
  plugins?: { constructor: { name: string }; options?: { banner?: unknown; raw?: boolean; entryOnly?: boolean; include?: unknown } }[];
}

describe('cli: bundle configuration', () => {
  it('webpack builds dist/cli.js from src/cli/main.ts with a #!/usr/bin/env node banner on that chunk only', () => {
    const factory = require(path.join(repoRoot, 'webpack.config.js')) as (env: unknown, argv: { mode?: string }) => WebpackLike[];
    const extension = factory({}, { mode: 'production' }).find(c => c.name === 'extension')!;
    assert.strictEqual(extension.entry?.cli, './src/cli/main.ts');
    const banner = extension.plugins?.find(p => p.constructor.name === 'BannerPlugin');
    assert.ok(banner?.options, 'BannerPlugin configured');
    assert.strictEqual(banner.options.banner, '#!/usr/bin/env node');
    assert.strictEqual(banner.options.raw, true);
    assert.strictEqual(banner.options.entryOnly, true);
    const include = banner.options.include as RegExp;
    assert.ok(include.test('cli.js') && !include.test('extension.js') && !include.test('loadMain.js'));
  });

  it('package.json exposes it as the perf-lens command', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
    assert.deepStrictEqual(pkg.bin, { 'perf-lens': './dist/cli.js' });
  });
});
