/**
 * In-memory fake of electron-store (aliased in vitest): one shared map per `cwd/name`,
 * so a second instance sees what the first wrote, like the real file-backed store.
 * Dotted keys are nested, as in `conf`.
 */
const files = new Map<string, Record<string, unknown>>();

/** Test helper: the raw object a store would have written. */
export function storeContents(cwd: string, name = 'config'): Record<string, unknown> | undefined {
  return files.get(`${cwd}/${name}`);
}

export function resetElectronStoreStub(): void {
  files.clear();
}

export default class ElectronStore<T extends Record<string, unknown> = Record<string, unknown>> {
  readonly path: string;
  private readonly data: Record<string, unknown>;
  constructor(options: { name?: string; cwd?: string; defaults?: Partial<T> } & Record<string, unknown> = {}) {
    this.path = `${options.cwd ?? '/tmp/exist-tray-stub'}/${options.name ?? 'config'}`;
    let data = files.get(this.path);
    if (!data) {
      data = structuredClone((options.defaults ?? {}) as Record<string, unknown>);
      files.set(this.path, data);
    }
    this.data = data;
  }
  get store(): T {
    return structuredClone(this.data) as T;
  }
  get(key: string, fallback?: unknown): unknown {
    let node: unknown = this.data;
    for (const part of key.split('.')) {
      if (node === null || typeof node !== 'object' || !(part in node)) return fallback;
      node = (node as Record<string, unknown>)[part];
    }
    return structuredClone(node);
  }
  set(key: string, value: unknown): void {
    const parts = key.split('.');
    let node: Record<string, unknown> = this.data;
    for (const part of parts.slice(0, -1)) {
      if (node[part] === null || typeof node[part] !== 'object') node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = structuredClone(value);
  }
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
  delete(key: string): void {
    const parts = key.split('.');
    let node: unknown = this.data;
    for (const part of parts.slice(0, -1)) {
      if (node === null || typeof node !== 'object') return;
      node = (node as Record<string, unknown>)[part];
    }
    if (node && typeof node === 'object') delete (node as Record<string, unknown>)[parts[parts.length - 1]!];
  }
  clear(): void {
    for (const k of Object.keys(this.data)) delete this.data[k];
  }
}
