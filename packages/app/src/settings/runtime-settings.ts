import type { SealedSecret, SecretBox } from '@mailroom/adapters';
import {
  MailroomError,
  type Clock,
  type SettingsAuditEntry,
  type SettingsChange,
  type SettingsSnapshot,
  type SettingsStore,
} from '@mailroom/domain';
import type { Log } from '../logging/log';
import { ConfigError, SETTINGS, type ConfigIssue, type LoadedConfig, type MailroomConfig, type SettingDoc } from '../config';
import { SECRET_KEY_HELP, SecretKeyMissingError } from './secret-keys';
import type { SettingsPage, SettingsUpdate, SettingView } from './settings-view';

const DIRECT_FIELDS = ['password', 'mechanism'];
const OAUTH2_FIELDS = ['tokenUrl', 'clientId', 'clientSecret', 'scope', 'clientAuth'];

/** Saved templates share the settings store, each under `template:<name>`. */
const TEMPLATE_PREFIX = 'template:';

/** A template an admin saved. */
export interface StoredTemplate {
  readonly name: string;
  readonly source: string;
  readonly changedAt: Date;
  readonly changedBy: string;
}

export interface RuntimeSettingsDeps {
  readonly store: SettingsStore;
  /** Seals and opens stored secrets; undefined when no `MAILROOM_SECRET_KEY` is configured. */
  readonly box: SecretBox | undefined;
  /** The whole configuration with these stored values in their place (file, host and environment as at start). */
  readonly load: (stored: Readonly<Record<string, unknown>>) => LoadedConfig;
  readonly clock: Clock;
  readonly logger: Log;
}

/** Told after the effective configuration changed; the previous one is given to see what changed. */
export type SettingsListener = (next: MailroomConfig, previous: MailroomConfig) => Promise<void> | void;

/**
 * The effective configuration of a running Mailroom — default < file < host < stored (admin) < environment — and the
 * way admins change it: validated like start-up, environment-set settings locked, secrets sealed, saved with a
 * version and an audit entry, then applied here and (through `refresh`, on NOTIFY or the worker's poll) on every
 * other node. Listeners apply a new configuration to the running parts.
 */
export class RuntimeSettings {
  private readonly listeners = new Set<SettingsListener>();
  private queue: Promise<unknown> = Promise.resolve();
  /** A stored version that could not be applied, logged once. */
  private refused: number | undefined;

  private constructor(
    private readonly deps: RuntimeSettingsDeps,
    private snapshot: SettingsSnapshot,
    private loaded: LoadedConfig,
  ) {}

  /** Reads the stored settings once; throws `ConfigError` when they do not make a valid configuration. */
  static async open(deps: RuntimeSettingsDeps): Promise<RuntimeSettings> {
    const snapshot = await deps.store.read();
    return new RuntimeSettings(deps, snapshot, deps.load(openValues(snapshot, deps.box)));
  }

  /** The effective configuration, secrets included (never print it: `redactConfig`). */
  get config(): MailroomConfig {
    return this.loaded.config;
  }

  /** The stored version in effect (0: nothing was ever saved). */
  get version(): number {
    return this.snapshot.version;
  }

