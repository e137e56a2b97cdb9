/** Jest runs the TypeScript sources through swc; `tsc -b` is the type check (see `pnpm test`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  // inversify 8 is ESM-only: let swc turn it into CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(inversify|@inversifyjs)/)'],
  moduleNameMapper: {
    '^@mailroom/(domain|adapters|app)$': '<rootDir>/packages/$1/src/index.ts',
  },
  testTimeout: 30000,
};
