/** Keys whose values never appear in a snapshot, whatever the payload. */
const SECRET_KEY =
  /pass(word)?|secret|token|api[-_]?key|authori[sz]ation|private[-_]?key|credential/i;
const MASK = '***';

/**
 * A step's output as kept with the step: secrets masked (every opened adapter secret of the
 * deployment wherever it appears, and the values of password/token/secret-like JSON keys or XML
 * elements), then cut to `maxBytes` UTF-8 bytes (marked with `…[truncated]`).
 */
export function snapshotOf(
  text: string | null | undefined,
  maxBytes: number,
  secrets: readonly string[] = [],
): string | null {
  if (text === null || text === undefined) return null;
  // Only the head is ever kept: mask a bounded prefix (a masked value may be longer or shorter).
  let out = text.length > maxBytes * 4 ? text.slice(0, maxBytes * 4) : text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(MASK);
  out = out.replace(
    /("([^"\\]*)"\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false)/g,
    (all, head: string, key: string) => (SECRET_KEY.test(key) ? `${head}"${MASK}"` : all),
  );
  out = out.replace(
    /<((?:[\w.-]+:)?([\w.-]+))(\s[^>]*)?>([^<]*)<\/\1>/g,
    (all, tag: string, local: string, attrs: string | undefined) =>
      SECRET_KEY.test(local) ? `<${tag}${attrs ?? ''}>${MASK}</${tag}>` : all,
  );
  const bytes = Buffer.from(out, 'utf8');
  if (bytes.length <= maxBytes) return out;
  const marker = '…[truncated]';
  const keep = maxBytes - Buffer.byteLength(marker);
  // Cut on a character boundary: drop a partial multi-byte sequence at the end.
  return (
    bytes
      .subarray(0, keep)
      .toString('utf8')
      .replace(/\uFFFD+$/, '') + marker
  );
}
