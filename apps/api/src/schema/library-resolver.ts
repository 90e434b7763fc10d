import { type EntityManager } from 'typeorm';

import { type SchemaType } from '@integrixs/domain';
import {
  type LibrarySchema,
  type SchemaBundle,
  type SchemaResolver,
} from '@integrixs/schema-engine';

import { queryRows } from '../core/database/query-rows';
import { SqlParams } from '../core/database/sql-params';
import { ValidationError } from '../core/errors/app-error';
import { type VisibilityScope } from '../identity/principal';
import { visiblePackagesSql } from '../identity/visibility-filter';
import { LibraryChoiceError, type LibraryCandidate } from './schema-library-errors';

/** One library schema a compile used: the identifier it satisfied, at which version. */
export interface LibraryBinding {
  /** The namespace (XSD, WSDL) or `$id` (JSON Schema) it was found by. */
  namespace: string;
  assetId: string;
  packageId: string;
  version: number;
  /** False when it (or its package) is deleted: reads then leave the import unresolved. */
  live: boolean;
}

/** An explicit choice sent with a save: `namespace` is to resolve to schema `schemaId`. */
export interface LibraryChoice {
  namespace: string;
  schemaId: string;
}

/** What a save may import from the library besides its own bundle. */
export interface BindingRules {
  /** The schema being saved (never its own import). */
  excludeAssetId?: string;
  /** The caller's explicit choices (the `libraryChoices` body field). */
  choices?: readonly LibraryChoice[];
  /** Identifier → asset chosen by earlier saves of the schema (its dependency edges). */
  pinned?: ReadonlyMap<string, string>;
}

/** What a schema of each type may import from the library. */
const IMPORTABLE: Record<SchemaType, SchemaType[]> = {
  XSD: ['XSD'],
  WSDL: ['WSDL', 'XSD'],
  JSON_SCHEMA: ['JSON_SCHEMA'],
};

/** How many candidates an error lists for one identifier. */
const MAX_CANDIDATES = 20;

interface CandidateRow {
  id: string;
  name: string;
  package_id: string;
  package_name: string;
  current_version: number;
}

/**
 * Resolves library imports while a schema is saved: among the schemas of packages the caller can
 * read (own package included), the one chosen explicitly, else the one earlier saves bound the
 * identifier to, else the only candidate (the package's own schemas first). When several
 * candidates remain, or the earlier binding is no longer readable, nothing is picked silently:
 * the save is refused naming the readable candidates ({@link LibraryChoiceError}).
 */
export class LibraryBinder {
  readonly resolver: SchemaResolver;
  private readonly lookups = new Map<string, Promise<LibrarySchema | undefined>>();
  private readonly bound = new Map<string, LibraryBinding>();
  private readonly refusals = new Map<string, { pinned: boolean; candidates: CandidateRow[] }>();
  private readonly choices = new Map<string, string>();

  constructor(
    private readonly m: EntityManager,
    private readonly type: SchemaType,
    private readonly packageId: string,
    private readonly visibility: VisibilityScope,
    private readonly rules: BindingRules = {},
  ) {
    const find = (namespace: string) => {
      let lookup = this.lookups.get(namespace);
      if (!lookup) {
        lookup = this.find(namespace);
        this.lookups.set(namespace, lookup);
      }
      return lookup;
    };
    this.resolver = { resolveNamespace: find, resolveId: find };
  }

  /** 400 unless every choice names a readable schema that offers its identifier, once each. */
  async checkChoices(): Promise<void> {
    const problems: { path: string; message: string; code: string }[] = [];
    for (const [i, choice] of (this.rules.choices ?? []).entries()) {
      if (this.choices.has(choice.namespace)) {
        problems.push({
          path: `libraryChoices.${i}.namespace`,
          message: `"${choice.namespace}" is chosen more than once`,
          code: 'duplicate',
        });
        continue;
      }
      const candidates = await this.candidates(choice.namespace);
      if (!candidates.some((c) => c.id === choice.schemaId)) {
        problems.push({
          path: `libraryChoices.${i}.schemaId`,
          message: `is not a ${IMPORTABLE[this.type].join(' or ')} schema you can read whose namespace / $id is "${choice.namespace}"`,
          code: 'not_a_candidate',
        });
      }
      this.choices.set(choice.namespace, choice.schemaId);
    }
    if (problems.length > 0) throw new ValidationError(problems);
  }

  /** 409 when an identifier needs an explicit choice. */
  assertNoRefusal(): void {
    if (this.refusals.size === 0) return;
    throw new LibraryChoiceError(
      [...this.refusals].map(([namespace, refusal]) => ({
        namespace,
        pinned: refusal.pinned,
        candidates: refusal.candidates.map((c) => candidateView(namespace, c)),
      })),
    );
  }

