import {
  type AdapterType,
  type FlowContent,
  type FlowEdge,
  type FlowErrorHandlerNode,
  type FlowNode,
} from '@integrixs/domain';
import { type SchemaBundle, type SchemaResolver } from '@integrixs/schema-engine';

import { isConfigObject, mergeOverlay, setAt, type Config } from './adapter-overlay';
import { type SqlClient } from './runtime-types';
import { SecretBox } from './secret-box';

/** One line of a deployment's lock file (flow_deployments.pins). */
export interface DeploymentPin {
  assetId: string;
  type: 'FLOW' | 'ADAPTER' | 'MAPPING' | 'SCHEMA';
  packageId: string;
  name: string;
  version: number;
}

/** An adapter as a deployment runs it: its pinned content with the environment's overlay and secrets. */
export interface EffectiveAdapter {
  assetId: string;
  version: number;
  name: string;
  adapterType: AdapterType;
  /** Pinned configuration + the environment's overlay (no secrets). */
  config: Config;
  /** The opened secrets, as a nested object by their JSON pointers (`{ auth: { password } }`). */
  secrets: Config;
  /** A SOAP adapter's WSDL from the schema library at its pinned version. */
  wsdl?: { xml: string; uri: string; files: { path: string; text: string }[] };
}

/** A schema version a deployment pins, and how it compiles (imports among the pinned schemas). */
export interface PinnedSchema {
  assetId: string;
  version: number;
  /** Compiled-schema cache key: the version and the versions of every schema it may import. */
  key: string;
  load: () => Promise<{ bundle: SchemaBundle; resolver: SchemaResolver }>;
}

/** What a mapping version holds (the API's MappingContent, read leniently). */
export interface PinnedMapping {
  assetId: string;
  version: number;
  kind: 'JSONATA' | 'XSLT';
  sourceSchema: { assetId: string; version: number; root: string | null };
  targetSchema: { assetId: string; version: number; root: string | null };
  rules: { target: string; expression: string }[];
  documentExpression: string | null;
  stylesheet: string | null;
  files: { path: string; text: string }[];
}

/**
 * Everything one deployment runs on, loaded once: the flow version's graph and, at their pinned
 * versions, each adapter (effective in the deployment's environment), schema and mapping. The
 * pin set never changes; the environment's overlay and secrets may (they are not versioned), so
 * a loaded deployment is reloaded after `ttlMs`.
 */
export interface DeploymentAssets {
  id: string;
  packageId: string;
  flowId: string;
  environmentId: string;
  environment: string;
  flowVersion: number;
  content: FlowContent;
  nodes: ReadonlyMap<string, FlowNode>;
  /** Outgoing edges by node id (error handler edges excluded). */
  edges: ReadonlyMap<string, FlowEdge[]>;
  errorHandler: FlowErrorHandlerNode | undefined;
  adapters: ReadonlyMap<string, EffectiveAdapter>;
  schemas: ReadonlyMap<string, PinnedSchema>;
  mappings: ReadonlyMap<string, PinnedMapping>;
  /** Every opened secret value of the deployment's adapters: masked in snapshots. */
  secretValues: readonly string[];
  loadedAt: number;
}

const ref = (assetId: string, version: number) => `${assetId.toLowerCase()}@${version}`;

/** Which version of `assetId` a node uses: its own pin, else the deployment's (as the gate read it). */
function versionFor(pins: ReadonlyMap<string, number>, assetId: string, explicit?: number | null) {
  const version = explicit ?? pins.get(assetId.toLowerCase());
  if (version === undefined)
    throw new Error(`the deployment pins no version of asset ${assetId}: deploy the flow again`);
  return version;
}

async function contentAt(db: SqlClient, assetId: string, version: number): Promise<unknown> {
  const { rows } = await db.query<{ content: unknown }>(
    `SELECT content FROM asset_versions WHERE asset_id = $1 AND version_number = $2`,
    [assetId, version],
  );
  if (!rows[0]) throw new Error(`asset ${assetId} has no version ${version}`);
  return rows[0].content;
}

/** Loads deployments' assets, each once per `ttlMs` (concurrent loads of one deployment share). */
export class DeploymentAssetLoader {
  private readonly cache = new Map<string, Promise<DeploymentAssets>>();

  constructor(
    private readonly db: SqlClient,
    private readonly box: SecretBox | null,
    private readonly options: { ttlMs: number; maxEntries: number } = {
      ttlMs: 60_000,
      maxEntries: 200,
    },
  ) {}

