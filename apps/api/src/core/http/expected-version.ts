import { ValidationError, VersionRequiredError } from '../errors/app-error';

/** `If-Match: "3"`, `W/"3"` or `3` → 3. */
function parseIfMatch(header: string): number {
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match?.[1])
    throw ValidationError.of('if-match', 'must be a version number such as "3"', 'if_match');
  return Number(match[1]);
}

/**
 * The version a write is based on, from the body's `version` or the `If-Match` header.
 * Required: a write without one could silently overwrite someone else's change.
 */
export function expectedVersion(
  bodyVersion: number | undefined,
  ifMatch: string | string[] | undefined,
): number {
  const header = Array.isArray(ifMatch) ? ifMatch[0] : ifMatch;
  const fromHeader = header === undefined ? undefined : parseIfMatch(header);
  if (bodyVersion !== undefined && fromHeader !== undefined && bodyVersion !== fromHeader) {
    throw ValidationError.of(
      'if-match',
      `says version ${fromHeader} but the body says ${bodyVersion}`,
      'if_match',
    );
  }
  const version = bodyVersion ?? fromHeader;
  if (version === undefined) throw new VersionRequiredError();
  return version;
}

/**
 * The version a write is based on, from `If-Match` only (for routes whose body's `version`
 * means something else, e.g. the version a rollback goes back to). Required.
 */
export function ifMatchVersion(
  ifMatch: string | string[] | undefined,
  bodyMeaning: string,
): number {
  const version = optionalVersion(ifMatch);
  if (version === undefined) {
    throw new VersionRequiredError(
      `send the version you read in an If-Match header (the body's "version" is ${bodyMeaning})`,
      'if-match',
    );
  }
  return version;
}

/** Like expectedVersion, but a missing version is allowed (DELETE and restore). */
export function optionalVersion(ifMatch: string | string[] | undefined): number | undefined {
  const header = Array.isArray(ifMatch) ? ifMatch[0] : ifMatch;
  return header === undefined ? undefined : parseIfMatch(header);
}

export function etag(version: number): string {
  return `"${version}"`;
}

/** Documents the optional If-Match header of a write. */
export const IF_MATCH_HEADER = {
  name: 'If-Match',
  required: false,
  description: 'The version you read, e.g. "3" (alternative to the body\'s `version`).',
};
