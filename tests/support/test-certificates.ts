import { generate } from 'selfsigned';

export interface TestCertificates {
  /** PEM of the CA that signed the server certificate. */
  readonly ca: string;
  /** PEM of an unrelated CA: trusting it instead must fail. */
  readonly otherCa: string;
  readonly key: string;
  readonly cert: string;
  /** The only name in the server certificate. */
  readonly serverName: string;
}

async function makeCa(name: string) {
  return generate([{ name: 'commonName', value: name }], {
    keyType: 'ec',
    // selfsigned defaults to SHA-1, which OpenSSL 3 refuses ("ca md too weak").
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
}

/** A CA and a server certificate for `mail.mailroom.test` signed by it, generated for this test run. */
export async function makeTestCertificates(): Promise<TestCertificates> {
  const serverName = 'mail.mailroom.test';
  const [ca, other] = await Promise.all([makeCa('Mailroom Test CA'), makeCa('Some Other CA')]);
  const server = await generate([{ name: 'commonName', value: serverName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: serverName }] },
    ],
  });
  return { ca: ca.cert, otherCa: other.cert, key: server.private, cert: server.cert, serverName };
}
