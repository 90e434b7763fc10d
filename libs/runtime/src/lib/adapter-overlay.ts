/**
 * Adapter configurations as plain JSON: the per-environment overlay merged over an adapter's
 * base configuration, and values by JSON pointer. Pure, shared by the API (adapter environments)
 * and the flow runtime (each deployment's effective adapter configuration).
 */
export type Config = Record<string, unknown>;

export const isConfigObject = (value: unknown): value is Config =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const segments = (pointer: string) => pointer.split('/').slice(1);

export function valueAt(config: Config, pointer: string): unknown {
  let node: unknown = config;
  for (const key of segments(pointer)) {
    if (!isConfigObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

export function setAt(config: Config, pointer: string, value: unknown): void {
  const keys = segments(pointer);
  let node = config;
  for (const key of keys.slice(0, -1)) {
    if (!isConfigObject(node[key])) node[key] = {};
    node = node[key] as Config;
  }
  node[keys[keys.length - 1]] = value;
}

/** Deep merge for overlays: objects merge key by key, anything else replaces; null removes. */
export function mergeOverlay(base: Config, overlay: Config): Config {
  const out = structuredClone(base);
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) delete out[key];
    else if (isConfigObject(value) && isConfigObject(out[key]))
      out[key] = mergeOverlay(out[key], value);
    else out[key] = structuredClone(value);
  }
  return out;
}
