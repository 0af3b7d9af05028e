// Runs before `npm test`: the report browser test drives Debian's Chromium through playwright-core (never
// `npx playwright install`). On a fresh Debian machine it is installed with apt-get; elsewhere this says how.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const haveApt = existsSync('/usr/bin/apt-get');
  if (!haveApt) {
    process.stderr.write(`${CHROMIUM} is missing and apt-get is not available: install Chromium so that the browser test can run.\n`);
  } else {
    const sudo = root ? [] : ['sudo'];
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const run = (args) => execFileSync(sudo.length ? 'sudo' : args[0], sudo.length ? ['env', 'DEBIAN_FRONTEND=noninteractive', ...args] : args.slice(1), { stdio: 'inherit', env });
    process.stderr.write(`${CHROMIUM} is missing: installing Debian's chromium for the browser test\n`);
    run(['apt-get', 'update', '-q']);
    run(['apt-get', 'install', '-y', '-q', 'chromium']);
  }
}
