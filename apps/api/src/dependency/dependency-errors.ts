import { StateConflictError } from '../core/errors/app-error';

/** An asset that depends on another, as a refusal names it (only ever one the caller can read). */
export interface DependentAsset {
  id: string;
  packageId: string;
  type: string;
  name: string;
  kind: string;
  depth: number;
}

/**
 * 409: other assets depend on the asset. Lists those in packages the caller can read; the
 * others are only counted (`hiddenDependents`), never named.
 */
export class DependentsError extends StateConflictError {
  constructor(what: string, assetId: string, dependents: DependentAsset[], hidden: number) {
    const named = dependents.map((d) => `${d.type.toLowerCase()} "${d.name}"`);
    if (hidden > 0) named.push(`${hidden} more in packages you cannot see`);
    super(
      `${what} ${assetId} cannot be deleted: ${dependents.length + hidden} asset(s) depend on it (${named.join(', ')}); change them first, or ask a package administrator to delete with force=true`,
    );
    this.extensions['dependents'] = dependents;
    this.extensions['hiddenDependents'] = hidden;
  }
}

/**
 * 409: the save would close a cycle in the asset graph (A depends on B, … , which depends on A).
 * Names the assets on the cycle the caller can read; the others appear as "an asset you cannot
 * see". Cycles inside one asset (files of one schema bundle including each other) are not edges
 * and stay allowed.
 */
export class DependencyCycleError extends StateConflictError {
  constructor(cycle: ({ id: string; type: string; name: string } | null)[]) {
    const names = cycle.map((a) =>
      a ? `${a.type.toLowerCase()} "${a.name}"` : 'an asset you cannot see',
    );
    super(
      `this save would make a dependency cycle: ${names.join(' → ')}; assets may not depend on themselves, directly or through others`,
    );
    this.extensions['cycle'] = cycle.map((a) => (a ? a.id : null));
  }
}
