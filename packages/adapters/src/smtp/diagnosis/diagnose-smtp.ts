import { isIP, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { SMTPConnectionOptions } from 'nodemailer/lib/smtp-connection';
import { createTokenSource, type TokenSourceEnvironment } from '../../oauth/create-token-source';
import { isMicrosoftTokenUrl } from '../../oauth/microsoft-token-url';
import type { TokenSource } from '../../oauth/token-source';
import { classifySendFailure } from '../classify-send-failure';
import { toNodemailerOptions, type NodemailerPoolOptions } from '../nodemailer-options';
import { observedTokenSource, saslHandlersFor } from '../sasl-handlers';
import type { SmtpSettings } from '../smtp-settings';
import { certificateProblem, describeTls } from './certificate-check';
import { StepFailed, type DiagnosisStep } from './diagnosis-step';
import { ehloFindings } from './ehlo-findings';
import { connectFailure, greetingFailure, handshakeFailure, resolveFailure } from './network-advice';
import { connectFirst, handshake, resolveHost } from './network';
import { authFailure, mailFromFailure } from './reply-advice';
import { SMTP_SETTING_NAMES, type SettingNames } from './setting-names';
import { SmtpSession } from './smtp-session';
import { startTlsFailure } from './starttls-advice';
import { StepRecorder } from './step-recorder';
import { SmtpTranscript } from './smtp-transcript';
import { tokenClaimProblem, tokenValidityFailure } from './token-claim-advice';
import { describeTokenClaims, readTokenClaims } from './token-claims';
import { tokenFailure } from './token-advice';

export interface DiagnoseSmtpOptions {
  /** The From address mail goes out with; checked with `MAIL FROM` (no message is sent). */
  readonly from: string;
  /** Where XOAUTH2 tokens come from; default: `createTokenSource` for the settings' token URL. */
  readonly tokenSource?: TokenSource;
  /** For the default token source (a proxy-aware fetch). */
  readonly tokenEnvironment?: TokenSourceEnvironment;
  /** Limit for each network step (DNS, connect, TLS, each SMTP reply). Default 10 s. */
  readonly timeoutMs?: number;
  /** The names the caller's admins know for the settings, used in every fix. */
  readonly names?: Partial<SettingNames>;
  /** Told each step as it completes (secrets removed), in order, before the whole list is returned. */
  readonly onStep?: (step: DiagnosisStep) => void;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Walks the way to the SMTP server step by step — resolve, connect, TLS, EHLO, token, AUTH, MAIL FROM —
 * with the adapter's own option mapping and SASL handlers, and stops at the first failure with its
 * cause and fix. Never sends a message (MAIL FROM, then RSET and QUIT) and never returns a secret.
 */
export async function diagnoseSmtp(settings: SmtpSettings, options: DiagnoseSmtpOptions): Promise<DiagnosisStep[]> {
  const names: SettingNames = { ...SMTP_SETTING_NAMES, ...options.names };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { host, port, tls, auth } = settings;
  const tokensSeen: string[] = [];
  const tokens =
    auth.kind === 'oauth2'
      ? observedTokenSource(options.tokenSource ?? createTokenSource(auth, { ...options.tokenEnvironment, names }), (t) =>
          tokensSeen.push(t),
        )
      : undefined;
  const steps = new StepRecorder(options.onStep, () => secretsOf(settings, tokensSeen));
  const transcript = new SmtpTranscript();
  let addresses: string[] = [];
  let socket: Socket | undefined;
  let session: SmtpSession | undefined;

  try {
    await steps.run('resolve', async () => {
      addresses = await resolveHost(host, timeoutMs).catch((error: unknown) => {
        throw new StepFailed(resolveFailure(host, error, names));
      });
      return { detail: isIP(host.replace(/^\[|\]$/g, '')) ? `${host} is an IP address` : `${host} → ${addresses.join(', ')}` };
    });

    await steps.run('connect', async () => {
      const connected = await connectFirst(addresses, port, timeoutMs).catch((error: unknown) => {
        throw new StepFailed(connectFailure((error as { address?: string }).address ?? host, port, error, timeoutMs, names));
      });
      socket = connected.socket;
      return { detail: `TCP ${connected.address}:${port} connected` };
    });

    // The adapter's own mapping, so the diagnosis negotiates exactly as sending does.
    let mapped: NodemailerPoolOptions | undefined;
    let postTlsError: unknown;
    const sessionOptions = (extra: SMTPConnectionOptions): SMTPConnectionOptions => ({
      host,
      port,
      ...(mapped!.servername === undefined ? {} : { servername: mapped!.servername }),
      ...(mapped!.name === undefined ? {} : { name: mapped!.name }),
      tls: { ...mapped!.tls, rejectUnauthorized: false }, // checked by certificateProblem before any credential is sent
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      customAuth: mapped!.customAuth,
      logger: transcript.logger,
      transactionLog: true,
      ...extra,
    });
    const expectedName = settings.tls.servername ?? host;

    if (tls.mode === 'none') {
      await steps.run('tls', async () => {
        mapped = mapOptions(settings, tokens, names); // refuses credentials without TLS unless allowed
        session = new SmtpSession(sessionOptions({ connection: socket, ignoreTLS: true }));
        return { skipped: true, detail: 'TLS mode none: nothing is encrypted (only for a local relay or a development catcher)' };
      });
    } else if (tls.mode === 'implicit') {
      await steps.run('tls', async () => {
        mapped = mapOptions(settings, tokens, names);
        const secured: TLSSocket = await handshake(
          socket!,
          { ...mapped.tls, host, ...(mapped.servername ? { servername: mapped.servername } : isIP(host) ? {} : { servername: host }) },
          timeoutMs,
        ).catch((error: unknown) => {
          throw new StepFailed(handshakeFailure(error, tls.mode, port, names));
        });
        socket = secured;
        const problem = certificateProblem(secured, expectedName, names);
        if (problem) throw new StepFailed(problem);
        return { detail: describeTls(secured) };
      });
      if (!steps.failed) session = new SmtpSession(sessionOptions({ connection: socket, secure: true, secured: true }));
    } else {
      await steps.run('tls', async () => {
        mapped = mapOptions(settings, tokens, names);
        session = new SmtpSession(sessionOptions({ connection: socket, requireTLS: true }));
        const started = Date.now();
        try {
          await session.connect();
        } catch (error) {
          if (!session.secure) throw new StepFailed(startTlsFailure(error, transcript, port, names));
          postTlsError = error; // TLS is up; the EHLO after it failed
        }
        const problem = certificateProblem(session.socket!, expectedName, names);
        if (problem) throw new StepFailed(problem);
        // Up to the EHLO after TLS; that EHLO is the next step's time.
        return {
          detail: `STARTTLS accepted; ${describeTls(session.socket!)}`,
          durationMs: (transcript.lastSent('EHLO') ?? Date.now()) - started,
        };
      });
    }

    await steps.run('ehlo', async () => {
      const started = Date.now();
      if (tls.mode !== 'starttls') {
        await session!.connect().catch((error: unknown) => {
          throw new StepFailed(greetingFailure(error, tls.mode, port, names));
        });
      } else if (postTlsError !== undefined) {
        throw new StepFailed(greetingFailure(postTlsError, tls.mode, port, names));
      }
      const findings = ehloFindings(session!.lastReply, settings, names);
      if ('cause' in findings) throw new StepFailed(findings);
      const ehloAt = transcript.lastSent('EHLO');
      return {
        detail: findings.detail,
        durationMs:
          tls.mode === 'starttls' && ehloAt !== undefined ? (transcript.lines.at(-1)?.at ?? ehloAt) - ehloAt : Date.now() - started,
      };
    });

    // What the token shows is wrong for Exchange (audience, role): the cause to name if the login fails.
    let tokenProblem: { cause: string; fix: string } | undefined;
    if (auth.kind === 'oauth2') {
      await steps.run('token', async () => {
        const token = await tokens!.getToken().catch((error: unknown) => {
          throw new StepFailed(tokenFailure(error, auth.tokenUrl, names));
        });
        const now = new Date();
        const claims = readTokenClaims(token.accessToken);
        const invalid = claims === undefined ? undefined : tokenValidityFailure(claims, now, auth.tokenUrl, names);
        if (invalid) throw new StepFailed(invalid);
        if (claims !== undefined && (claims.entra || isMicrosoftTokenUrl(auth.tokenUrl))) tokenProblem = tokenClaimProblem(claims, names);
        const expiresAt = claims?.expiresAt ?? token.expiresAt;
        const minutes = expiresAt ? Math.round((expiresAt.getTime() - now.getTime()) / 60_000) : undefined;
        return {
          detail: `token from ${auth.tokenUrl}${minutes === undefined ? '' : `, valid for ${minutes} min`}${claims ? `; ${describeTokenClaims(claims)}` : ''}`,
        };
      });
    } else {
      steps.notNeeded('token', `no OAuth2 (auth ${auth.kind})`);
    }

    if (auth.kind === 'none') {
      steps.notNeeded('auth', 'auth none: no login');
    } else {
      await steps.run('auth', async () => {
        await session!.login(mapped!.auth!).catch((error: unknown) => {
          const classified = classifySendFailure(error, { server: `${host}:${port}`, secrets: secretsOf(settings, tokensSeen) });
          throw new StepFailed(authFailure(classified, auth, names, tokenProblem));
        });
        const mechanism = /^AUTH\s+(\S+)/i.exec(transcript.lastCommand('AUTH ') ?? '')?.[1];
        return {
          detail: `logged in as ${auth.username}${mechanism && !mechanism.startsWith('MAILROOM-') ? ` with ${mechanism}` : auth.kind === 'oauth2' ? ' with XOAUTH2' : ''}`,
        };
      });
    }

    await steps.run('mail-from', async () => {
      const [mailFrom] = await session!.send(`MAIL FROM:<${options.from}>`, 'RSET');
      const reply = mailFrom?.response ?? '';
      if (mailFrom?.status !== 250) throw new StepFailed(mailFromFailure(reply || 'no reply', options.from, auth, names));
      return {
        detail: `MAIL FROM:<${options.from}> accepted (${reply}); RSET, no message sent. Some servers (Exchange Online) check the sender only when a message is sent: mailroom send-test checks that end to end.`,
      };
    });
  } finally {
    session?.close();
    if (!session) socket?.destroy();
  }
  return steps.finish(secretsOf(settings, tokensSeen));
}

function mapOptions(settings: SmtpSettings, tokens: TokenSource | undefined, names: SettingNames): NodemailerPoolOptions {
  try {
    // One connection, whatever the pool size says.
    return toNodemailerOptions({ ...settings, poolSize: 1 }, saslHandlersFor(settings.auth, tokens, settings.clientName));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new StepFailed({
      detail: message,
      code: (error as { code?: string }).code,
      cause: message,
      fix: `Set ${names.tls} to "starttls" or "implicit".`,
    });
  }
}

function secretsOf(settings: SmtpSettings, tokens: readonly string[]): (string | undefined)[] {
  const { auth } = settings;
  if (auth.kind === 'direct') return [auth.password];
  if (auth.kind === 'oauth2') return [auth.clientSecret, ...tokens];
  return [];
}
