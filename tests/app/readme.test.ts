import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '@mailroom/app';

describe('the README', () => {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');

  it('documents every setting and its environment variable', () => {
    const missing = SETTINGS.filter((s) => !readme.includes(`\`${s.path}\``) || !readme.includes(`\`${s.env}\``)).map((s) => s.path);
    expect(missing).toEqual([]);
  });

  it('gives the two command lines: install-and-start, and the tests', () => {
    expect(readme).toContain('npm install -g pnpm@12.21.0 && pnpm install && pnpm start');
    expect(readme).toContain('pnpm test');
  });
});
