import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MailroomError } from '@mailroom/domain';
import type { z } from 'zod';
import { configSchema, LOG_LEVELS, type LogLevel, type MailroomConfig } from './schema';
import { checkConsistency } from './consistency';
import { describeSetting, isRunTimeSetting, SECRET_PATHS, SETTINGS, type SettingDoc } from './settings';

/** One problem with one setting, as a `ConfigError` lists it. */
export interface ConfigIssue {
  /** Dotted path of the setting, e.g. `smtp.port`. */
  readonly setting: string;
  readonly problem: string;
}

/** The configuration is invalid: every issue names the setting, its variable, the problem and the fix. */
export class ConfigError extends MailroomError {
  override readonly name = 'ConfigError';

  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      'CONFIG.INVALID',
      `Mailroom's configuration is invalid:\n${issues.map((i) => `  - ${describeSetting(i.setting)}: ${i.problem}`).join('\n')}`,
    );
  }
}

/** Where a setting's effective value comes from, lowest precedence first. */
export type SettingSourceKind = 'default' | 'file' | 'host' | 'stored' | 'environment';

/** A setting's effective source, and whether an admin may change it at run time. */
export interface SettingSource {
  readonly path: string;
  readonly source: SettingSourceKind;
  /** Set by an environment variable, or locked by the host: shown read-only (with the variable's name). */
  readonly locked: boolean;
  /** Who locked it: its environment variable, or the host application (`createMailroom({ lockedSettings })`). */
  readonly lockedBy?: 'environment' | 'host';
  readonly variable: string;
  /** An admin may store a value for it (not a database, worker or log setting). */
  readonly runTime: boolean;
}

export interface LoadedConfig {
  readonly config: MailroomConfig;
  /** For every documented setting: where its value comes from and whether it is locked. */
  readonly sources: readonly SettingSource[];
  /** Advice that does not stop Mailroom (e.g. From differs from the OAuth mailbox). */
  readonly warnings: readonly string[];
  /** The file read, if any. */
  readonly file?: string;
}

export interface LoadOptions {
  /** A file to read; without it `MAILROOM_CONFIG`, then `mailroom.config.json` in `cwd` if present. */
  readonly file?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Settings given in code (a host's `createMailroom`); environment variables still win. */
  readonly overrides?: unknown;
  /**
   * Settings an admin saved at run time, by path (`smtp.host`), secrets already opened: above the file and the host's
   * settings, below environment variables. Only run-time settings may be stored.
   */
  readonly stored?: Readonly<Record<string, unknown>>;
  /**
   * Leave out the run-time settings of the file, the host and the environment (their defaults apply): for reading
   * the start-only settings (database, worker, log) when the run-time ones are incomplete until the stored settings
   * are read. See `loadStartConfig`.
   */
  readonly ignoreRunTime?: boolean;
  /**
   * Settings the host locks (paths, or prefixes such as `smtp`): admins cannot change them, and a stored value for one
   * is not used. Environment variables lock their settings as well.
   */
  readonly locked?: readonly string[];
}

/** Reads the file and the environment (which wins), validates once, and fills in every default. */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? env.MAILROOM_CONFIG;
  const file = explicit
    ? resolve(cwd, explicit)
    : existsSync(resolve(cwd, 'mailroom.config.json'))
      ? resolve(cwd, 'mailroom.config.json')
      : undefined;
  let fromFile: unknown = {};
  if (file) {
    if (!existsSync(file))
      throw new ConfigError([{ setting: 'file', problem: `${file} does not exist; create it or point MAILROOM_CONFIG at the right file` }]);
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8'));
    } catch (cause) {
      throw new ConfigError([{ setting: 'file', problem: `${file} is not valid JSON (${(cause as Error).message})` }]);
    }
    if (!isPlainObject(fromFile)) {
      throw new ConfigError([
        {
          setting: 'file',
          problem: `${file} holds ${typeOf(fromFile)}, not an object of settings; write an object such as { "smtp": { "host": "mail.example.com" } }, or {} for the defaults`,
        },
      ]);
    }
  }
  const hostLocked = checkLocked(options.locked ?? []);
  const isHostLocked = (path: string) => hostLocked.some((l) => path === l || path.startsWith(`${l}.`));
  const stored = storedSettings(Object.fromEntries(Object.entries(options.stored ?? {}).filter(([path]) => !isHostLocked(path))));
  let fromEnv = fromEnvironment(env, cwd);
  let overrides: unknown = options.overrides ?? {};
  if (options.ignoreRunTime) {
    fromFile = withoutRunTime(fromFile);
    overrides = withoutRunTime(overrides);
    fromEnv = withoutRunTime(fromEnv) as Record<string, unknown>;
  }
  const merged = deepMerge(deepMerge(deepMerge(fromFile, overrides), stored), fromEnv);
  const { config, warnings } = parseConfig(merged);
  const sources = SETTINGS.map((s): SettingSource => {
    const source: SettingSourceKind = hasPath(fromEnv, s.path)
      ? 'environment'
      : hasPath(stored, s.path)
        ? 'stored'
        : hasPath(overrides, s.path)
          ? 'host'
          : hasPath(fromFile, s.path)
            ? 'file'
            : 'default';
    const lockedBy = source === 'environment' ? 'environment' : isHostLocked(s.path) ? 'host' : undefined;
    return {
      path: s.path,
      source,
      locked: lockedBy !== undefined,
      ...(lockedBy ? { lockedBy } : {}),
      variable: s.env,
      runTime: isRunTimeSetting(s.path),
    };
  });
  return file ? { config, warnings, sources, file } : { config, warnings, sources };
}

