// Palette commands over the results store: import a result file, accept baselines (all,
// picked, or those of one lens), open or create the project config, reload, show the log.
import * as os from 'os';
import * as vscode from 'vscode';
import { detectSetups, proposedConfig } from '../core/config/detectSetup';
import { CONFIG_FILE } from '../core/config/projectConfig';
import type { Log } from '../util/log';
import type { ResultsStore } from '../workspace/resultsStore';
import type { WorkspaceResults } from '../workspace/workspaceResults';
import { ACCEPT_COMMAND } from './codelens';

const STARTER_CONFIG = {
  $schema: './node_modules/perf-lens/media/perf-lens.config.schema.json',
  version: 1,
  suites: {},
  budgets: [],
  verdict: { threshold: 0.05 },
};

function acceptedBy(): string {
  try {
    return `user:${os.userInfo().username}`;
  } catch {
    return 'user:unknown';
  }
}

async function pickStore(results: WorkspaceResults, hint?: vscode.Uri): Promise<ResultsStore | undefined> {
  if (hint) return results.storeFor(hint);
  const stores = results.all();
  if (stores.length <= 1) return stores[0];
  const folder = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Which workspace folder?' });
  return folder ? results.storeFor(folder.uri) : undefined;
}

export function register(results: WorkspaceResults, log: Log): vscode.Disposable[] {
  const accept = async (ids?: string[], file?: string): Promise<string[] | undefined> => {
    const folderUri = file ? vscode.workspace.workspaceFolders?.find(f => results.storeFor(f.uri))?.uri : undefined;
    const store = await pickStore(results, folderUri);
    if (!store) {
      void vscode.window.showInformationMessage('Perf Lens: no results to accept yet. Run a suite or import a result file first.');
      return undefined;
    }
    let chosen = ids;
    if (!chosen) {
      const items = store.all().map(s => ({
        label: s.id,
        description: s.verdict?.status ?? '',
        detail: s.verdict?.reason,
        picked: s.verdict?.status === 'new' || s.verdict?.status === 'improvement',
      }));
      if (!items.length) {
        void vscode.window.showInformationMessage('Perf Lens: no results to accept yet.');
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(items, { canPickMany: true, placeHolder: 'Accept the latest result of these as the baseline' });
      if (!picked?.length) return undefined;
      chosen = picked.map(p => p.label);
    }
    const accepted = await store.accept(chosen, acceptedBy());
    void vscode.window.showInformationMessage(`Perf Lens: accepted ${accepted.length} baseline${accepted.length === 1 ? '' : 's'} into .perf/baselines.json`);
    return accepted;
  };

  return [
    vscode.commands.registerCommand('perfLens.showLog', () => log.show?.()),
    vscode.commands.registerCommand(ACCEPT_COMMAND, (ids?: string[], file?: string) => accept(ids, file)),
    vscode.commands.registerCommand('perfLens.acceptBaselines', () => accept()),
    vscode.commands.registerCommand('perfLens.importResults', async (uri?: vscode.Uri) => {
      const target =
        uri ??
        (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Import results', filters: { 'Result files': ['json', 'jsonl', 'csv', 'txt'] } }))?.[0];
      if (!target) return undefined;
      try {
        const n = await results.ingest(target);
        void vscode.window.showInformationMessage(`Perf Lens: imported ${n} result${n === 1 ? '' : 's'} from ${vscode.workspace.asRelativePath(target)}`);
        return n;
      } catch (e) {
        log.error(e as Error);
        void vscode.window.showErrorMessage(`Perf Lens could not import it: ${(e as Error).message}`);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('perfLens.reloadResults', () => Promise.all(results.all().map(s => s.reload()))),
    vscode.commands.registerCommand('perfLens.openConfig', async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) return;
      const uri = vscode.Uri.joinPath(folder.uri, CONFIG_FILE);
      try {
        await vscode.workspace.fs.stat(uri);
      } catch {
        const create = await vscode.window.showInformationMessage(`${CONFIG_FILE} does not exist yet. Create it?`, 'Create');
        if (create !== 'Create') return;
        await vscode.commands.executeCommand('perfLens.createConfig', folder.uri);
      }
      await vscode.window.showTextDocument(uri);
    }),
    // Writes a config with a suite for each setup found (or an empty one); never overwrites.
    vscode.commands.registerCommand('perfLens.createConfig', async (folderUri?: vscode.Uri) => {
      const folder = folderUri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
      if (!folder) return undefined;
      const uri = vscode.Uri.joinPath(folder, CONFIG_FILE);
      try {
        await vscode.workspace.fs.stat(uri);
        return uri; // already there: keep the user's file
      } catch {
        /* not there yet */
      }
      const found = folder.scheme === 'file' ? await detectSetups(folder.fsPath) : [];
      const text = found.length ? proposedConfig(found) : JSON.stringify(STARTER_CONFIG, null, 2) + '\n';
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
      log.info(`wrote ${CONFIG_FILE} with ${found.length} detected suite(s): ${found.map(f => f.evidence).join('; ')}`);
      return uri;
    }),
  ];
}