  async get(deploymentId: string): Promise<DeploymentAssets> {
    const cached = this.cache.get(deploymentId);
    if (cached) {
      const loaded = await cached.catch(() => undefined);
      if (loaded && Date.now() - loaded.loadedAt < this.options.ttlMs) return loaded;
      if (this.cache.get(deploymentId) === cached) this.cache.delete(deploymentId);
      return this.get(deploymentId);
    }
    if (this.cache.size >= this.options.maxEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    const loading = this.load(deploymentId);
    this.cache.set(deploymentId, loading);
    loading.catch(() => {
      if (this.cache.get(deploymentId) === loading) this.cache.delete(deploymentId);
    });
    return loading;
  }

  /** Forgets every loaded deployment (tests; a changed overlay is picked up after the TTL anyway). */
  clear(): void {
    this.cache.clear();
  }

  private async load(deploymentId: string): Promise<DeploymentAssets> {
    const { rows } = await this.db.query<{
      package_id: string;
      flow_id: string;
      environment_id: string;
      environment: string;
      flow_version: number;
      pins: DeploymentPin[];
    }>(
      `SELECT d.package_id, d.flow_id, d.environment_id, e.code AS environment, d.flow_version, d.pins
         FROM flow_deployments d JOIN environments e ON e.id = d.environment_id
        WHERE d.id = $1`,
      [deploymentId],
    );
    const row = rows[0];
    if (!row) throw new Error(`deployment ${deploymentId} does not exist`);
    const raw = (await contentAt(this.db, row.flow_id, row.flow_version)) as Partial<FlowContent>;
    const content: FlowContent = {
      nodes: Array.isArray(raw?.nodes) ? raw.nodes : [],
      edges: Array.isArray(raw?.edges) ? raw.edges : [],
    };
    // Several versions of one asset: the highest wins where a node does not pin one (as the gate).
    const pins = new Map(row.pins.map((p) => [p.assetId.toLowerCase(), p.version]));
    const nodes = new Map(content.nodes.map((n) => [n.id, n]));
    const handler = content.nodes.find((n): n is FlowErrorHandlerNode => n.kind === 'errorHandler');
    const edges = new Map<string, FlowEdge[]>();
    for (const edge of content.edges) {
      if (
        nodes.get(edge.from)?.kind === 'errorHandler' ||
        nodes.get(edge.to)?.kind === 'errorHandler'
      )
        continue;
      edges.set(edge.from, [...(edges.get(edge.from) ?? []), edge]);
    }

    const schemaPins = row.pins.filter((p) => p.type === 'SCHEMA');
    const namespaces = await this.namespaces(schemaPins.map((p) => p.assetId));
    const fingerprint = schemaPins
      .map((p) => ref(p.assetId, p.version))
      .sort()
      .join(',');
    const schemas = new Map<string, PinnedSchema>();
    const schema = (assetId: string, version: number): PinnedSchema => {
      const key = ref(assetId, version);
      let pinned = schemas.get(key);
      if (!pinned) {
        pinned = {
          assetId,
          version,
          key: `runtime:${key}|${fingerprint}`,
          load: async () => ({
            bundle: (await contentAt(this.db, assetId, version)) as SchemaBundle,
            resolver: this.resolver(schemaPins, namespaces, assetId),
          }),
        };
        schemas.set(key, pinned);
      }
      return pinned;
    };

    const adapters = new Map<string, EffectiveAdapter>();
    const mappings = new Map<string, PinnedMapping>();
    const secretValues: string[] = [];
    for (const node of content.nodes) {
      if (node.kind === 'validate')
        schema(node.schema.assetId, versionFor(pins, node.schema.assetId, node.schema.version));
      if (node.kind === 'map') {
        const version = versionFor(pins, node.mapping.assetId, node.mapping.version);
        const key = ref(node.mapping.assetId, version);
        if (!mappings.has(key)) {
          const mapping = mappingOf(
            node.mapping.assetId,
            version,
            await contentAt(this.db, node.mapping.assetId, version),
            pins,
          );
          schema(mapping.sourceSchema.assetId, mapping.sourceSchema.version);
          schema(mapping.targetSchema.assetId, mapping.targetSchema.version);
          mappings.set(key, mapping);
        }
      }
      const adapterRef =
        node.kind === 'source' || node.kind === 'target'
          ? node.adapter
          : node.kind === 'errorHandler' && node.destination === 'adapter'
            ? node.adapter
            : undefined;
      if (adapterRef) {
        const version = versionFor(pins, adapterRef.assetId, adapterRef.version);
        const key = ref(adapterRef.assetId, version);
        if (!adapters.has(key)) {
          const adapter = await this.adapter(adapterRef.assetId, version, row, pins);
          adapters.set(key, adapter);
          secretValues.push(...secretStrings(adapter.secrets));
        }
      }
    }
    return {
      id: deploymentId,
      packageId: row.package_id,
      flowId: row.flow_id,
      environmentId: row.environment_id,
      environment: row.environment,
      flowVersion: row.flow_version,
      content,
      nodes,
      edges,
      errorHandler: handler,
      adapters,
      schemas,
      mappings,
      secretValues,
      loadedAt: Date.now(),
    };
  }

  private async namespaces(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.db.query<{ asset_id: string; target_namespace: string | null }>(
      `SELECT asset_id, target_namespace FROM package_schemas WHERE asset_id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(
      rows.flatMap((r) => (r.target_namespace ? [[r.asset_id, r.target_namespace] as const] : [])),
    );
  }

  /** Library imports resolve to the deployment's pinned schemas only, at their pinned versions. */
  private resolver(
    schemaPins: DeploymentPin[],
    namespaces: Map<string, string>,
    self: string,
  ): SchemaResolver {
    const find = async (namespace: string) => {
      const pin = schemaPins.find(
        (p) => p.assetId !== self && namespaces.get(p.assetId) === namespace,
      );
      if (!pin) return undefined;
      return {
        ref: pin.assetId,
        bundle: (await contentAt(this.db, pin.assetId, pin.version)) as SchemaBundle,
      };
    };
    return { resolveNamespace: find, resolveId: find };
  }

  private async adapter(
    assetId: string,
    version: number,
    deployment: { environment_id: string },
    pins: ReadonlyMap<string, number>,
  ): Promise<EffectiveAdapter> {
    const content = (await contentAt(this.db, assetId, version)) as {
      adapterType?: AdapterType;
      configuration?: Config;
    } | null;
    const { rows: named } = await this.db.query<{ name: string }>(
      `SELECT name FROM package_assets WHERE id = $1`,
      [assetId],
    );
    const { rows: overlay } = await this.db.query<{ values: Config }>(
      `SELECT "values" FROM adapter_environment_overlays WHERE asset_id = $1 AND environment_id = $2`,
      [assetId, deployment.environment_id],
    );
    const base = isConfigObject(content?.configuration) ? content.configuration : {};
    const config = mergeOverlay(base, overlay[0]?.values ?? {});
    const secrets = await this.secrets(assetId, deployment.environment_id);
    const adapterType = content?.adapterType ?? 'FILE';
    const adapter: EffectiveAdapter = {
      assetId,
      version,
      name: named[0]?.name ?? assetId,
      adapterType,
      config,
      secrets,
    };
    const wsdlId = config['wsdlAssetId'];
    if (adapterType === 'SOAP' && typeof wsdlId === 'string') {
      const bundle = (await contentAt(this.db, wsdlId, versionFor(pins, wsdlId))) as SchemaBundle;
      const main = bundle.files.find((f) => f.path === bundle.main);
      adapter.wsdl = {
        xml: main?.text ?? '',
        uri: bundle.main,
        files: bundle.files.map((f) => ({ path: f.path, text: f.text })),
      };
    }
    return adapter;
  }

  /** The environment's secrets over the base configuration's, opened (a value that does not open is left out). */
  private async secrets(assetId: string, environmentId: string): Promise<Config> {
    const { rows } = await this.db.query<{ id: string; pointer: string; value: string }>(
      `SELECT id, pointer, value FROM adapter_secrets
        WHERE asset_id = $1 AND (environment_id IS NULL OR environment_id = $2)
        ORDER BY environment_id NULLS FIRST`,
      [assetId, environmentId],
    );
    const secrets: Config = {};
    if (rows.length > 0 && !this.box)
      throw new Error('the adapter has secrets but no encryption key is configured');
    for (const row of rows) {
      try {
        const opened = this.box?.open(row.value, {
          table: 'adapter_secrets',
          column: 'value',
          id: row.id,
        });
        if (opened !== undefined) setAt(secrets, row.pointer, opened);
      } catch {
        // Changed, copied or sealed with a key this worker does not hold: the step that needs it fails.
      }
    }
    return secrets;
  }
}

function secretStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (isConfigObject(value)) return Object.values(value).flatMap(secretStrings);
  return [];
}

function mappingOf(
  assetId: string,
  version: number,
  content: unknown,
  pins: ReadonlyMap<string, number>,
): PinnedMapping {
  const c = (content && typeof content === 'object' ? content : {}) as Record<string, unknown>;
  const side = (value: unknown) => {
    const r = (value ?? {}) as { assetId?: unknown; version?: unknown; root?: unknown };
    const id = typeof r.assetId === 'string' ? r.assetId : '';
    return {
      assetId: id,
      version: versionFor(pins, id, typeof r.version === 'number' ? r.version : null),
      root: typeof r.root === 'string' ? r.root : null,
    };
  };
  return {
    assetId,
    version,
    kind: c['kind'] === 'XSLT' ? 'XSLT' : 'JSONATA',
    sourceSchema: side(c['sourceSchema']),
    targetSchema: side(c['targetSchema']),
    rules: Array.isArray(c['rules']) ? (c['rules'] as PinnedMapping['rules']) : [],
    documentExpression:
      typeof c['documentExpression'] === 'string' ? c['documentExpression'] : null,
    stylesheet: typeof c['stylesheet'] === 'string' ? c['stylesheet'] : null,
    files: Array.isArray(c['files']) ? (c['files'] as PinnedMapping['files']) : [],
  };
}

export const assetKey = ref;
