/**
 * A payload that cannot be converted between XML and the canonical JSON view: not well-formed
 * or unsafe XML, the wrong document element, a JSON key the target structure does not have.
 * `path` locates it (a structure path such as `/Invoice/ID`, or `line 3`).
 */
export class CanonicalError extends Error {
  override readonly name = 'CanonicalError';

  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${message} (at ${path})`);
  }
}
