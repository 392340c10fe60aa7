// The few lines an engine entry needs for server metrics: start a scraper when --metrics is
// given, and at the end stop it, write the server run beside the engine's result file, and
// print the alert findings (the CLI and a task's terminal show them).
import type { SuiteKind } from '../../core/model';
import type { ParsedArgs } from '../args';
import { writeRunFile } from '../output';
import type { ProgressSink } from '../progress';
import { Scraper, scraperOptionsFromArgs, serverRunFile } from './scraper';

export interface MetricsAttachment {
  /** Stops scraping, writes `<out>.server.json` and reports findings; never throws. */
  finish(out: string, meta: { suite?: string; kind: SuiteKind }): Promise<void>;
  /** Stops scraping without writing (the run failed). */
  abort(): Promise<void>;
}

export function attachMetrics(args: ParsedArgs, sink: ProgressSink, allowHosts: readonly string[] = []): MetricsAttachment | undefined {
  const opts = scraperOptionsFromArgs(args, allowHosts);
  if (!opts) return undefined;
  const scraper = new Scraper({
    ...opts,
    onEvent: e => {
      sink.event(e);
      // Alerts as they fire on the terminal too (a TTY sink drops events), below the progress bar.
      if ((e as { type: string }).type === 'alert' && process.stderr.isTTY) process.stderr.write(`\n${(e as { message: string }).message}\n`);
    },
  }).start();
  return {
    async finish(out, meta) {
      try {
        await scraper.stop();
        const run = scraper.toRun(meta);
        const s = scraper.session;
        if (!run) {
          process.stderr.write(`server metrics: fewer than two scrapes of ${opts.url} answered (${s.failures} failed); nothing written\n`);
          return;
        }
        const file = serverRunFile(out);
        await writeRunFile(file, run);
        const findings = s.findings();
        sink.event({ type: 'metrics-done', out: file, scrapes: s.scrapes, failures: s.failures, findings: run.notes?.filter(n => n.startsWith('alert ')) ?? [] });
        for (const note of run.notes ?? []) process.stderr.write(`server metrics: ${note}\n`);
        process.stderr.write(`server metrics: ${run.series.length} series, ${findings.length} alert finding(s) → ${file}\n`);
      } catch (e) {
        process.stderr.write(`server metrics: not written: ${(e as Error).message}\n`);
      }
    },
    abort: () => scraper.stop().catch(() => undefined),
  };
}
