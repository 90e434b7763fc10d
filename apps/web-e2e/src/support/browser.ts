import { existsSync } from 'node:fs';

import { chromium, type Browser } from 'playwright-core';

import { bundledChromium } from './bundled-chromium';
import { chooseChromium } from './chromium-choice';

/**
 * Flags for either Chromium. Without the background-networking ones Chromium keeps trying to reach
 * Google's hosts, which a closed network refuses, many at a time.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Launches Chromium: `CHROMIUM_PATH` or Debian's `/usr/bin/chromium` when installed, otherwise the
 * one shipped in the `@sparticuz/chromium` devDependency (see chromium-choice.ts).
 */
export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const choice = chooseChromium(env, existsSync);
  if (choice.kind === 'installed') {
    return chromium.launch({ executablePath: choice.executablePath, args: CHROMIUM_ARGS });
  }
  const bundled = await bundledChromium();
  try {
    return await chromium.launch({
      executablePath: bundled.executablePath,
      args: [...bundled.args, ...CHROMIUM_ARGS],
    });
  } catch (error) {
    // The bundled binary still links the system's NSS (Debian: libnss3, which Java also pulls in).
    const library = /error while loading shared libraries: ([^:\s]+)/.exec(String(error))?.[1];
    if (!library) throw error;
    throw new Error(
      `The bundled Chromium (@sparticuz/chromium ${bundled.version}; ${choice.missing} is not ` +
        `installed) cannot start: the system lacks ${library}. Install it with ` +
        '`apt-get install -y libnss3`, or install Debian Chromium (`apt-get install -y chromium`).',
      { cause: error },
    );
  }
}
