/**
 * Node module-resolution hook (module.register): `electron` resolves to the model
 * (./electron.mjs) for every importer — the real bundle out/main/index.js and
 * electron-store's own `import electron from 'electron'`. Nothing else is touched.
 */
const MODEL = new URL('./electron.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: MODEL, shortCircuit: true };
  return next(specifier, context);
}
