// The panel's Content-Security-Policy: no 'unsafe-inline' / 'unsafe-eval', scripts only by a fresh
// nonce, nothing loaded from outside the extension. panelHtml is the real function; `vscode` is
// not loadable under plain mocha, so the two members it uses (Uri.joinPath, and a webview's
// asWebviewUri/cspSource) are supplied here.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import Module = require('module');

interface FakeUri { path: string; toString(): string }
const fakeVscode = {
  Uri: { joinPath: (base: FakeUri, ...parts: string[]): FakeUri => { const p = path.posix.join(base.path, ...parts); return { path: p, toString: () => `file://${p}` }; } },
};
const webview = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  asWebviewUri: (u: FakeUri) => ({ toString: () => `https://file+.vscode-resource.vscode-cdn.net${u.path}` }),
};

type Resolve = (request: string, ...rest: unknown[]) => string;
function withFakeVscode<T>(load: () => T): T {
  const m = Module as unknown as { _resolveFilename: Resolve; _cache: Record<string, unknown> };
  const original = m._resolveFilename;
  const id = '\0fake-vscode';
  m._cache[id] = { id, filename: id, loaded: true, exports: fakeVscode };
  m._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? id : original.call(this, request, ...rest);
  };
  try {
    return load();
  } finally {
    m._resolveFilename = original;
  }
}

describe('webview CSP of the panel', () => {
  const { panelHtml } = withFakeVscode(() => require('../../../src/features/panelHtml') as typeof import('../../../src/features/panelHtml'));
  const html = (panelHtml as unknown as (w: typeof webview, u: FakeUri) => string)(webview, { path: '/ext', toString: () => 'file:///ext' });

  function csp(h: string): Map<string, string[]> {
    const content = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(h)?.[1];
    assert.ok(content, 'the page has a CSP meta tag');
    return new Map(content.split(';').map(d => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  }

  it('has no unsafe-inline or unsafe-eval, denies by default, and takes scripts only by nonce', () => {
    const policy = csp(html);
    assert.ok(!/unsafe-inline|unsafe-eval|unsafe-hashes|\*/.test([...policy.values()].flat().join(' ')), [...policy].join('; '));
    assert.deepStrictEqual(policy.get('default-src'), ["'none'"]);
    const scriptSrc = policy.get('script-src') ?? [];
    assert.strictEqual(scriptSrc.length, 1);
    assert.match(scriptSrc[0], /^'nonce-[A-Za-z0-9+/]{22}==?'$/, 'a 128-bit nonce');
    for (const [name, values] of policy) {
      for (const v of values) assert.ok(v.startsWith("'") || v === webview.cspSource || v === 'data:', `${name} allows ${v}`);
    }
  });

  it('every script carries the nonce and has no inline body; no inline styles or handlers', () => {
    const nonce = /'nonce-([^']+)'/.exec(csp(html).get('script-src')![0])![1];
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.strictEqual(scripts.length, 1);
    for (const [, attrs, body] of scripts) {
      assert.ok(attrs.includes(`nonce="${nonce}"`), attrs);
      assert.match(attrs, /src="https:\/\/file\+\.vscode-resource[^"]+\/dist\/webview\.js"/);
      assert.strictEqual(body.trim(), '');
    }
    assert.ok(!/<style\b|\sstyle=|\son[a-z]+=/i.test(html), 'no inline style or event handler attribute');
  });

  it('a fresh nonce on every load', () => {
    const again = (panelHtml as unknown as (w: typeof webview, u: FakeUri) => string)(webview, { path: '/ext', toString: () => 'file:///ext' });
    assert.notStrictEqual(csp(html).get('script-src')![0], csp(again).get('script-src')![0]);
  });

  it('the bundled webview script needs no eval (the CSP would block it)', function () {
    const bundle = path.resolve(__dirname, '../../../../dist/webview.js');
    const file = fs.existsSync(bundle) ? bundle : path.resolve('dist/webview.js');
    if (!fs.existsSync(file)) this.skip(); // not built yet: `npm run build`
    const js = fs.readFileSync(file, 'utf8');
    assert.ok(!/\beval\(|new Function\(|setTimeout\(\s*["'`]/.test(js), 'dist/webview.js uses eval, new Function or string timers');
    assert.ok(!/\.innerHTML\s*=|insertAdjacentHTML|document\.write/.test(js), 'dist/webview.js writes HTML from strings');
  });
});
