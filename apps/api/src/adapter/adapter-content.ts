import { type AdapterDirection, type AdapterType } from '@integrixs/domain';

import { type Config } from './adapter-config';

/** What an adapter version holds (asset_versions.content): never a secret. */
export interface AdapterContent {
  adapterType: AdapterType;
  direction: AdapterDirection;
  configuration: Config;
  schemas: { request?: string; response?: string; message?: string };
}

/** Content saved before adapters had a shape (issue 9's plain JSON) reads as an empty FILE. */
export function adapterContentOf(content: unknown): AdapterContent {
  const c = (content ?? {}) as Partial<AdapterContent>;
  return {
    adapterType: c.adapterType ?? 'FILE',
    direction: c.direction ?? 'TARGET',
    configuration:
      c.configuration && typeof c.configuration === 'object' && !Array.isArray(c.configuration)
        ? c.configuration
        : {},
    schemas: c.schemas && typeof c.schemas === 'object' ? c.schemas : {},
  };
}
