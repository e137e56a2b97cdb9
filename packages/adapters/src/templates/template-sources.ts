import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MailroomError } from '@mailroom/domain';
import type { TemplateOverrides } from './template-settings';
import {
  ITEM_PARTS,
  MAIL_PARTS,
  NAMING_HELP,
  TEMPLATE_FILE_EXTENSION,
  parseTemplateName,
  templateName,
  type KindPart,
} from './template-names';

/** A template's text and where it came from, so every error can point at the file (or setting) to fix. */
export interface TemplateSource {
  readonly name: string;
  readonly source: string;
  /** `built-in`, the file's path, or `overrides.templates["<name>"]`. */
  readonly origin: string;
}

/** The built-in templates, overlaid by the directory's, overlaid by the in-code ones: overrides win. */
export async function collectTemplateSources(
  builtIn: Readonly<Record<string, string>>,
  overrides: TemplateOverrides,
): Promise<Map<string, TemplateSource>> {
  const sources = new Map<string, TemplateSource>();
  for (const [name, source] of Object.entries(builtIn)) sources.set(name, { name, source, origin: 'built-in' });
  if (overrides.directory !== undefined) {
    for (const file of await readDirectory(overrides.directory)) sources.set(file.name, file);
  }
  for (const [name, source] of Object.entries(overrides.templates ?? {})) {
    const origin = `overrides.templates[${JSON.stringify(name)}]`;
    checkName(name, origin);
    if (typeof source !== 'string') {
      throw new MailroomError('CONFIG.TEMPLATES', `${origin} must be the template's text (a string).`);
    }
    sources.set(name, { name, source, origin });
  }
  checkComplete(sources);
  return sources;
}

async function readDirectory(directory: string): Promise<TemplateSource[]> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (cause) {
    throw new MailroomError(
      'CONFIG.TEMPLATES',
      `The templates directory "${directory}" cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'}); create it or fix templates.overrides.directory.`,
      { cause },
    );
  }
  const files = entries.filter((e) => e.isFile() && e.name.endsWith(TEMPLATE_FILE_EXTENSION));
  return Promise.all(
    files.map(async (file) => {
      const path = join(directory, file.name);
      const name = file.name.slice(0, -TEMPLATE_FILE_EXTENSION.length);
      checkName(name, path);
      return { name, source: await readFile(path, 'utf8'), origin: path };
    }),
  );
}

// A misspelt name would be ignored silently and the built-in mail sent instead: refuse it.
function checkName(name: string, origin: string): void {
  if (parseTemplateName(name) === undefined) {
    throw new MailroomError('CONFIG.TEMPLATES', `Template ${origin} has a name Mailroom does not know ("${name}"). ${NAMING_HELP}`);
  }
}

/** A kind with some of its mail (or item) templates needs all of them, or it would fail on its first mail. */
function checkComplete(sources: Map<string, TemplateSource>): void {
  const partsByKind = new Map<string, Set<KindPart>>();
  for (const name of sources.keys()) {
    const parsed = parseTemplateName(name);
    if (parsed && 'kind' in parsed) {
      const parts = partsByKind.get(parsed.kind) ?? new Set<KindPart>();
      parts.add(parsed.part);
      partsByKind.set(parsed.kind, parts);
    }
  }
  for (const [kind, parts] of partsByKind) {
    for (const group of [MAIL_PARTS, ITEM_PARTS]) {
      const missing = group.filter((p) => !parts.has(p));
      if (missing.length > 0 && missing.length < group.length) {
        const given = group.filter((p) => parts.has(p)).map((p) => sources.get(templateName(kind, p))!.origin);
        throw new MailroomError(
          'TEMPLATE.INCOMPLETE',
          `Kind "${kind}" has ${given.join(', ')} but no ${missing.map((p) => templateName(kind, p)).join(', ')}; add ${missing.length === 1 ? 'it' : 'them'} (a mail needs subject, html and text; a digest item needs item.html and item.text).`,
        );
      }
    }
  }
}
