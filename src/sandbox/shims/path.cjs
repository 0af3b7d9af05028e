// `node:path` in the browser: POSIX paths (pathe), resolved against the page's virtual working directory.
module.exports = { ...require('pathe') };
module.exports.posix = module.exports;
