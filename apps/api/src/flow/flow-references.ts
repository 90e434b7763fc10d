import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import {
  type AdapterDirection,
  type DependencyKind,
  type FlowAssetRef,
  type FlowContent,
  type FlowEdge,
  type FlowNode,
  type FlowProblem,
} from '@integrixs/domain';

import { queryRows } from '../core/database/query-rows';
import { SqlParams } from '../core/database/sql-params';
import { type DependencyEdge } from '../dependency/dependency.service';
import { type VisibilityScope } from '../identity/principal';
import { visiblePackagesSql } from '../identity/visibility-filter';

type Role = 'adapter' | 'schema' | 'mapping';

/** One asset a node uses, as the flow's answer lists it. */
export interface FlowReference {
  nodeId: string;
  role: Role;
  assetId: string;
  version: number | null;
  /** The asset is not in the flow's package. */
  crossPackage: boolean;
}

interface Wanted {
  node: FlowNode;
  role: Role;
  ref: FlowAssetRef;
  directions?: AdapterDirection[];
}

interface Found {
  id: string;
  package_id: string;
  type: string;
  name: string;
  status: string;
  current_version: number;
  live: boolean;
  visible: boolean;
}

/** A payload type: a library schema (and its root element, when one is named). */
interface Payload {
  schemaId: string;
  root: string | null;
}

const TYPES: Record<Role, string> = { adapter: 'ADAPTER', schema: 'SCHEMA', mapping: 'MAPPING' };
const KINDS: Record<Role, DependencyKind> = {
  adapter: 'FLOW_ADAPTER',
  schema: 'FLOW_SCHEMA',
  mapping: 'FLOW_MAPPING',
};
const SOURCES: AdapterDirection[] = ['SOURCE', 'BOTH'];
const TARGETS: AdapterDirection[] = ['TARGET', 'BOTH'];

/** The library assets each node uses (at most one per node). */
function wanted(content: FlowContent): Wanted[] {
  return content.nodes.flatMap((node): Wanted[] => {
    switch (node.kind) {
      case 'source':
        return [{ node, role: 'adapter', ref: node.adapter, directions: SOURCES }];
      case 'target':
        return [{ node, role: 'adapter', ref: node.adapter, directions: TARGETS }];
      case 'errorHandler':
        return node.adapter
          ? [{ node, role: 'adapter', ref: node.adapter, directions: TARGETS }]
          : [];
      case 'validate':
        return [{ node, role: 'schema', ref: node.schema }];
      case 'map':
        return [{ node, role: 'mapping', ref: node.mapping }];
      case 'route':
        return [];
    }
  });
}

/** What checking a flow's references found: problems, the graph edges, the list for the view. */
export interface ReferenceCheck {
  problems: FlowProblem[];
  edges: DependencyEdge[];
}

/**
 * The assets a flow's nodes use. Each must exist in a package the caller can read (otherwise
 * "not an asset you can read", never named), be live (not deleted, not archived), be of the
 * node's type (an adapter of the right direction) and have the pinned version. The payload type
 * must fit along each edge: a map's source schema and a validate step's schema must be what the
 * step before produces (the source adapter's message schema, a validate step's schema, a map's
 * target schema; routes pass theirs on). Usable references become dependency edges.
 */
@Injectable()
export class FlowReferences {
  async check(
    m: EntityManager,
    content: FlowContent,
    visibility: VisibilityScope,
  ): Promise<ReferenceCheck> {
    const all = wanted(content);
    const found = await this.find(
      m,
      all.map((w) => w.ref.assetId),
      visibility,
    );
    const versions = await this.contents(m, all, found);
    const problems: FlowProblem[] = [];
    const usable = new Map<string, { role: Role; body: Record<string, unknown> }>();
    const edges = new Map<string, DependencyEdge>();
    for (const w of all) {
      const problem = this.problemOf(w, found.get(w.ref.assetId), versions);
      if (problem) {
        problems.push(problem);
        continue;
      }
      const body = versions.get(versionKey(w.ref, found)) ?? {};
      usable.set(w.node.id, { role: w.role, body });
      const kind = KINDS[w.role];
      if (!edges.has(`${kind}:${w.ref.assetId}`))
        edges.set(`${kind}:${w.ref.assetId}`, {
          toAssetId: w.ref.assetId,
          kind,
          pinnedVersion: w.ref.version ?? null,
        });
    }
    problems.push(...(await this.payloadProblems(m, content, usable, visibility)));
    return { problems, edges: [...edges.values()] };
  }

