// autocannon for the benches that compare against it: installed from the npm registry into a
// temp folder (not a project dependency), so the comparison runs the published tool.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface Autocannon {
  /** The package folder: `require` it for the API. */
  pkg: string;
  /** Its CLI script. */
  bin: string;
  version: string;
}

/** Installs autocannon under `dir` (throws when npm cannot). */
export function installAutocannon(dir: string): Autocannon {
  process.stderr.write('installing autocannon into a temp folder…\n');
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefix', dir, 'autocannon'], { stdio: 'inherit' });
  const pkg = path.join(dir, 'node_modules', 'autocannon');
  const version = (JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  return { pkg, bin: path.join(pkg, 'autocannon.js'), version };
}
