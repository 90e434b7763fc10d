/** Helpers shared by the folder-based adapters (FILE, SFTP, FTP). */
/** Glob (`*`, `?`) to an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

/** Name of a probe file that cannot collide with real files or other probes. */
export function probeName(): string {
  return `.integrixs-probe-${process.pid}-${Date.now().toString(36)}`;
}

/** Temporary name a file is written under before the rename that publishes it. */
export function tempName(name: string): string {
  return `${name}.part`;
}

/** A plain file name: no folder separators, not `.` or `..` (names come from flows). */
export function assertPlainName(name: string): void {
  if (!name || name === '.' || name === '..' || /[/\\\0]/.test(name))
    throw new Error(`invalid file name ${JSON.stringify(name)}`);
}