  /** 400 for choices of identifiers the schema does not import from the library. */
  assertChoicesUsed(): void {
    const problems = (this.rules.choices ?? []).flatMap((choice, i) =>
      this.bound.has(choice.namespace)
        ? []
        : [
            {
              path: `libraryChoices.${i}.namespace`,
              message: `the schema does not import "${choice.namespace}" from the library`,
              code: 'not_imported',
            },
          ],
    );
    if (problems.length > 0) throw new ValidationError(problems);
  }

  /** What the compile used, to be written as the schema's dependency edges. */
  bindings(): LibraryBinding[] {
    return [...this.bound.values()];
  }

  private async find(namespace: string): Promise<LibrarySchema | undefined> {
    const candidates = await this.candidates(namespace);
    if (candidates.length === 0) return undefined;
    const chosen = this.choices.get(namespace);
    const pinned = this.rules.pinned?.get(namespace);
    let pick: CandidateRow | undefined;
    if (chosen !== undefined) {
      pick = candidates.find((c) => c.id === chosen);
    } else if (pinned !== undefined) {
      pick = candidates.find((c) => c.id === pinned);
      if (!pick) this.refusals.set(namespace, { pinned: true, candidates });
    } else {
      const own = candidates.filter((c) => c.package_id === this.packageId);
      const pool = own.length > 0 ? own : candidates;
      if (pool.length === 1) pick = pool[0];
      else this.refusals.set(namespace, { pinned: false, candidates: pool });
    }
    if (!pick) return undefined;
    const [version] = await queryRows<{ content: SchemaBundle }>(
      this.m,
      `SELECT content FROM asset_versions WHERE asset_id = $1 AND version_number = $2`,
      [pick.id, pick.current_version],
    );
    if (!version) return undefined;
    this.bound.set(namespace, {
      namespace,
      assetId: pick.id,
      packageId: pick.package_id,
      version: pick.current_version,
      live: true,
    });
    return { ref: pick.id, bundle: version.content };
  }

  /** Chosen and pinned schemas: listed first, so the candidate cap never hides them. */
  private get preferred(): string[] {
    return [
      ...(this.rules.choices ?? []).map((c) => c.schemaId),
      ...(this.rules.pinned?.values() ?? []),
    ];
  }

  /** Live schemas offering `namespace` in packages the caller can read (own package first). */
  private candidates(namespace: string): Promise<CandidateRow[]> {
    const params = new SqlParams([
      namespace,
      IMPORTABLE[this.type],
      this.packageId,
      this.rules.excludeAssetId ?? null,
      this.preferred,
    ]);
    return queryRows<CandidateRow>(
      this.m,
      `SELECT a.id, a.name, a.package_id, p.name AS package_name, a.current_version
         FROM package_schemas s
         JOIN package_assets a ON a.id = s.asset_id AND a.deleted_at IS NULL
         JOIN integration_packages p ON p.id = a.package_id AND p.deleted_at IS NULL
        WHERE s.target_namespace = $1 AND s.schema_type = ANY($2::text[])
          AND a.id IS DISTINCT FROM $4::uuid
          AND (a.package_id = $3 OR ${visiblePackagesSql(this.visibility, 'a.package_id', params.bind)})
        ORDER BY a.id = ANY($5::uuid[]) DESC, (a.package_id = $3) DESC, p.name, a.name, a.id
        LIMIT ${MAX_CANDIDATES}`,
      params.values,
    );
  }
}

function candidateView(namespace: string, row: CandidateRow): LibraryCandidate {
  return {
    namespace,
    schemaId: row.id,
    schemaName: row.name,
    packageId: row.package_id,
    packageName: row.package_name,
  };
}

/**
 * Resolves library imports while a saved schema is read (validate, structure, diff): exactly the
 * bindings its dependency edges pin, at their versions; nothing else in the library is visible.
 */
export function pinnedResolver(m: EntityManager, bindings: LibraryBinding[]): SchemaResolver {
  const byNamespace = new Map(bindings.filter((b) => b.live).map((b) => [b.namespace, b]));
  const find = async (namespace: string): Promise<LibrarySchema | undefined> => {
    const binding = byNamespace.get(namespace);
    if (!binding) return undefined;
    const [row] = await queryRows<{ content: SchemaBundle }>(
      m,
      `SELECT content FROM asset_versions WHERE asset_id = $1 AND version_number = $2`,
      [binding.assetId, binding.version],
    );
    return row ? { ref: binding.assetId, bundle: row.content } : undefined;
  };
  return { resolveNamespace: find, resolveId: find };
}
