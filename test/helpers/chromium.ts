import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's chromium for the status page's browser test (DESIGN.md section 5), driven through
 * playwright-core: a system install, never a downloaded browser build.
 * scripts/test-components.sh installs it when run as root and otherwise names the command.
 */

/** The binary itself: the /usr/bin/chromium wrapper adds flags and noise of its own. */
export const CHROMIUM = process.env['HEALTHPIPE_CHROMIUM'] ?? '/usr/lib/chromium/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** The path of Debian's chromium, or an error that says how to get it. */
export function requireChromium(): string {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return CHROMIUM;
  } catch {
    throw new Error(
      `Debian's chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` as root ` +
        '(bash scripts/test-components.sh does so when run as root), or set HEALTHPIPE_CHROMIUM to its binary',
    );
  }
}

/** A headless chromium; close it in the test's teardown. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: requireChromium(), headless: true, args: [...CHROMIUM_ARGS], timeout: 60_000 });
}
