import { Script } from 'node:vm';
import { Eta, type TemplateFunction } from 'eta';
import { MailroomError } from '@mailroom/domain';
import { isHtmlTemplate } from './template-names';
import type { TemplateSource } from './template-sources';

/** A render-time failure inside one template, before the renderer names the template. */
class TemplateLineError extends Error {
  constructor(
    readonly line: number,
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original));
  }
}

/**
 * Every template compiled once, at start-up, into one of two eta instances: HTML templates escape every
 * `<%= %>` (autoescape), subject and text templates produce plain text and escape nothing. Templates reach
 * each other as `@<name>` (e.g. `include('@_button.html', { … })`) and eta's own file loading is not used.
 * Template code is JavaScript running with the process's rights (`process.env` included): overrides are code, and
 * only administrators should write them (the README says so). Payload values are data, never run.
 */
export class CompiledTemplates {
  private readonly html = createEta(true);
  private readonly text = createEta(false);
  private readonly origins = new Map<string, string>();

  /** Throws `TEMPLATE.SYNTAX` naming the template's file (or setting), the line and the problem. */
  constructor(sources: Iterable<TemplateSource>) {
    for (const template of sources) this.add(template);
  }

  has(name: string): boolean {
    return this.origins.has(name);
  }

  /** Throws `TEMPLATE.RENDER` (or the `MailroomError` a helper threw) naming the template and the line. */
  render(name: string, data: object): string {
    const eta = isHtmlTemplate(name) ? this.html : this.text;
    return eta.render(`@${name}`, data);
  }

  private add(template: TemplateSource): void {
    const eta = isHtmlTemplate(template.name) ? this.html : this.text;
    let compiled: TemplateFunction;
    try {
      compiled = eta.compile(template.source);
    } catch (cause) {
      const { line, problem } = describeCompileError(eta, template.source, cause);
      throw new MailroomError(
        'TEMPLATE.SYNTAX',
        `Template ${template.name} (${template.origin}) does not compile, line ${line}: ${problem}. Fix the template: eta syntax is <%= value %> to print, <% code %> to run code.`,
        { cause },
      );
    }
    this.origins.set(template.name, template.origin);
    const wrapped = function (this: Eta, data?: object, options?: object): string {
      try {
        return compiled.call(this, data, options);
      } catch (error) {
        throw renderError(template, error);
      }
    };
    eta.loadTemplate(`@${template.name}`, wrapped as TemplateFunction);
  }
}

function createEta(autoEscape: boolean): Eta {
  // autoTrim off: what a template says is what the mail gets (text mails care); end a code-only line with -%>.
  // debug makes eta track the template line it is on, so a run-time error can name it.
  const eta = new Eta({ autoEscape, autoTrim: false, debug: true });
  eta.RuntimeErr = (error: Error, _source: string, line: number): never => {
    // An error from an included template was already named by its own wrapper: keep it as it is.
    if (error instanceof MailroomError) throw error;
    throw new TemplateLineError(line, error);
  };
  return eta;
}

function renderError(template: TemplateSource, error: unknown): MailroomError {
  if (error instanceof MailroomError) return error;
  const line = error instanceof TemplateLineError ? `, line ${error.line}` : '';
  const original = error instanceof TemplateLineError ? error.original : error;
  if (original instanceof MailroomError) {
    return new MailroomError(original.code, `Template ${template.name} (${template.origin})${line}: ${original.message}`, {
      cause: original,
    });
  }
  const problem = original instanceof Error ? original.message : String(original);
  return new MailroomError(
    'TEMPLATE.RENDER',
    `Template ${template.name} (${template.origin}) failed${line}: ${problem}. Check the names it reads from "it" (payload fields are it.payload.<field>).`,
    { cause: original },
  );
}

/**
 * eta reports a tag it cannot parse with its line, but a JavaScript syntax error in template code only with
 * the generated function. With `debug`, that function records `__eta.line=<template line>` before each tag,
 * so compiling it with V8 gives the generated line, and the last marker before it is the template's line.
 */
function describeCompileError(eta: Eta, source: string, error: unknown): { line: number | string; problem: string } {
  const message = error instanceof Error ? error.message : String(error);
  const parseError = /^(.*?) at line (\d+) col \d+/s.exec(message);
  if (parseError) return { line: Number(parseError[2]), problem: parseError[1]!.trim() };
  let generated: string;
  try {
    generated = eta.compileToString(source);
    new Script(`(function (it, options) {\n${generated}\n})`, { filename: 'template' });
  } catch (syntax) {
    // Read the error by shape: V8 may create it in another realm (as under jest), where instanceof fails.
    const { stack, message: problem } = syntax as { stack?: string; message?: string };
    const at = /^template:(\d+)/.exec(stack ?? '');
    if (at && problem !== undefined) {
      const before = generated!.split('\n').slice(0, Number(at[1]) - 1);
      const marker = before.reverse().find((l) => /^__eta\.line=\d+$/.test(l));
      if (marker) return { line: Number(marker.slice('__eta.line='.length)), problem: explain(problem) };
    }
  }
  return { line: '?', problem: message.split('\n').find((l) => l.trim() !== '' && !l.startsWith('Bad template syntax')) ?? message };
}

// eta wraps the template's code in try { … } catch, so a block left open meets that catch (or the end).
function explain(problem: string): string {
  return /end of input|Unexpected token 'catch'/i.test(problem)
    ? `${problem} (a block opened with "{" is never closed with <% } %>)`
    : problem;
}
