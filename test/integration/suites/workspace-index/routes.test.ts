// Routes of routers mounted in another file, in the editor: the FastAPI service of
// test/workspaces/fastapi-routers (its routes.txt lists what FastAPI itself registers) is copied
// into the workspace; the handler lenses in routers/videos.py carry the full route, prefixes from
// main.py included, and follow an edit of main.py made on disk.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { untilTrue, workspaceUri } from '../../util';

const repo = path.resolve(__dirname, '..', '..', '..', '..', '..');

describe('workspace index: routes of routers mounted in another file', () => {
  const videos = workspaceUri('svc', 'app', 'routers', 'videos.py');
  const main = workspaceUri('svc', 'app', 'main.py');
  /** Line and route of each handler lens (the Load test action's route) in videos.py. */
  const routes = async () =>
    ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', videos)) ?? [])
      .map(l => `${l.range.start.line}: ${(l.command?.arguments?.[0] as { route?: string } | undefined)?.route}`);

  before(async () => {
    fs.cpSync(path.join(repo, 'test', 'workspaces', 'fastapi-routers', 'app'), path.dirname(main.fsPath), { recursive: true });
    await vscode.extensions.getExtension('perf-lens.perf-lens')?.activate();
  });

  it('a handler lens carries the full route, with the prefixes main.py mounts its router under', async function () {
    this.timeout(120_000);
    await vscode.window.showTextDocument(videos);
    // get_video's decorator is on line 6 (index 5): /videos from its APIRouter, /api from main.py.
    const all = await untilTrue(routes, r => r.includes('5: GET /api/videos/{video_id}'), 60_000);
    // thumbnail serves GET and HEAD: one quiet lens on its line, not the same one twice.
    assert.deepStrictEqual(all, ['5: GET /api/videos/{video_id}', '10: POST /api/videos/upload', '15: GET /api/videos/{video_id}/thumbnail']);
  });

  it('follows a mount prefix edited on disk in main.py (not open)', async function () {
    this.timeout(60_000);
    const text = fs.readFileSync(main.fsPath, 'utf8');
    fs.writeFileSync(main.fsPath, text.replace('APIRouter(prefix="/api")', 'APIRouter(prefix="/v2")'));
    await untilTrue(routes, r => r.includes('5: GET /v2/videos/{video_id}') && !r.some(x => x.includes('/api/videos')), 30_000);
  });
});
