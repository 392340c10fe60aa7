// Writing a run file: the project's serializer, written atomically (a reader never sees half a file).
import type { Run } from '../core/model';
import { serializeRun } from '../core/ingest/perfLens';
import { writeFileAtomic } from '../core/store/atomic';

export async function writeRunFile(file: string, run: Run): Promise<void> {
  await writeFileAtomic(file, serializeRun(run));
}