  /** The view's list of references (which package each is in; nothing else is revealed). */
  async list(m: EntityManager, content: FlowContent, packageId: string): Promise<FlowReference[]> {
    const all = wanted(content);
    const ids = [...new Set(all.map((w) => w.ref.assetId))];
    const rows = ids.length
      ? await queryRows<{ id: string; package_id: string }>(
          m,
          `SELECT id, package_id FROM package_assets WHERE id = ANY($1::uuid[])`,
          [ids],
        )
      : [];
    const home = new Map(rows.map((r) => [r.id, r.package_id]));
    return all.map((w) => ({
      nodeId: w.node.id,
      role: w.role,
      assetId: w.ref.assetId,
      version: w.ref.version ?? null,
      crossPackage: home.get(w.ref.assetId) !== packageId,
    }));
  }

  private async find(m: EntityManager, ids: string[], visibility: VisibilityScope) {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map<string, Found>();
    const params = new SqlParams([unique]);
    const visible = visiblePackagesSql(visibility, 'a.package_id', params.bind);
    const rows = await queryRows<Found>(
      m,
      `SELECT a.id, a.package_id, a.type, a.name, a.status, a.current_version,
              a.deleted_at IS NULL AS live, ${visible} AS visible
         FROM package_assets a WHERE a.id = ANY($1::uuid[])`,
      params.values,
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The content of the version each readable reference uses (pinned, or current). */
  private async contents(m: EntityManager, all: Wanted[], found: Map<string, Found>) {
    const keys = all.filter((w) => found.get(w.ref.assetId)?.visible);
    const out = new Map<string, Record<string, unknown>>();
    if (keys.length === 0) return out;
    const rows = await queryRows<{ asset_id: string; version_number: number; content: unknown }>(
      m,
      `SELECT v.asset_id, v.version_number, v.content
         FROM unnest($1::uuid[], $2::int[]) AS r(id, version)
         JOIN asset_versions v ON v.asset_id = r.id AND v.version_number = r.version`,
      [
        keys.map((w) => w.ref.assetId),
        keys.map((w) => w.ref.version ?? found.get(w.ref.assetId)?.current_version ?? 0),
      ],
    );
    for (const r of rows)
      out.set(`${r.asset_id}@${r.version_number}`, (r.content ?? {}) as Record<string, unknown>);
    return out;
  }

  private problemOf(
    w: Wanted,
    row: Found | undefined,
    versions: Map<string, Record<string, unknown>>,
  ): FlowProblem | null {
    const nodeId = w.node.id;
    const step = `${w.node.kind} "${nodeId}"`;
    if (!row || !row.visible)
      return {
        code: 'asset_unavailable',
        nodeId,
        message: `the ${w.role} of ${step} (${w.ref.assetId}) is not an asset you can read`,
      };
    const named = `${row.type.toLowerCase()} "${row.name}"`;
    if (row.type !== TYPES[w.role])
      return {
        code: 'asset_type',
        nodeId,
        message: `${step} needs ${w.role === 'adapter' ? 'an' : 'a'} ${w.role}, but ${named} is a ${row.type.toLowerCase()}`,
      };
    if (!row.live || row.status === 'ARCHIVED')
      return {
        code: 'asset_not_live',
        nodeId,
        message: `${step} uses ${named}, which is ${row.live ? 'archived' : 'deleted'}`,
      };
    const version = w.ref.version ?? row.current_version;
    const body = versions.get(`${row.id}@${version}`);
    if (!body)
      return {
        code: 'asset_version',
        nodeId,
        message: `${step} pins version ${version} of ${named}, which has no such version (its current version is ${row.current_version})`,
      };
    const direction = body['direction'] as AdapterDirection | undefined;
    if (w.directions && direction && !w.directions.includes(direction))
      return {
        code: 'adapter_direction',
        nodeId,
        message: `${step} needs an adapter with direction ${w.directions.join(' or ')}, but ${named} is ${direction}`,
      };
    return null;
  }

  /** Walks the edges from the source, carrying the payload type each step produces. */
  private async payloadProblems(
    m: EntityManager,
    content: FlowContent,
    usable: Map<string, { role: Role; body: Record<string, unknown> }>,
    visibility: VisibilityScope,
  ): Promise<FlowProblem[]> {
    const byId = new Map(content.nodes.map((n) => [n.id, n]));
    const consumes = (node: FlowNode): Payload | null => {
      const used = usable.get(node.id)?.body;
      if (node.kind === 'validate' && used)
        return { schemaId: node.schema.assetId, root: node.schema.root ?? null };
      if (node.kind === 'map' && used) return schemaRef(used['sourceSchema']);
      if (node.kind === 'target' && used) return adapterPayload(used);
      return null;
    };
    const produces = (node: FlowNode, input: Payload | null): Payload | null => {
      const used = usable.get(node.id)?.body;
      if (node.kind === 'source') return used ? adapterPayload(used) : null;
      if (node.kind === 'validate') return consumes(node) ?? input;
      if (node.kind === 'map') return used ? schemaRef(used['targetSchema']) : null;
      if (node.kind === 'route') return input;
      return null;
    };
    const mismatches: { edge: FlowEdge; node: FlowNode; got: Payload; want: Payload }[] = [];
    const source = content.nodes.find((n) => n.kind === 'source');
    const seen = new Set<string>();
    const walk = (node: FlowNode, input: Payload | null) => {
      if (seen.has(node.id)) return;
      seen.add(node.id);
      const output = produces(node, input);
      for (const edge of content.edges.filter((e) => e.from === node.id)) {
        const next = byId.get(edge.to);
        if (!next || next.kind === 'errorHandler' || next.kind === 'source') continue;
        const want = consumes(next);
        if (output && want && !fits(output, want))
          mismatches.push({ edge, node: next, got: output, want });
        walk(next, output);
      }
    };
    if (source) walk(source, null);
    if (mismatches.length === 0) return [];
    const names = await this.schemaNames(
      m,
      mismatches.flatMap((x) => [x.got.schemaId, x.want.schemaId]),
      visibility,
    );
    const say = (p: Payload) =>
      `${names.get(p.schemaId) ?? 'a schema you cannot read'}${p.root ? ` (root ${p.root})` : ''}`;
    return mismatches.map(({ edge, node, got, want }) => ({
      code: 'payload_mismatch' as const,
      nodeId: node.id,
      edge: { from: edge.from, to: edge.to },
      message: `${node.kind} "${node.id}" expects ${say(want)}, but "${edge.from}" passes on ${say(got)}`,
    }));
  }

  private async schemaNames(m: EntityManager, ids: string[], visibility: VisibilityScope) {
    const params = new SqlParams([[...new Set(ids)]]);
    const visible = visiblePackagesSql(visibility, 'a.package_id', params.bind);
    const rows = await queryRows<{ id: string; name: string }>(
      m,
      `SELECT a.id, a.name FROM package_assets a WHERE a.id = ANY($1::uuid[]) AND ${visible}`,
      params.values,
    );
    return new Map(rows.map((r) => [r.id, `schema "${r.name}"`]));
  }
}

function versionKey(ref: FlowAssetRef, found: Map<string, Found>): string {
  return `${ref.assetId}@${ref.version ?? found.get(ref.assetId)?.current_version ?? 0}`;
}

/** A mapping side (`{ assetId, root }`) as a payload type. */
function schemaRef(value: unknown): Payload | null {
  const v = (value ?? {}) as { assetId?: unknown; root?: unknown };
  return typeof v.assetId === 'string' && v.assetId !== ''
    ? { schemaId: v.assetId, root: typeof v.root === 'string' ? v.root : null }
    : null;
}

/** The schema an adapter's messages have (its `message` binding, else `request`), if bound. */
function adapterPayload(body: Record<string, unknown>): Payload | null {
  const schemas = (body['schemas'] ?? {}) as { message?: unknown; request?: unknown };
  const id = schemas.message ?? schemas.request;
  return typeof id === 'string' ? { schemaId: id, root: null } : null;
}

/** Same schema, and the same root when both name one. */
function fits(got: Payload, want: Payload): boolean {
  if (got.schemaId.toLowerCase() !== want.schemaId.toLowerCase()) return false;
  return got.root === null || want.root === null || got.root === want.root;
}
