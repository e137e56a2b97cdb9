import nodemailer from 'nodemailer';

/**
 * The baseline: nodemailer's pooled transport, tuned for throughput (`maxMessages: Infinity`), nothing persisted.
 * Keeps `window` sends in flight, enough to keep every pooled connection busy.
 */
export async function sendRaw(
  port: number,
  poolSize: number,
  messages: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>,
  window = poolSize * 4,
): Promise<void> {
  const transport = nodemailer.createTransport({
    pool: true,
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    maxConnections: poolSize,
    maxMessages: Infinity,
  });
  try {
    const inFlight = new Set<Promise<unknown>>();
    for await (const message of messages) {
      const sending = transport.sendMail(message).finally(() => inFlight.delete(sending));
      inFlight.add(sending);
      if (inFlight.size >= window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    transport.close();
  }
}
