import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MailroomError } from '@mailroom/domain';
import { checkOverrides, overrideNames } from './override-rules';
import type { TemplateOverrides } from './template-settings';
import { NAMING_HELP, TEMPLATE_FILE_EXTENSION, parseTemplateName } from './template-names';

/** A template's text and where it came from, so every error can point at the file (or setting) to fix. */
export interface TemplateSource {
  readonly name: string;
  readonly source: string;
  /** `built-in`, the file's path, or `overrides.templates["<name>"]`. */
  readonly origin: string;
  /** Which layer it comes from: built in, the directory, the host's code, or saved by an admin. */
  readonly layer: TemplateLayer;
}

/** Where a template comes from: built in, the templates directory, the host's code, or saved by an admin. */
export type TemplateLayer = 'built-in' | 'directory' | 'host' | 'stored';

/** The built-in templates, overlaid by the directory's, the in-code ones, then the stored ones: overrides win. */
export async function collectTemplateSources(
  builtIn: Readonly<Record<string, string>>,
  overrides: TemplateOverrides,
): Promise<Map<string, TemplateSource>> {
  const names = overrideNames(overrides);
  const sources = new Map<string, TemplateSource>();
  for (const [name, source] of Object.entries(builtIn)) sources.set(name, { name, source, origin: 'built-in', layer: 'built-in' });
  const given = new Map<string, TemplateSource>();
  if (overrides.directory !== undefined) {
    for (const file of await readDirectory(overrides.directory, names.directory)) given.set(file.name, file);
  }
  for (const [setting, layer, templates] of [
    [names.templates, 'host', overrides.templates],
    [names.stored, 'stored', overrides.stored],
  ] as const) {
    for (const [name, source] of Object.entries(templates ?? {})) {
      const origin = `${setting}[${JSON.stringify(name)}]`;
      checkName(name, origin);
      if (typeof source !== 'string') {
        throw new MailroomError('CONFIG.TEMPLATES', `${origin} must be the template's text (a string).`);
      }
      given.set(name, { name, source, origin, layer });
    }
  }
  checkOverrides(given, overrides);
  for (const [name, source] of given) sources.set(name, source);
  return sources;
}

/** Notes for the admins may sit beside the templates; so may hidden files (an editor's, the file system's). */
const NOT_A_TEMPLATE = /^(\.|readme(\.[a-z]+)?$)/i;

async function readDirectory(directory: string, setting: string): Promise<TemplateSource[]> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (cause) {
    throw new MailroomError(
      'CONFIG.TEMPLATES',
      `The templates directory "${directory}" cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'}); create it or fix ${setting}.`,
      { cause },
    );
  }
  const files = entries.filter((e) => e.isFile() && !NOT_A_TEMPLATE.test(e.name));
  for (const file of files) {
    // A template saved as .txt or .html would be ignored silently, and the built-in one sent instead: refuse it.
    if (!file.name.endsWith(TEMPLATE_FILE_EXTENSION)) {
      const stem = file.name.replace(/\.[^.]*$/, '');
      const rename = parseTemplateName(stem) ? ` rename it to ${stem}${TEMPLATE_FILE_EXTENSION}, or` : '';
      throw new MailroomError(
        'CONFIG.TEMPLATES',
        `${join(directory, file.name)} in ${setting} is not a template: templates end in "${TEMPLATE_FILE_EXTENSION}";${rename} move it out of the directory. ${NAMING_HELP}`,
      );
    }
  }
  return Promise.all(
    files.map(async (file) => {
      const path = join(directory, file.name);
      const name = file.name.slice(0, -TEMPLATE_FILE_EXTENSION.length);
      checkName(name, path);
      return { name, source: await readFile(path, 'utf8'), origin: path, layer: 'directory' as const };
    }),
  );
}

// A misspelt name would be ignored silently and the built-in mail sent instead: refuse it.
function checkName(name: string, origin: string): void {
  if (parseTemplateName(name) === undefined) {
    throw new MailroomError('CONFIG.TEMPLATES', `Template ${origin} has a name Mailroom does not know ("${name}"). ${NAMING_HELP}`);
  }
}