/**
 * The configuration to start with: the file, the host's and the environment's settings — or, when only run-time
 * settings are wrong or missing there (an admin may complete them at run time, e.g. `smtp.host` saved in the database
 * while `MAILROOM_SMTP_PORT` is set), the start-only settings with the run-time ones left at their defaults. The
 * effective configuration, stored settings included, is validated again once they are read.
 */
export function loadStartConfig(options: LoadOptions = {}): LoadedConfig {
  try {
    return loadConfig(options);
  } catch (error) {
    if (!(error instanceof ConfigError) || !error.issues.every((i) => isRunTimeSetting(i.setting))) throw error;
    return loadConfig({ ...options, ignoreRunTime: true });
  }
}

/** The host's locked settings, each a setting or a group of them (`smtp`, `smtp.auth`). */
function checkLocked(locked: readonly string[]): readonly string[] {
  const unknown = locked.filter((l) => !SETTINGS.some((s) => s.path === l || s.path.startsWith(`${l}.`)));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((l) => ({
        setting: 'lockedSettings',
        problem: `"${l}" is not a setting or a group of settings (e.g. smtp.host, smtp.auth, from)`,
      })),
    );
  }
  return locked;
}

/** The settings of a layer that are read at start only (a layer is a nested object of settings). */
function withoutRunTime(layer: unknown, prefix = ''): unknown {
  if (!isPlainObject(layer)) return layer;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(layer)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isRunTimeSetting(path) || (isPlainObject(value) && isRunTimeSetting(`${path}.`))) continue;
    out[key] = isPlainObject(value) ? withoutRunTime(value, path) : value;
  }
  return out;
}

/** Stored settings as a nested object; a setting that is read at start only cannot come from the database. */
function storedSettings(stored: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const issues: ConfigIssue[] = [];
  for (const [path, value] of Object.entries(stored)) {
    if (!isRunTimeSetting(path)) {
      issues.push({ setting: path, problem: 'is read at start only (configuration file or environment variable), not stored at run time' });
      continue;
    }
    setPath(out, path, value);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return out;
}

function hasPath(layer: unknown, path: string): boolean {
  let node: unknown = layer;
  for (const key of path.split('.')) {
    if (!isPlainObject(node) || !(key in node)) return false;
    node = node[key];
  }
  return node !== undefined;
}

/** Validates configuration given as an object (file contents, or a host's settings in code). */
export function parseConfig(input: unknown): { config: MailroomConfig; warnings: string[] } {
  // The input is kept on each issue to name its type; messages show a value only where it is no secret.
  const parsed = configSchema.safeParse(input ?? {}, { reportInput: true });
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map(toIssue));
  const { errors, warnings } = checkConsistency(parsed.data);
  if (errors.length > 0) throw new ConfigError(errors);
  return { config: parsed.data, warnings };
}

