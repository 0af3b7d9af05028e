// `node:url` in the browser: file-URL conversions over the WHATWG URL class.
function fileURLToPath(u) {
  const url = typeof u === 'string' ? new URL(u) : u;
  if (url.protocol !== 'file:') throw new TypeError(`The URL must be of scheme file: ${url.href}`);
  return decodeURIComponent(url.pathname);
}
function pathToFileURL(p) {
  return new URL('file://' + p.split('/').map(encodeURIComponent).join('/'));
}
module.exports = { fileURLToPath, pathToFileURL, URL, URLSearchParams };
