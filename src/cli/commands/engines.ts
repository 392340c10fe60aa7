// load … / memory …: our engines' own command lines, run in this process (so the bundled CLI
// needs no second entry file). Their exit codes are kept: 0 ok, 1 leak (memory), 2 usage,
// 3 target down or not allowed, 4 unexpected, 130 interrupted.
import { LOAD_ENGINE_NODE_FLAGS } from '../../core/config/suiteCommand';
import { exitCodeFor, loadCli, loadNeedsRestart } from '../../engines/loadMain';
import { restartWithFlags } from '../../engines/withNodeFlags';
import { MemoryRunError } from '../../engines/memory/runMemory';
import { memoryCli } from '../../engines/memoryMain';

export async function engineCommand(name: 'load' | 'memory', argv: string[]): Promise<number> {
  const prog = `perf-lens ${name}`;
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${prog}: the builtin ${name === 'load' ? 'load generator' : 'memory sampler'}; writes a perf-lens-run file to ingest or gate on.\n\n`);
    return (name === 'load' ? loadCli : memoryCli)(['--help']);
  }
  // By hand, the generator starts again with its V8 flags (engines/withNodeFlags.ts).
  if (name === 'load' && loadNeedsRestart(argv)) return restartWithFlags(LOAD_ENGINE_NODE_FLAGS, process.argv[1], process.argv.slice(2));
  try {
    return await (name === 'load' ? loadCli(argv) : memoryCli(argv));
  } catch (e) {
    if (e instanceof MemoryRunError) {
      process.stderr.write(`${prog}: ${e.message}\n`);
      return 2;
    }
    return exitCodeFor(e, prog);
  }
}
