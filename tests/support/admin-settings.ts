import type { AdminSettings, SettingsAuditEntry, SettingsPage, SettingsUpdate, SettingView } from '@mailroom/app';
import { ConfigError, MailroomError } from '@mailroom/app';
import { SettingsConflictError } from '@mailroom/domain';

interface Known {
  readonly type: SettingView['type'];
  readonly secret?: boolean;
  readonly locked?: boolean;
}

/**
 * `mailroom.settings` as the lead's contract describes it, small and working: versioned, refusing a stale
 * `expectedVersion` (SettingsConflictError), a wrong value or a locked setting (ConfigError), and a secret without a
 * key (`SECRETS.KEY_MISSING`); audited with secrets recorded only as changed. Until Mailroom has its own.
 */
export class ContractSettings implements AdminSettings {
  version = 0;
  /** When false, storing a secret fails as a node without MAILROOM_SECRET_KEY does. */
  hasKey = true;
  readonly updates: { update: SettingsUpdate; by: string }[] = [];
  private readonly values = new Map<string, unknown>();
  private readonly audit: SettingsAuditEntry[] = [];

  constructor(private readonly known: Readonly<Record<string, Known>>) {}

  view(): SettingsPage {
    const settings = Object.entries(this.known).map(([path, k]): SettingView => {
      const stored = this.values.has(path);
      return {
        path,
        variable: `MAILROOM_${path
          .replace(/\./g, '_')
          .replace(/([a-z])([A-Z])/g, '$1_$2')
          .toUpperCase()}`,
        type: k.type,
        ...(stored && !k.secret ? { value: this.values.get(path) } : {}),
        secret: k.secret ?? false,
        set: stored,
        source: k.locked ? 'environment' : stored ? 'stored' : 'default',
        locked: k.locked ?? false,
        runTime: true,
      };
    });
    return { version: this.version, settings };
  }

  async update(update: SettingsUpdate, by: string): Promise<SettingsPage> {
    this.updates.push({ update, by });
    if (update.expectedVersion !== undefined && update.expectedVersion !== this.version)
      throw new SettingsConflictError(update.expectedVersion, this.version);
    const issues = [
      ...Object.entries(update.set ?? {}).map(([path, value]) => this.problem(path, value)),
      ...(update.unset ?? []).map((p) => this.problem(p)),
    ];
    const found = issues.filter((i) => i !== undefined);
    if (found.length > 0) throw new ConfigError(found);
    if (!this.hasKey && Object.keys(update.set ?? {}).some((p) => this.known[p]!.secret))
      throw new MailroomError('SECRETS.KEY_MISSING', 'There is no key to seal secrets with: set MAILROOM_SECRET_KEY.');
    const changes = [
      ...Object.entries(update.set ?? {}).map(([path, to]) => {
        const secret = this.known[path]!.secret ?? false;
        const from = this.values.get(path);
        this.values.set(path, to);
        return { path, change: 'set' as const, secret, ...(secret ? {} : { ...(from === undefined ? {} : { from }), to }) };
      }),
      ...(update.unset ?? []).map((path) => {
        this.values.delete(path);
        return { path, change: 'unset' as const, secret: this.known[path]!.secret ?? false };
      }),
    ];
    this.version++;
    this.audit.unshift({ version: this.version, at: new Date(), by, changes });
    return this.view();
  }

  async history(limit: number, beforeVersion?: number): Promise<SettingsAuditEntry[]> {
    return this.audit.filter((e) => beforeVersion === undefined || e.version < beforeVersion).slice(0, limit);
  }

  private problem(path: string, value?: unknown): { setting: string; problem: string } | undefined {
    const known = this.known[path];
    if (!known) return { setting: path, problem: 'is not a setting' };
    if (known.locked) return { setting: path, problem: 'is set by its environment variable: change it there' };
    if (value === undefined) return undefined;
    const ok =
      known.type === 'int' ? Number.isInteger(value) : known.type === 'boolean' ? typeof value === 'boolean' : typeof value === 'string';
    return ok ? undefined : { setting: path, problem: `must be ${known.type === 'int' ? 'a whole number' : `a ${known.type}`}` };
  }
}
