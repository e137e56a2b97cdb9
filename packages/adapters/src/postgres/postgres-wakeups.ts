import type { Wakeups } from '@mailroom/domain';
import { Client, type ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import { poolClientConfig } from './data-source';
import { WAKEUP_CHANNEL } from './migrations';
import { PostgresError } from './postgres-errors';
import { SETTINGS_CHANNEL } from './postgres-settings-store';
import { schemaName, type SchemaSettings } from './postgres-settings';

export interface WakeupSettings extends SchemaSettings {
  /** The listening connection: a URL or pg's client settings. It stays open, outside any pool. */
  readonly connection: string | ClientConfig;
  /** Wait before the first reconnect after the connection drops; it doubles after each failed try. Default 1 000 ms. */
  readonly reconnectDelayMs?: number;
  /** The longest wait between reconnect tries. Default 30 000 ms. */
  readonly maxReconnectDelayMs?: number;
  /** Told once when the connection is lost (not at every failed reconnect); the wake-ups reconnect on their own. */
  readonly onError?: (error: PostgresError) => void;
  /** Told once when it listens again after a loss. */
  readonly onRestored?: () => void;
}

/**
 * Wakes workers when a mail is added: LISTEN on a dedicated connection; the outbox's insert trigger NOTIFYs once
 * per statement. While the connection is down nothing wakes a worker, so the app keeps polling as a fallback
 * (`wait(timeoutMs)` returns false on the timeout). After a reconnect it wakes once, for what it may have missed.
 */
export class PostgresWakeups implements Wakeups {
  private client: Client | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly settingsListeners = new Set<() => void>();
  private readonly schema: string;
  /** A wake that came while nobody waited: the next `wait` returns at once, so none is lost between two waits. */
  private missed = false;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelayMs = 0;

  constructor(private readonly settings: WakeupSettings) {
    this.schema = schemaName(settings);
  }

  /** Listens with the same connection settings as the DataSource's pool. */
  static forDataSource(dataSource: DataSource, settings: Omit<WakeupSettings, 'connection'> = {}): PostgresWakeups {
    const connection = poolClientConfig(dataSource);
    if (connection === undefined) {
      throw new PostgresError(
        'POSTGRES.LISTEN_FAILED',
        'The DataSource has no pg pool yet: initialise it (a postgres DataSource) before creating its wake-ups.',
      );
    }
    return new PostgresWakeups({ ...settings, connection });
  }

  /** Connects and listens. Throws `POSTGRES.LISTEN_FAILED` when the first connection fails. */
  async start(): Promise<void> {
    this.closed = false;
    await this.connect();
  }

  /** Calls `listener` on every wake; returns the function that stops it. */
  onWake(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Calls `listener` when a settings change of this schema was committed, and after a reconnect. */
  onSettingsChanged(listener: () => void): () => void {
    this.settingsListeners.add(listener);
    return () => void this.settingsListeners.delete(listener);
  }

  /** Resolves true when woken, false after `timeoutMs` without a wake. */
  wait(timeoutMs: number): Promise<boolean> {
    if (this.missed) {
      this.missed = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const done = (woken: boolean) => {
        clearTimeout(timer);
        off();
        resolve(woken);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      const off = this.onWake(() => done(true));
    });
  }

  /** Stops listening and closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end();
  }

  private wake(): void {
    if (this.listeners.size === 0) {
      this.missed = true;
      return;
    }
    for (const listener of [...this.listeners]) listener();
  }

  private settingsChanged(): void {
    for (const listener of [...this.settingsListeners]) listener();
  }

  private async connect(): Promise<void> {
    const client = new Client(
      typeof this.settings.connection === 'string' ? { connectionString: this.settings.connection } : this.settings.connection,
    );
    client.on('notification', (message) => {
      if (message.channel === WAKEUP_CHANNEL && message.payload === this.schema) this.wake();
      else if (message.channel === SETTINGS_CHANNEL && message.payload?.startsWith(`${this.schema}:`)) this.settingsChanged();
    });
    client.on('error', (error) => this.dropped(client, error));
    client.on('end', () => this.dropped(client, new Error('the connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${WAKEUP_CHANNEL}; LISTEN ${SETTINGS_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined); // the connection failed already; that error is the one to report
      throw new PostgresError(
        'POSTGRES.LISTEN_FAILED',
        `Cannot listen for new mails: ${(error as Error).message}. Check the database URL and that PostgreSQL is running; workers fall back to polling.`,
        { cause: error },
      );
    }
    if (this.closed) {
      await client.end(); // closed while connecting
      return;
    }
    this.client = client;
  }

  private dropped(client: Client, error: Error): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    this.settings.onError?.(
      new PostgresError('POSTGRES.LISTEN_FAILED', `The wake-up connection dropped (${error.message}); reconnecting, polling meanwhile.`, {
        cause: error,
      }),
    );
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const first = this.settings.reconnectDelayMs ?? 1000;
    this.reconnectDelayMs =
      this.reconnectDelayMs === 0 ? first : Math.min(this.settings.maxReconnectDelayMs ?? 30_000, this.reconnectDelayMs * 2);
    this.reconnectTimer = setTimeout(() => {
      this.connect().then(
        () => {
          this.reconnectDelayMs = 0;
          this.settings.onRestored?.();
          this.wake();
          this.settingsChanged(); // a change saved while the connection was down
        },
        () => {
          // Still down: said once already, when the connection was lost; try again later, less often.
          if (!this.closed) this.scheduleReconnect();
        },
      );
    }, this.reconnectDelayMs);
    this.reconnectTimer.unref();
  }
}
