// Writing a run file: the project's serializer, written atomically (a reader never sees half a file),
// and redacted (no credential of a scenario or a command line is ever written).
import type { Run } from '../core/model';
import { redactRun } from '../core/redact';
import { serializeRun } from '../core/ingest/perfLens';
import { writeFileAtomic } from '../core/store/atomic';

export async function writeRunFile(file: string, run: Run, secrets: readonly string[] = []): Promise<void> {
  await writeFileAtomic(file, serializeRun(redactRun(run, secrets)));
}
