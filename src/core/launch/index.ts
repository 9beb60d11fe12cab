/** Launch commands (argv, deep links, the CLI socket): grammar, decision and application. Electron-free. */
export * from './commands';
export * from './args';
export * from './apply';
