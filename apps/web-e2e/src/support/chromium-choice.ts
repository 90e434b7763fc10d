/** Debian's Chromium (`apt-get install -y chromium`): the first choice when it is there (it is faster). */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Which Chromium the console tests drive. */
export type ChromiumChoice =
  /** A Chromium installed on the machine: `CHROMIUM_PATH`, else Debian's. */
  | { readonly kind: 'installed'; readonly executablePath: string }
  /** The one inside the `@sparticuz/chromium` devDependency, so a fresh machine needs no browser. */
  | { readonly kind: 'bundled'; readonly missing: string };

/**
 * `CHROMIUM_PATH` when it is set, else Debian's Chromium, when that file exists; otherwise the
 * bundled Chromium. A `CHROMIUM_PATH` naming no file (`CHROMIUM_PATH=none`) therefore runs the
 * suite on the bundled Chromium even where Debian's is installed.
 */
export function chooseChromium(
  env: NodeJS.ProcessEnv,
  exists: (file: string) => boolean,
): ChromiumChoice {
  const executablePath = env['CHROMIUM_PATH'] || DEBIAN_CHROMIUM;
  return exists(executablePath)
    ? { kind: 'installed', executablePath }
    : { kind: 'bundled', missing: executablePath };
}
