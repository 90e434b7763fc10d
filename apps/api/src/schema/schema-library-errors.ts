import { StateConflictError } from '../core/errors/app-error';

/** A library schema that could satisfy an import (only ever one the caller can read). */
export interface LibraryCandidate {
  namespace: string;
  schemaId: string;
  schemaName: string;
  packageId: string;
  packageName: string;
}

/**
 * 409: an import could bind to more than one library schema the caller can read, or only to
 * schemas other than the one earlier saves chose (deleted, or no longer readable by the caller).
 * Nothing is picked silently: the caller chooses with `libraryChoices`.
 */
export class LibraryChoiceError extends StateConflictError {
  constructor(refusals: { namespace: string; pinned: boolean; candidates: LibraryCandidate[] }[]) {
    const reasons = refusals.map(({ namespace, pinned, candidates }) => {
      const list = candidates
        .map((c) => `"${c.schemaName}" (${c.schemaId}) in package "${c.packageName}"`)
        .join(', ');
      return pinned
        ? `"${namespace}" was bound to a library schema that is deleted or that you can no longer read; it is now offered by ${list}`
        : `"${namespace}" is offered by ${candidates.length} library schemas you can read: ${list}`;
    });
    super(
      `${reasons.join('; ')}. Choose one with libraryChoices: [{ "namespace": …, "schemaId": … }]`,
    );
    for (const { namespace } of refusals) {
      this.errors.push({
        path: 'libraryChoices',
        message: `choose the library schema for "${namespace}"`,
        code: 'choice_required',
      });
    }
    this.extensions['candidates'] = refusals.flatMap((r) => r.candidates);
  }
}
