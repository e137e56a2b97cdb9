import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** A fenced code block of a markdown file: its language and text, and the line its first code line is on (1-based). */
export interface CodeBlock {
  readonly language: string;
  readonly code: string;
  readonly line: number;
}

/** One link of a markdown file, as written, with the line it is on. */
export interface MarkdownLink {
  readonly target: string;
  readonly line: number;
}

const FENCE = /^\s*(```|~~~)\s*([\w-]*)/;

/** The fenced code blocks, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let open: { fence: string; language: string; line: number; lines: string[] } | undefined;
  markdown.split('\n').forEach((text, i) => {
    const fence = FENCE.exec(text);
    if (open === undefined) {
      if (fence) open = { fence: fence[1]!, language: fence[2] ?? '', line: i + 2, lines: [] };
    } else if (fence && fence[1] === open.fence && text.trim() === open.fence) {
      blocks.push({ language: open.language, code: open.lines.join('\n'), line: open.line });
      open = undefined;
    } else {
      open.lines.push(text);
    }
  });
  return blocks;
}

/** The lines outside fenced code blocks, numbered (1-based); inline code spans blanked out. */
function proseLines(markdown: string): { text: string; line: number }[] {
  const lines: { text: string; line: number }[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((text, i) => {
    const found = FENCE.exec(text);
    if (fence === undefined && found) fence = found[1];
    else if (fence !== undefined && found && found[1] === fence && text.trim() === fence) fence = undefined;
    else if (fence === undefined) lines.push({ text: text.replace(/`+[^`]*`+/g, (code) => ' '.repeat(code.length)), line: i + 1 });
  });
  return lines;
}

/** Every link and image target: `[text](target)`, `![alt](target)`, `[ref]: target`, `href="…"` and `src="…"`. */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  for (const { text, line } of proseLines(markdown)) {
    for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ target: m[1]!, line });
    for (const m of text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g)) links.push({ target: m[1]!, line });
    for (const m of text.matchAll(/\b(?:href|src)="([^"]+)"/g)) links.push({ target: m[1]!, line });
  }
  return links;
}

/**
 * The anchors GitHub gives the headings: the heading's text without markup, lower-cased, punctuation other than `-`
 * and `_` dropped, spaces made `-`; a repeated anchor gets `-1`, `-2`, ….
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const lines = markdown.split('\n');
  for (const { line } of proseLines(markdown)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(lines[line - 1]!);
    if (!heading) continue;
    const plain = heading[1]!
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/`/g, '');
    const base = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** A broken link: where it is, what it points at, and why it does not resolve. */
export interface BrokenLink {
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly problem: string;
}

const EXTERNAL = /^(https?:|mailto:)/i;

/**
 * The relative links of the markdown files that point outside `root`, at no file, or at a heading a markdown file does
 * not have. Web and mail links are not followed. `files` are absolute; reported paths are relative to `root`.
 */
export function brokenLinks(files: readonly string[], root: string): BrokenLink[] {
  const broken: BrokenLink[] = [];
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (file: string) => {
    if (!anchorsOf.has(file)) anchorsOf.set(file, headingAnchors(readFileSync(file, 'utf8')));
    return anchorsOf.get(file)!;
  };
  for (const file of files) {
    for (const { target, line } of markdownLinks(readFileSync(file, 'utf8'))) {
      if (EXTERNAL.test(target)) continue;
      const report = (problem: string) => broken.push({ file: relative(root, file), line, target, problem });
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
        report('is neither a relative link nor an http(s) or mailto link');
        continue;
      }
      const [path = '', anchor] = target.split('#', 2) as [string, string | undefined];
      let decoded: string;
      try {
        decoded = decodeURIComponent(path);
      } catch {
        report('is not a valid URL path');
        continue;
      }
      const linked = decoded === '' ? file : resolve(dirname(file), decoded);
      if (relative(root, linked).startsWith('..')) {
        report('points outside the project, where readers of the project have nothing');
        continue;
      }
      if (!existsSync(linked)) {
        report(`points at ${relative(root, linked)}, which does not exist`);
        continue;
      }
      if (anchor === undefined || anchor === '' || !linked.endsWith('.md') || statSync(linked).isDirectory()) continue;
      if (!anchors(linked).has(safeDecode(anchor))) report(`points at #${anchor}, which is no heading of ${relative(root, linked)}`);
    }
  }
  return broken;
}

/** The markdown files a reader of the project follows links in: the README, `docs/`, and every README under `packages/`. */
export function projectMarkdown(root: string): string[] {
  const files = [join(root, 'README.md')];
  const docs = join(root, 'docs');
  if (existsSync(docs)) files.push(...markdownUnder(docs, () => true));
  files.push(...markdownUnder(join(root, 'packages'), (name) => name === 'README.md'));
  return files;
}

function markdownUnder(dir: string, wanted: (name: string) => boolean): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...markdownUnder(path, wanted));
    else if (entry.name.endsWith('.md') && wanted(entry.name)) found.push(path);
  }
  return found.sort();
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
