import { type SchemaField, type SchemaStructure, type StructureOptions } from './schema-structure';

/**
 * Whether a field at `path`, `depth` levels below its root, is left unexpanded: off the way to
 * `under`, or past the depth or node budget (counted from `under` when there is one).
 */
export function cutShort(
  path: string,
  depth: number,
  nodes: number,
  options: StructureOptions,
): boolean {
  const { under } = options;
  if (under === undefined) return depth >= options.maxDepth || nodes >= options.maxNodes;
  if (under.startsWith(`${path}/`)) return false;
  if (path !== under && !path.startsWith(`${under}/`)) return true;
  const below = path.split('/').length - under.split('/').length;
  return below >= options.maxDepth || nodes >= options.maxNodes;
}

/** The field at `path` in a structure, as the only root (empty when there is none). */
export function subtree(structure: SchemaStructure, path: string): SchemaStructure {
  const find = (fields: SchemaField[]): SchemaField | undefined => {
    for (const field of fields) {
      if (field.path === path) return field;
      if (path.startsWith(`${field.path}/`)) return find(field.children ?? []);
    }
    return undefined;
  };
  const found = find(structure.roots);
  return { ...structure, roots: found ? [found] : [] };
}
