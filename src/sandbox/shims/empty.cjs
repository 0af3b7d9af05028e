// Any other Node built-in in the browser: an empty module (calling into it fails at run time).
module.exports = {};
