import { readFileSync } from 'node:fs';
import { listedInReadme, PACKAGES, publicExports, readmeOf, type PackageName, type PublicExport } from './support/public-api';

describe('the public API of each package', () => {
  let exports: Record<PackageName, PublicExport[]>;
  beforeAll(() => {
    exports = publicExports();
  });

  describe.each(PACKAGES)('@mailroom/%s', (p) => {
    it('has a doc comment on every export', () => {
      expect(exports[p].filter((e) => !e.documented).map((e) => `${e.name} (${e.declaredIn})`)).toEqual([]);
    });

    it('lists every export in its README, one line each, and nothing it does not export', () => {
      const listed = listedInReadme(readFileSync(readmeOf(p), 'utf8'));
      expect(listed).toEqual(exports[p].map((e) => e.name));
    });
  });

  it('documents every public member of the classes a host meets (those @mailroom/app exports)', () => {
    expect(exports.app.flatMap((e) => e.undocumentedMembers)).toEqual([]);
  });
});
