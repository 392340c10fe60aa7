// Two bundles: the extension (Node, runs in the extension host) and the panel's
// browser code (runs inside the webview). Both compile src/shared/ so the
// message protocol is one set of types on both sides.
'use strict';
const path = require('path');

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
    entry: { extension: './src/extension.ts' },
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: '[name].js',
      libraryTarget: 'commonjs2',
      devtoolModuleFilenameTemplate: '../[resource-path]',
    },
    externals: { vscode: 'commonjs vscode' },
    module: { rules: [tsRule(path.resolve(__dirname, 'tsconfig.json'))] },
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
