import { graphRoutes } from './graph.mjs';
import { packagesRoutes } from './packages.mjs';

/** Every baseline route set; each registers its routes on the Fastify app with the pg pool. */
export const BASELINE_ROUTES = [packagesRoutes, graphRoutes];