  /** Calls `listener` after every change of the effective configuration; returns the function that stops it. */
  onChange(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /**
   * Reads the store and applies a newer version (another node saved it). A version that does not make a valid
   * configuration (e.g. this node lacks the secret key) is logged once and not applied. True when applied.
   */
  refresh(): Promise<boolean> {
    return this.serially(async () => {
      const snapshot = await this.deps.store.read();
      if (snapshot.version === this.snapshot.version) return false;
      let loaded: LoadedConfig;
      try {
        loaded = this.deps.load(openValues(snapshot, this.deps.box));
      } catch (error) {
        if (this.refused !== snapshot.version) {
          this.refused = snapshot.version;
          const e = error as MailroomError;
          this.deps.logger.error('stored settings not applied on this node; it keeps the settings it has', {
            version: snapshot.version,
            kept: this.snapshot.version,
            code: e.code,
            reason: e.message,
          });
        }
        return false;
      }
      await this.adopt(snapshot, loaded);
      return true;
    });
  }

  /** Every setting with its effective value (none for secrets), source, lock and last change. */
  view(): SettingsPage {
    const sources = new Map(this.loaded.sources.map((s) => [s.path, s]));
    const settings = SETTINGS.map((doc): SettingView => {
      const source = sources.get(doc.path)!;
      const value = valueAt(this.loaded.config, doc.path);
      const stored = source.source === 'stored' ? this.snapshot.values.get(doc.path) : undefined;
      return {
        path: doc.path,
        variable: doc.env,
        type: doc.type,
        secret: doc.secret === true,
        set: value !== undefined && value !== '',
        ...(doc.secret || value === undefined ? {} : { value }),
        source: source.source,
        locked: source.locked,
        ...(source.lockedBy ? { lockedBy: source.lockedBy } : {}),
        runTime: source.runTime,
        ...(stored ? { changedAt: stored.changedAt.toISOString(), changedBy: stored.changedBy } : {}),
      };
    });
    return { version: this.snapshot.version, settings };
  }

  /**
   * The configuration this update would make, validated as at start-up, without saving it (for `check` and
   * `send test` on settings not saved yet). Throws `ConfigError` naming every setting that is wrong.
   */
  candidate(update: SettingsUpdate): MailroomConfig {
    const plan = this.plan(update);
    return this.deps.load(plan.values).config;
  }

  /**
   * Validates and saves an admin's change, by `by` (the authorize hook's identity, or `cli`), then applies it here.
   * Throws `ConfigError` (unknown, start-only or environment-locked settings, invalid values: nothing saved),
   * `SecretKeyMissingError` (a secret without a key), `SettingsConflictError` (`expectedVersion` is stale).
   */
  update(update: SettingsUpdate, by: string): Promise<SettingsPage> {
    return this.serially(async () => {
      const plan = this.plan(update);
      this.deps.load(plan.values); // throws ConfigError before anything is saved
      const resets = plan.unset.filter((path) => this.snapshot.values.has(path));
      // Nothing to store and nothing saved to reset: no new version (the audit would hold an empty change).
      if (Object.keys(plan.set).length === 0 && resets.length === 0) return this.view();
      const secrets = Object.keys(plan.set).filter((path) => docOf(path)?.secret);
      const box = this.deps.box;
      if (secrets.length > 0 && !box) throw new SecretKeyMissingError(secrets);
      const set: Record<string, { value: unknown; secret: boolean }> = {};
      for (const [path, value] of Object.entries(plan.set)) {
        set[path] = docOf(path)?.secret ? { value: box!.seal(value as string, path), secret: true } : { value, secret: false };
      }
      const change: SettingsChange = { set, unset: resets, by, at: this.deps.clock.now() };
      const snapshot = await this.deps.store.apply(change, update.expectedVersion);
      await this.adopt(snapshot, this.deps.load(openValues(snapshot, box)));
      return this.view();
    });
  }

  /** The templates admins saved, by name, with when and by whom (see `saveTemplates`). */
  templates(): StoredTemplate[] {
    const out: StoredTemplate[] = [];
    for (const [path, stored] of this.snapshot.values) {
      if (!path.startsWith(TEMPLATE_PREFIX)) continue;
      out.push({
        name: path.slice(TEMPLATE_PREFIX.length),
        source: stored.value as string,
        changedAt: stored.changedAt,
        changedBy: stored.changedBy,
      });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The saved templates' texts by name (what the renderer is built with). */
  storedTemplates(): Record<string, string> {
    return Object.fromEntries(this.templates().map((t) => [t.name, t.source]));
  }

  /**
   * Saves templates (`set`, by name) and resets others to what the files, the host or the built-in ones say
   * (`unset`), after `check` accepted the saved templates as they would be (it builds and rehearses a renderer and
   * throws the template's error with its line). Audited like settings.
   */
  saveTemplates(
    change: { readonly set?: Readonly<Record<string, string>>; readonly unset?: readonly string[] },
    by: string,
    check: (stored: Readonly<Record<string, string>>) => Promise<void>,
  ): Promise<void> {
    return this.serially(async () => {
      const stored = this.storedTemplates();
      for (const name of change.unset ?? []) delete stored[name];
      Object.assign(stored, change.set ?? {});
      await check(stored);
      const set = Object.fromEntries(Object.entries(change.set ?? {}).map(([name, source]) => [TEMPLATE_PREFIX + name, { value: source }]));
      const unset = (change.unset ?? []).map((name) => TEMPLATE_PREFIX + name);
      const snapshot = await this.deps.store.apply({ set, unset, by, at: this.deps.clock.now() });
      await this.adopt(snapshot, this.deps.load(openValues(snapshot, this.deps.box)));
    });
  }

  /** Audit entries, newest first: who changed which settings when (old → new, "changed" for secrets). */
  history(limit: number, beforeVersion?: number): Promise<SettingsAuditEntry[]> {
    return this.deps.store.history(limit, beforeVersion);
  }

  /**
   * Seals again, with the current key, every stored secret sealed with a previous key (`MAILROOM_SECRET_KEY_PREVIOUS`);
   * returns how many. Afterwards the previous keys can be removed.
   */
  rotateKey(by: string): Promise<number> {
    return this.serially(async () => {
      const box = this.deps.box;
      if (!box) throw new MailroomError('SECRETS.KEY_MISSING', `There is no key to rotate to: ${SECRET_KEY_HELP}.`);
      const snapshot = await this.deps.store.read();
      const set: Record<string, { value: unknown; secret: boolean }> = {};
      for (const [path, stored] of snapshot.values) {
        if (!stored.secret || !box.needsRotation(stored.value as SealedSecret)) continue;
        set[path] = { value: box.seal(box.open(stored.value as SealedSecret, path), path), secret: true };
      }
      const count = Object.keys(set).length;
      if (count === 0) return 0;
      const after = await this.deps.store.apply({ set, by, at: this.deps.clock.now() }, snapshot.version);
      await this.adopt(after, this.deps.load(openValues(after, box)));
      return count;
    });
  }

  /** What the stored values become: checked paths, `null` meaning reset, a new auth type dropping the old type's fields. */
  private plan(update: SettingsUpdate): { set: Record<string, unknown>; unset: string[]; values: Record<string, unknown> } {
    const issues: ConfigIssue[] = [];
    const set: Record<string, unknown> = {};
    const unset = new Set<string>();
    const sources = new Map(this.loaded.sources.map((s) => [s.path, s]));
    const check = (path: string): boolean => {
      const doc = docOf(path);
      const source = sources.get(path);
      if (!doc || !source) {
        issues.push({ setting: path, problem: "is not a setting; check the spelling against the README's configuration reference" });
      } else if (!source.runTime) {
        issues.push({
          setting: path,
          problem: 'is read at start only (configuration file or environment variable), not changed at run time',
        });
      } else if (source.lockedBy === 'host') {
        issues.push({ setting: path, problem: 'is locked by the application Mailroom runs in: it is set there, not here' });
      } else if (source.locked) {
        issues.push({
          setting: path,
          problem: `is set by the environment variable ${doc.env}, which wins over saved settings; change or remove ${doc.env} where Mailroom runs`,
        });
      } else return true;
      return false;
    };
    for (const [path, value] of Object.entries(update.set ?? {})) {
      if (!check(path)) continue;
      if (value === null || value === undefined) unset.add(path);
      else if (docOf(path)?.secret && (typeof value !== 'string' || value === '')) {
        issues.push({ setting: path, problem: 'must be a non-empty string' });
      } else set[path] = value;
    }
    for (const path of update.unset ?? []) if (check(path)) unset.add(path);
    issues.push(...this.authFieldIssues(set));
    if (issues.length > 0) throw new ConfigError(issues);

    const values = openValues(this.snapshot, this.deps.box, { skipSecrets: true });
    const newType = set['smtp.auth.type'];
    if (newType !== undefined && newType !== this.loaded.config.smtp?.auth.type) {
      // Another authentication type: the old type's stored fields would not fit it.
      for (const path of Object.keys(values)) if (path.startsWith('smtp.auth.') && !(path in set)) unset.add(path);
    }
    for (const path of unset) delete values[path];
    Object.assign(values, set);
    return { set, unset: [...unset], values };
  }

  /** An authentication field saved for no type, or for the other type, said in words (the schema's would not be). */
  private authFieldIssues(set: Readonly<Record<string, unknown>>): ConfigIssue[] {
    const type = (set['smtp.auth.type'] as string | undefined) ?? this.loaded.config.smtp?.auth.type ?? 'none';
    const issues: ConfigIssue[] = [];
    for (const path of Object.keys(set)) {
      const field = path.slice('smtp.auth.'.length);
      if (!path.startsWith('smtp.auth.') || field === 'type' || field === 'username') continue;
      const owner = DIRECT_FIELDS.includes(field) ? 'direct' : OAUTH2_FIELDS.includes(field) ? 'oauth2' : undefined;
      if (owner === undefined || owner === type) continue;
      issues.push({
        setting: path,
        problem:
          type === 'none'
            ? `belongs to an authentication type, and smtp.auth.type is "none": set smtp.auth.type to "${owner}" in the same change`
            : `belongs to "${owner}" authentication, and smtp.auth.type is "${type}": change smtp.auth.type in the same change, or leave this out`,
      });
    }
    return issues;
  }

  private async adopt(snapshot: SettingsSnapshot, loaded: LoadedConfig): Promise<void> {
    const previous = this.loaded.config;
    this.snapshot = snapshot;
    this.loaded = loaded;
    this.refused = undefined;
    for (const listener of [...this.listeners]) {
      try {
        await listener(loaded.config, previous);
      } catch (error) {
        const e = error as MailroomError;
        this.deps.logger.error('applying changed settings failed', { version: snapshot.version, code: e.code, reason: e.message });
      }
    }
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function docOf(path: string): SettingDoc | undefined {
  return SETTINGS.find((s) => s.path === path);
}

/**
 * The stored values by path, secrets opened. A sealed secret without a key to open it is an error naming the setting,
 * except where only the plain values matter (`skipSecrets`: a candidate keeps the stored secret by opening it later).
 */
function openValues(
  snapshot: SettingsSnapshot,
  box: SecretBox | undefined,
  options: { skipSecrets?: boolean } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, stored] of snapshot.values) {
    if (path.startsWith(TEMPLATE_PREFIX)) continue; // templates, not configuration
    if (!stored.secret) {
      out[path] = stored.value;
      continue;
    }
    if (!box) {
      if (options.skipSecrets) continue;
      throw new MailroomError(
        'SECRETS.KEY_MISSING',
        `The saved value of ${path} is sealed and this node has no key to open it: ${SECRET_KEY_HELP}.`,
      );
    }
    out[path] = box.open(stored.value as SealedSecret, path);
  }
  return out;
}

function valueAt(config: unknown, path: string): unknown {
  let node: unknown = config;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
