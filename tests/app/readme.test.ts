import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '../../packages/app/src/config/settings';

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

  it("states each command's exit codes in the command table (0 ok, 1 failure; doctor 1 when a step fails)", () => {
    const table = readme.slice(readme.indexOf('| Command | What it does | Exit code |'), readme.indexOf('## Configuration reference'));
    const rows = table.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows.map((r) => r.split(' | ')[0]!.replace('| ', ''))).toEqual(
      expect.arrayContaining([
        '`start`',
        '`send-test --to ADDRESS`',
        '`doctor`',
        '`migrate`',
        '`notify --kind K --to ADDRESS --payload JSON [--digest]`',
      ]),
    );
    for (const row of rows) expect(row.split(' | ').pop()).toMatch(/0 .*; 1 /);
    expect(rows.find((r) => r.startsWith('| `doctor`'))).toMatch(/1 when a step fails \|$/);
    expect(readme).toContain('`--development` or `MAILROOM_DEVELOPMENT=true`');
  });

  it('documents health({ verify }) and the development opt-in of createMailroom', () => {
    expect(readme).toContain('`health({ verify })`');
    expect(readme).toContain('createMailroom({ development: true })');
  });
});
