import { UsageError } from '../options.mjs';

/**
 * Scenario groups by name: `npm run bench -- <group> ...`. A group module's default export is
 * { name, title, prepare(query), scenarios: [...] } (see packages.mjs); routes the baseline needs
 * go in ../baseline-routes/. Add a group here and it can be run.
 */
const GROUPS = {
  packages: () => import('./packages.mjs'),
  schemas: () => import('./schemas.mjs'),
  mappings: () => import('./mappings.mjs'),
  graph: () => import('./graph.mjs'),
  queue: () => import('./queue.mjs'),
  console: () => import('./console.mjs'),
  runtime: () => import('./runtime.mjs'),
};

export async function loadGroups(names) {
  const unknown = names.filter((name) => !(name in GROUPS));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown scenario group ${unknown.join(', ')}; known: ${Object.keys(GROUPS).join(', ')}`,
    );
  }
  return Promise.all([...new Set(names)].map(async (name) => (await GROUPS[name]()).default));
}