function toIssue(issue: z.core.$ZodIssue): ConfigIssue {
  const setting = issue.path.join('.') || 'configuration';
  if (issue.code === 'unrecognized_keys') {
    return {
      setting,
      problem: `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling against the README's configuration reference`,
    };
  }
  if (setting === 'smtp.auth.type' || (issue.code === 'invalid_union' && setting === 'smtp.auth')) {
    return { setting: 'smtp.auth.type', problem: 'must be "none", "direct" or "oauth2"' };
  }
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return { setting, problem: `is required (${issue.expected})` };
    const hint = SECRET_PATHS.includes(setting) ? '' : unquoteHint(issue.expected, issue.input);
    return { setting, problem: `must be ${article(issue.expected)}, got ${typeOf(issue.input)}${hint}` };
  }
  if (issue.code === 'invalid_value') {
    const got = typeof issue.input === 'string' && !SECRET_PATHS.includes(setting) ? ` (got ${JSON.stringify(issue.input)})` : '';
    return { setting, problem: `${oneOf(issue.values)}${got}` };
  }
  return { setting, problem: issue.message };
}

function oneOf(values: readonly unknown[]): string {
  return `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** What a JSON value is, in words: `a string`, `a list`, `null`. */
function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return article(typeof value);
}

/** `"2599"` for a number, `"true"` for a boolean: the quotes are the mistake. */
function unquoteHint(expected: string, input: unknown): string {
  if (typeof input !== 'string') return '';
  if (expected === 'number' && /^-?\d+(\.\d+)?$/.test(input.trim())) return `; write ${input.trim()} without quotes`;
  if (expected === 'boolean' && /^(true|false)$/.test(input.trim())) return `; write ${input.trim()} without quotes`;
  return '';
}

/** A log level given outside the configuration (the CLI's MAILROOM_LOG_LEVEL), checked as the schema would. */
export function checkLogLevel(level: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  throw new ConfigError([{ setting: 'log.level', problem: `${oneOf(LOG_LEVELS)} (got ${JSON.stringify(level)})` }]);
}

function fromEnvironment(env: NodeJS.ProcessEnv, cwd: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const issues: ConfigIssue[] = [];
  for (const s of SETTINGS) {
    let raw = env[s.env];
    const fileVar = env[`${s.env}_FILE`];
    if (raw === undefined && s.secret && fileVar) {
      try {
        raw = readFileSync(resolve(cwd, fileVar), 'utf8').trim();
      } catch (cause) {
        issues.push({
          setting: s.path,
          problem: `${s.env}_FILE names ${fileVar}, which cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
        });
        continue;
      }
    }
    if (raw === undefined || raw === '') continue;
    const converted = settingFromText(s, raw);
    if ('problem' in converted) issues.push({ setting: s.path, problem: `${s.env} ${converted.problem}` });
    else setPath(out, s.path, converted.value);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return out;
}

/**
 * A setting's value from text (an environment variable, the command line): digits for an int; true/false, 1/0 or
 * yes/no for a boolean; anything for a string. The problem never repeats a secret's text.
 */
export function settingFromText(doc: SettingDoc, raw: string): { value: unknown } | { problem: string } {
  const shown = doc.secret ? '***' : raw;
  if (doc.type === 'int') {
    if (!/^-?\d+$/.test(raw.trim())) return { problem: `must be a whole number (got "${shown}")` };
    return { value: Number(raw) };
  }
  if (doc.type === 'boolean') {
    if (!/^(true|false|1|0|yes|no)$/i.test(raw.trim())) return { problem: `must be true or false (got "${shown}")` };
    return { value: /^(true|1|yes)$/i.test(raw.trim()) };
  }
  return { value: raw };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * `top` over `base`, object by object. An authentication of another type replaces the one below instead of merging
 * with it (an admin switching from Direct to OAuth2 does not keep the file's password).
 */
function deepMerge(base: unknown, top: unknown, path = ''): unknown {
  if (!isPlainObject(base) || !isPlainObject(top)) return top === undefined ? base : top;
  if (path === 'smtp.auth' && top['type'] !== undefined && top['type'] !== base['type']) return top;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(top)) out[k] = deepMerge(base[k], v, path === '' ? k : `${path}.${k}`);
  return out;
}
