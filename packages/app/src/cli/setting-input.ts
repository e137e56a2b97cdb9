import { readFileSync } from 'node:fs';
import { MailroomError } from '@mailroom/domain';
import { ConfigError, SETTINGS, settingFromText, type ConfigIssue, type SettingDoc } from '../config';

/** The value that tells `settings set` to read a setting's value from stdin (or from `--from-file`). */
export const FROM_INPUT = '-';

/** Where `-` reads from: one line of stdin, or the whole of a file (`--from-file`). */
export interface ValueInput {
  readonly fromFile?: string;
  /** One line of stdin; asked without echo on a terminal. */
  readonly readLine: (prompt: string) => Promise<string>;
}

/**
 * The values of `mailroom settings set <path> <value> [<path> <value>…]`, each converted to its setting's type (the
 * same rules as the MAILROOM_ variables: digits for an int; true/false, 1/0 or yes/no for a boolean). A secret given
 * on the command line is refused (it would stay in the shell history and show in `ps`): its value is `-`, read from
 * stdin or `--from-file`. With `--from-file`, a last path without a value takes the file's content too. Throws a
 * `MailroomError` (`CLI.USAGE`, `CLI.SECRET_ON_COMMAND_LINE`) or a `ConfigError` naming every wrong value; nothing
 * is read from stdin before the arguments are known to be right.
 */
export async function settingValues(args: readonly string[], input: ValueInput): Promise<Record<string, unknown>> {
  const pairs = pairsOf(args, input.fromFile !== undefined);
  const fromInput = pairs.filter(([, raw]) => raw === FROM_INPUT).map(([path]) => path);
  if (fromInput.length > 1) {
    throw new MailroomError('CLI.USAGE', `Only one value can be read from stdin or --from-file, not those of ${fromInput.join(', ')}.`);
  }
  if (input.fromFile !== undefined && fromInput.length === 0) {
    throw new MailroomError('CLI.USAGE', `--from-file gives the value of the setting whose value is "-", e.g. set smtp.auth.password -.`);
  }
  const secrets = pairs.filter(([path, raw]) => docOf(path)?.secret && raw !== FROM_INPUT).map(([path]) => path);
  if (secrets.length > 0) {
    throw new MailroomError(
      'CLI.SECRET_ON_COMMAND_LINE',
      `${secrets.join(', ')} ${secrets.length === 1 ? 'is a secret' : 'are secrets'}: a value on the command line stays in the ` +
        "shell's history and shows in `ps`, so it is refused (nothing was saved). Give - as the value and pipe it in " +
        `(printf '%s\\n' "$VALUE" | mailroom settings set ${secrets[0]} -) or name a file with --from-file <file>; ` +
        'remove the refused command from your shell history.',
    );
  }
  const issues: ConfigIssue[] = [];
  const values: Record<string, unknown> = {};
  for (const [path, raw] of pairs) {
    const doc = docOf(path);
    const text = raw === FROM_INPUT ? await readValue(path, input) : raw;
    // An unknown path goes through as text: the update refuses it with the settings' own message.
    const converted = doc ? settingFromText(doc, text) : { value: text };
    if ('problem' in converted) issues.push({ setting: path, problem: converted.problem });
    else values[path] = converted.value;
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return values;
}

function pairsOf(args: readonly string[], fromFile: boolean): [string, string][] {
  const list = fromFile && args.length % 2 === 1 ? [...args, FROM_INPUT] : [...args];
  if (list.length === 0 || list.length % 2 === 1) {
    const last = list[list.length - 1];
    throw new MailroomError(
      'CLI.USAGE',
      `${last === undefined ? 'No setting given' : `${last} has no value`}: give pairs of <path> <value>, e.g. ` +
        'mailroom settings set smtp.port 587 smtp.tls starttls (a secret: its path and -, the value then on stdin).',
    );
  }
  const pairs: [string, string][] = [];
  for (let i = 0; i < list.length; i += 2) pairs.push([list[i]!, list[i + 1]!]);
  const twice = pairs.map(([p]) => p).filter((p, i, all) => all.indexOf(p) !== i);
  if (twice.length > 0) throw new MailroomError('CLI.USAGE', `${twice.join(', ')} is given twice; give each setting once.`);
  return pairs;
}

async function readValue(path: string, input: ValueInput): Promise<string> {
  let text: string;
  if (input.fromFile !== undefined) {
    try {
      text = readFileSync(input.fromFile, 'utf8').replace(/\r?\n$/, '');
    } catch (cause) {
      throw new MailroomError(
        'CLI.USAGE',
        `--from-file names ${input.fromFile}, which cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'}).`,
        { cause },
      );
    }
  } else {
    text = await input.readLine(`Value of ${path} (not shown): `);
  }
  if (text === '') {
    const from = input.fromFile !== undefined ? `the file ${input.fromFile}` : 'stdin';
    throw new MailroomError('CLI.USAGE', `The value of ${path} read from ${from} is empty; nothing was saved.`);
  }
  return text;
}

function docOf(path: string): SettingDoc | undefined {
  return SETTINGS.find((s) => s.path === path);
}
