import { TokenEndpointError } from '../../../packages/adapters/src/oauth/token-endpoint-error';
import { classifySendFailure } from '../../../packages/adapters/src/smtp/classify-send-failure';
import { CONFIG_SETTING_NAMES } from '../../../packages/app/src/config/smtp-setting-names';
import { MailSendError, NO_SUCH_MAILBOX } from '@mailroom/domain';

const smtpError = (fields: Record<string, unknown>): Error => Object.assign(new Error(String(fields.message ?? 'failed')), fields);
const reply = (code: string, response: string, command = 'DATA') =>
  classifySendFailure(
    smtpError({ code, response, responseCode: Number(response.slice(0, 3)), command, message: `Message failed: ${response}` }),
    { server: 'smtp.test:587' },
  );

describe('classifySendFailure', () => {
  it.each([
    ['421 4.7.0 Try again later, closing connection', 'transient'],
    ['451 4.3.0 Mail server temporarily rejected message', 'transient'],
    ['432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded', 'transient'],
    ['554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException', 'transient'],
    ['550 5.6.0 Message content rejected', 'permanent'],
    ['552 5.3.4 Message size exceeds fixed maximum message size', 'permanent'],
    ['554 5.2.252 SendAsDenied; mailroom@x.com not allowed to send as boss@x.com', 'configuration'],
    ['550 5.7.60 SMTP; Client does not have permissions to send as this sender', 'configuration'],
    ['530 5.7.57 Client not authenticated to send mail', 'configuration'],
    ['550 5.7.30 Basic authentication is not supported for Client Submission', 'configuration'],
    ['430 4.2.0 STOREDRV; mailbox logon failure', 'configuration'],
  ])('%s → %s', (response, failure) => {
    const error = reply('EMESSAGE', response);
    expect(error).toBeInstanceOf(MailSendError);
    expect(error.failure).toBe(failure);
    expect(error.responseCode).toBe(Number(response.slice(0, 3)));
    expect(error.response).toBe(response);
  });

  it('keeps the enhanced code and adds the Exchange hint', () => {
    const error = reply(
      'EAUTH',
      '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.',
      'AUTH PLAIN',
    );
    expect(error).toMatchObject({ failure: 'configuration', enhancedCode: '5.7.139', code: 'SEND.CONFIGURATION.SMTP_AUTH_DISABLED' });
    expect(error.hint).toMatch(/Set-CASMailbox/);
    expect(reply('EAUTH', '535 5.7.139 Authentication unsuccessful, basic authentication is disabled.', 'AUTH LOGIN').code).toBe(
      'SEND.CONFIGURATION.PASSWORD_AUTH_BLOCKED',
    );
  });

  it('a sending quota pauses delivery instead of spending attempts', () => {
    const error = reply(
      'EMESSAGE',
      '554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message',
      'DATA',
    );
    expect(error).toMatchObject({
      failure: 'transient',
      code: 'SEND.TRANSIENT.QUOTA',
      pauseMs: 15 * 60_000,
      holdsDelivery: true,
      stopsDelivery: false,
    });
    expect(error.hint).toMatch(/daily recipient limit/);
    expect(reply('EMESSAGE', '451 4.3.0 Mail server temporarily rejected message', 'DATA')).toMatchObject({ holdsDelivery: false });
  });

  it('535 5.7.3 is an authentication failure with the Exchange checklist', () => {
    const error = reply('EAUTH', '535 5.7.3 Authentication unsuccessful', 'AUTH XOAUTH2');
    expect(error).toMatchObject({ failure: 'authentication', enhancedCode: '5.7.3', code: 'SEND.AUTHENTICATION' });
    expect(error.hint).toMatch(/outlook\.office365\.com\/\.default/);
  });

  it('every recipient refused is permanent and names them', () => {
    const error = classifySendFailure(
      smtpError({
        code: 'EENVELOPE',
        message: "Can't send mail - all recipients were rejected: 550 5.1.1 User unknown",
        response: '550 5.1.1 User unknown',
        responseCode: 550,
        command: 'RCPT TO',
        rejectedErrors: [{ recipient: 'nobody@example.com', response: '550 5.1.1 User unknown' }],
      }),
    );
    expect(error).toMatchObject({ failure: 'permanent', enhancedCode: '5.1.1' });
    expect(error.message).toContain('nobody@example.com');
  });

  it.each([
    ['550 5.1.1 <a@example.com>: Recipient address rejected: User unknown', 'RCPT TO', true],
    ['550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', 'RCPT TO', true],
    ['550 5.1.0 Address rejected', 'RCPT TO', true],
    ['550 5.4.1 Recipient address rejected: Access denied. AS(201806281)', 'RCPT TO', true],
    // 5.1.0 after MAIL FROM is about the sender; a full mailbox or a policy refusal is no dead address.
    ['550 5.1.0 Sender denied', 'MAIL FROM', false],
    ['552 5.2.2 Mailbox full', 'RCPT TO', false],
    ['550 5.7.1 Delivery not authorized', 'RCPT TO', false],
    ['550 5.4.1 Relay access denied', 'RCPT TO', false],
  ])('%s (on %s) says the mailbox does not exist: %s', (response, command, dead) => {
    const error = classifySendFailure(
      smtpError({ code: 'EENVELOPE', message: response, response, responseCode: Number(response.slice(0, 3)), command }),
    );
    expect(error.failure).toBe('permanent');
    expect(error.code === NO_SUCH_MAILBOX).toBe(dead);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET'])('a socket %s is transient', (originalCode) => {
    expect(
      classifySendFailure(smtpError({ code: 'ESOCKET', originalCode, message: `connect ${originalCode} 10.0.0.1:587` })),
    ).toMatchObject({
      failure: 'transient',
      code: 'SEND.TRANSIENT.CONNECTION',
    });
  });

  it('timeouts are transient, with a hint about the port for a silent greeting', () => {
    const error = classifySendFailure(
      smtpError({ code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT', message: 'Greeting never received' }),
    );
    expect(error.failure).toBe('transient');
    expect(error.hint).toMatch(/port/);
  });

  it.each([
    ['Error initiating TLS - self-signed certificate in certificate chain', /not trusted/],
    ["Hostname/IP does not match certificate's altnames: Host: a. is not in the cert's altnames: DNS:b", /does not match the host name/],
    ['certificate has expired', /expired/],
    ['ssl3_get_record:wrong version number', /TLS mode/],
  ])('TLS: %s → configuration', (message, what) => {
    const error = classifySendFailure(smtpError({ code: 'ESOCKET', message }));
    expect(error).toMatchObject({ failure: 'configuration', code: 'SEND.CONFIGURATION.TLS' });
    expect(error.message).toMatch(what);
  });

  it('a wrong protocol on the port is a configuration error', () => {
    expect(classifySendFailure(smtpError({ code: 'EPROTOCOL', message: 'Invalid greeting. response=HTTP/1.1 400' })).failure).toBe(
      'configuration',
    );
  });

  it('a 421 greeting (busy, closing) is transient, not a wrong port', () => {
    for (const response of ['421 4.7.0 Server busy, try again later', '421 Service not available']) {
      const error = classifySendFailure(
        smtpError({ code: 'EPROTOCOL', message: `Invalid greeting. response=${response}`, response, responseCode: 421 }),
      );
      expect(error).toMatchObject({ failure: 'transient', responseCode: 421 });
    }
  });

  it('a token endpoint error inside the cause chain keeps its class and hint', () => {
    const token = new TokenEndpointError('OAUTH.TOKEN_REFUSED', 'configuration', 'AADSTS700016: app not found', {
      providerCode: 'AADSTS700016',
      hint: 'check the client id',
    });
    const error = classifySendFailure(Object.assign(new Error('Could not get an OAuth2 access token'), { code: 'EAUTH', cause: token }));
    expect(error).toMatchObject({ failure: 'configuration', code: 'SEND.CONFIGURATION.TOKEN', hint: 'check the client id' });
  });

  it('removes secrets and AUTH arguments from messages and replies', () => {
    const error = classifySendFailure(
      smtpError({
        code: 'EAUTH',
        message: 'Invalid login: 535 bad AUTH PLAIN AHVzZXIAcGFzcw== for pa55word!',
        response: '535 5.7.8 pa55word! refused',
        responseCode: 535,
      }),
      { secrets: ['pa55word!'] },
    );
    expect(`${error.message} ${error.response}`).not.toMatch(/pa55word|AHVzZXIAcGFzcw==/);
  });

  it('432 4.3.2 is the Exchange connection limit; 421 4.3.2 (service shutting down) is an ordinary transient failure', () => {
    const limit = reply(
      'EMESSAGE',
      '432 4.3.2 Concurrent connections limit exceeded. Visit https://aka.ms/concurrent_sending for more information.',
      'MAIL FROM',
    );
    expect(limit).toMatchObject({ failure: 'transient', code: 'SEND.TRANSIENT.CONNECTION_LIMIT' });
    for (const [code, response] of [
      ['EMESSAGE', '421 4.3.2 Service shutting down'],
      ['EPROTOCOL', '421 4.3.2 Service shutting down'],
      ['EAUTH', '421 4.3.2 Service not available, closing transmission channel'],
    ] as const) {
      const error = reply(code, response, code === 'EAUTH' ? 'AUTH PLAIN' : 'MAIL FROM');
      expect(error).toMatchObject({ failure: 'transient', responseCode: 421 });
      expect(error.code).not.toBe('SEND.TRANSIENT.CONNECTION_LIMIT');
      expect(error.message).not.toMatch(/pool|concurrent/i);
    }
  });

  it('a refused login advises the settings of the auth type in use', () => {
    const refused = (auth: 'direct' | 'oauth2') =>
      classifySendFailure(
        smtpError({
          code: 'EAUTH',
          message: 'Invalid login: 535 5.7.8 Authentication failed',
          response: '535 5.7.8 Authentication failed',
          responseCode: 535,
        }),
        {
          auth,
          names: CONFIG_SETTING_NAMES,
        },
      );
    expect(refused('direct').hint).toBe(
      'Check smtp.auth.username (MAILROOM_SMTP_USERNAME) and smtp.auth.password (MAILROOM_SMTP_PASSWORD).',
    );
    expect(refused('oauth2').hint).toMatch(
      /^Check the OAuth2 app settings: smtp\.auth\.username \(MAILROOM_SMTP_USERNAME\) is the mailbox .*smtp\.auth\.scope/,
    );
    expect(refused('oauth2').hint).not.toMatch(/password/);
  });

  it('messages end each sentence with one full stop, whatever the server or library put at the end of its own', () => {
    const exchange432 = '432 4.3.2 Concurrent connections limit exceeded. Visit https://aka.ms/concurrent_sending for more information.';
    const replies = [
      exchange432,
      '421 4.3.2 Service shutting down.',
      '451 4.3.0 Mail server temporarily rejected message.',
      '550 5.1.1 User unknown.',
      '535 5.7.3 Authentication unsuccessful.',
      '535 5.7.8 Error: authentication failed.',
      '554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception.',
      '530 5.7.57 Client not authenticated to send mail.',
    ];
    const messages: string[] = [];
    for (const response of replies) {
      for (const code of ['EAUTH', 'EENVELOPE', 'EMESSAGE', 'EPROTOCOL', undefined]) {
        for (const auth of ['direct', 'oauth2'] as const) {
          const error = classifySendFailure(
            smtpError({
              code,
              response,
              responseCode: Number(response.slice(0, 3)),
              command: 'MAIL FROM',
              message: `Message failed: ${response}`,
            }),
            { server: 'smtp.test:587', auth },
          );
          messages.push(error.message, error.hint ?? '');
        }
      }
    }
    for (const message of ['Greeting never received.', 'Connection closed.', 'getaddrinfo ENOTFOUND smtp.test.']) {
      for (const code of ['ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNECTION'])
        messages.push(classifySendFailure(smtpError({ code, message, originalCode: 'ENOTFOUND' })).message);
    }
    expect(messages.filter((m) => /[.!?]\s*\.(?!\.)/.test(m))).toEqual([]);
    expect(messages.filter((m) => m !== '' && !/[.!?]$/.test(m))).toEqual([]);
  });

  it('returns a MailSendError unchanged', () => {
    const original = new MailSendError('permanent', 'x');
    expect(classifySendFailure(original)).toBe(original);
  });
});
