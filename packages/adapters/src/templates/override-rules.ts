import { closestName, DIGEST_KIND, MailroomError } from '@mailroom/domain';
import type { TemplateSource } from './template-sources';
import type { TemplateOverrides } from './template-settings';
import { ITEM_PARTS, MAIL_PARTS, parseTemplateName, templateName, type KindPart } from './template-names';

/** How errors name the two places overrides come from. */
export function overrideNames(overrides: TemplateOverrides): { directory: string; templates: string; stored: string } {
  return {
    directory: overrides.names?.directory ?? 'overrides.directory',
    templates: overrides.names?.templates ?? 'overrides.templates',
    stored: overrides.names?.stored ?? 'overrides.stored',
  };
}

/**
 * The naming rules of the host's templates (directory and code together), checked before any is used:
 * every template names a kind there is (when the kinds are known), and a kind's mail is overridden whole —
 * subject, html and text — as is its digest item (item.html and item.text). A part given alone would mix the
 * host's subject with the built-in body, which is never what a host means (often a file forgotten in a copy).
 */
export function checkOverrides(given: ReadonlyMap<string, TemplateSource>, overrides: TemplateOverrides): void {
  const partsByKind = new Map<string, Set<KindPart>>();
  for (const [name, source] of given) {
    const parsed = parseTemplateName(name);
    if (!parsed || !('kind' in parsed)) continue;
    checkKnownKind(parsed.kind, source, overrides);
    const parts = partsByKind.get(parsed.kind) ?? new Set<KindPart>();
    parts.add(parsed.part);
    partsByKind.set(parsed.kind, parts);
  }
  for (const [kind, parts] of partsByKind) {
    for (const group of [MAIL_PARTS, ITEM_PARTS]) {
      const missing = group.filter((p) => !parts.has(p));
      if (missing.length > 0 && missing.length < group.length) {
        const origins = group.filter((p) => parts.has(p)).map((p) => given.get(templateName(kind, p))!.origin);
        const what = group === MAIL_PARTS ? 'a mail needs subject, html and text' : 'a digest item needs item.html and item.text';
        throw new MailroomError(
          'TEMPLATE.INCOMPLETE',
          `Kind "${kind}" has ${origins.join(', ')} but no ${missing.map((p) => templateName(kind, p)).join(', ')}; add ${missing.length === 1 ? 'it' : 'them'} (${what}; an override replaces all of them — copy the built-in ones to start).`,
        );
      }
    }
  }
}

function checkKnownKind(kind: string, source: TemplateSource, overrides: TemplateOverrides): void {
  const kinds = overrides.kinds;
  if (kinds === undefined || kind === DIGEST_KIND || kinds.includes(kind)) return;
  const meant = closestName(kind, kinds);
  throw new MailroomError(
    'CONFIG.TEMPLATES',
    `Template ${source.origin} is for kind "${kind}", which is not defined${meant ? `; did you mean "${meant}"?` : ''} (kinds: ${[...kinds].join(', ')}). ` +
      `Rename the template, or define the kind (createMailroom({ kinds })) so notify() accepts it.`,
  );
}
