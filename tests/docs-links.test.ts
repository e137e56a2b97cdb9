import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokenLinks, headingAnchors, projectMarkdown } from './support/markdown';

const ROOT = join(__dirname, '..');

describe("links in the README, docs/ and the packages' READMEs", () => {
  it('point at files of the project that exist, and at headings that exist', () => {
    const files = projectMarkdown(ROOT);
    expect(files.map((f) => f.slice(ROOT.length + 1))).toEqual(
      expect.arrayContaining(['README.md', 'docs/exchange-online.md', 'docs/production.md', 'docs/host-api.md', 'packages/app/README.md']),
    );
    expect(brokenLinks(files, ROOT)).toEqual([]);
  });

  it('do not send readers to ../shared, which only the development machines have (not even as a path in code)', () => {
    const naming = projectMarkdown(ROOT).filter((file) => readFileSync(file, 'utf8').includes('../shared/'));
    expect(naming.map((f) => f.slice(ROOT.length + 1))).toEqual([]);
  });
});

describe('the link check itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-links-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a missing file, a missing heading and a missing image, and nothing else', () => {
    mkdirSync(join(dir, 'docs', 'images'), { recursive: true });
    writeFileSync(join(dir, 'docs', 'images', 'shot.png'), '');
    writeFileSync(
      join(dir, 'docs', 'guide.md'),
      ['# Guide', '', '## The `start()` command', '', '## Notes', '', '## Notes', ''].join('\n'),
    );
    writeFileSync(
      join(dir, 'README.md'),
      [
        '# Readme',
        '',
        '## Run-time settings',
        '',
        'See [the guide](docs/guide.md), [start](docs/guide.md#the-start-command), [notes](docs/guide.md#notes-1),',
        '[settings](#run-time-settings), ![shot](docs/images/shot.png) and <https://example.com> or [web](https://example.com/x#y).',
        'Broken: [gone](docs/gone.md), [no heading](docs/guide.md#the-stop-command), ![no image](docs/images/none.png),',
        '[here](#nowhere) and [shared](../shared/DESIGN.md).',
        '',
        '[ref]: docs/missing-ref.md',
        '',
        'Not links: `[code](docs/in-inline-code.md)` and',
        '',
        '```md',
        '[in a block](docs/in-a-block.md)',
        '```',
      ].join('\n'),
    );
    const broken = brokenLinks([join(dir, 'README.md'), join(dir, 'docs', 'guide.md')], dir);
    expect(broken.map((b) => `${b.file}:${b.line} ${b.target}`)).toEqual([
      'README.md:7 docs/gone.md',
      'README.md:7 docs/guide.md#the-stop-command',
      'README.md:7 docs/images/none.png',
      'README.md:8 #nowhere',
      'README.md:8 ../shared/DESIGN.md',
      'README.md:10 docs/missing-ref.md',
    ]);
    expect(broken[1]!.problem).toBe('points at #the-stop-command, which is no heading of docs/guide.md');
    expect(broken[4]!.problem).toMatch(/^points outside the project/);
  });

  it('makes the anchors GitHub makes', () => {
    const anchors = headingAnchors(
      [
        '# Mailroom',
        '## `notify` and `publish` inside the host’s transaction',
        "### In the host's tests",
        '## `createMailroom(options)`',
        '## Retention',
        '## Retention',
        '```sh',
        '# not a heading',
        '```',
      ].join('\n'),
    );
    expect([...anchors]).toEqual([
      'mailroom',
      'notify-and-publish-inside-the-hosts-transaction',
      'in-the-hosts-tests',
      'createmailroomoptions',
      'retention',
      'retention-1',
    ]);
  });
});
