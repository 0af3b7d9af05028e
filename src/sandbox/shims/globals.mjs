// Globals that Node code expects, injected into the browser bundle: `process` (the virtual working directory
// of the page's files) and `Buffer`.
import vfs from 'hqsim:vfs';
export { Buffer } from 'buffer';
export const process = {
  cwd: () => vfs.cwd,
  env: {},
  argv: [],
  pid: 0,
  platform: 'browser',
  version: '',
  versions: {},
};
