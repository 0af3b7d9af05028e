// `node:crypto` in the browser: createHash('sha256') over @noble/hashes (pure code, no Web Crypto, synchronous
// like Node's), with digest() returning a hex string or a Buffer as Node's does.
const { sha256 } = require('@noble/hashes/sha2');

function createHash(algorithm) {
  if (String(algorithm).toLowerCase() !== 'sha256') throw new Error(`crypto.createHash: only sha256 is available in the browser sandbox, not ${algorithm}`);
  const h = sha256.create();
  const hash = {
    update(data, encoding) {
      if (typeof data === 'string') h.update(Buffer.from(data, encoding || 'utf8'));
      else h.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      return hash;
    },
    digest(encoding) {
      const out = Buffer.from(h.digest());
      return encoding ? out.toString(encoding) : out;
    },
  };
  return hash;
}

function unavailable(name) {
  return function () { throw new Error(`crypto.${name} is not available in the browser sandbox`); };
}

module.exports = { createHash };
for (const name of ['randomBytes', 'randomUUID', 'randomInt', 'createHmac', 'getRandomValues']) module.exports[name] = unavailable(name);
