// Two bundles: the extension (Node, runs in the extension host) and the panel's
// browser code (runs inside the webview). Both compile src/shared/ so the
// message protocol is one set of types on both sides.
'use strict';
const fs = require('fs');
const path = require('path');
const { BannerPlugin } = require('webpack');

// The tree-sitter runtime and grammars, loaded at run time from dist/grammars/ by
// src/core/locate/parser.ts (keep in sync with WASM_ASSETS there; a unit test checks).
const GRAMMAR_WASM = [
  'web-tree-sitter/tree-sitter.wasm',
  'tree-sitter-python/tree-sitter-python.wasm',
  'tree-sitter-javascript/tree-sitter-javascript.wasm',
  'tree-sitter-typescript/tree-sitter-typescript.wasm',
  'tree-sitter-typescript/tree-sitter-tsx.wasm',
  'tree-sitter-go/tree-sitter-go.wasm',
];

/** Copies GRAMMAR_WASM next to the bundle after each emit (no copy-plugin dependency). */
const copyGrammars = {
  /** @param {import('webpack').Compiler} compiler */
  apply(compiler) {
    compiler.hooks.afterEmit.tap('PerfLensCopyGrammars', () => {
      const dir = path.join(compiler.options.output.path ?? path.resolve(__dirname, 'dist'), 'grammars');
      fs.mkdirSync(dir, { recursive: true });
      for (const rel of GRAMMAR_WASM) {
        fs.copyFileSync(path.join(__dirname, 'node_modules', rel), path.join(dir, path.basename(rel)));
      }
    });
  },
};

/** @param {string} configFile */
const tsRule = configFile => ({
  test: /\.ts$/,
  exclude: /node_modules/,
  use: [{ loader: 'ts-loader', options: { configFile, transpileOnly: true } }],
});

/** @type {(env: unknown, argv: { mode?: string }) => import('webpack').Configuration[]} */
module.exports = (_env, argv) => {
  const production = argv.mode === 'production';
  const common = {
    mode: production ? 'production' : 'development',
    devtool: production ? 'hidden-source-map' : 'source-map',
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] }, extensions: ['.ts', '.js'] },
    optimization: { minimize: production },
    infrastructureLogging: { level: 'warn' },
    stats: 'errors-warnings',
  };
  /** @type {import('webpack').Configuration} */
  const extension = {
    ...common,
    name: 'extension',
    target: 'node',
    // cli: the headless perf-lens command (package.json "bin"), same core as the extension.
    // loadMain / memoryMain: our engines, run as task or CLI child processes, never in the extension host;
    // serveMain: a task's wrapper that starts a suite's `serve` service around it.
    entry: {
      extension: './src/extension.ts',
      cli: './src/cli/main.ts',
      loadMain: './src/engines/loadMain.ts',
      memoryMain: './src/engines/memoryMain.ts',
      serveMain: './src/engines/serveMain.ts',
      // The workspace scan's worker thread (src/core/locate/scanWorker.ts finds it next to extension.js).
      scanWorker: './src/core/locate/scanWorker.ts',
    },
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: '[name].js',
      libraryTarget: 'commonjs2',
      devtoolModuleFilenameTemplate: '../[resource-path]',
    },
    externals: { vscode: 'commonjs vscode' },
    module: { rules: [tsRule(path.resolve(__dirname, 'tsconfig.json'))] },
    plugins: [copyGrammars, new BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true, include: /^cli\.js$/ })],
  };
  /** @type {import('webpack').Configuration} */
  const webview = {
    ...common,
    name: 'webview',
    target: 'web',
    entry: { webview: './webview-ui/src/main.ts' },
    output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js' },
    module: { rules: [tsRule(path.resolve(__dirname, 'webview-ui/tsconfig.json'))] },
  };
  return [extension, webview];
};
