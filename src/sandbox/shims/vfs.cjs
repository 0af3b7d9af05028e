// The in-memory file system of the sandbox page: the scenario and the seed files it reads, embedded when the
// page is written. The bundler replaces this module with one that holds the page's files (see ../bundle.ts);
// this default is empty.
module.exports = { cwd: '/', files: {} };
