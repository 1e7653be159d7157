import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AcsEmailSender } from '../../../adapters/notify/acs-email-sender';
import { PortError } from '../../../core/ports/port-error';

const email = { to: ['oncall@contoso.com'], subject: 'Approve', text: 'link', html: '<a>link</a>' };

/** A stand-in for the ACS Email REST API: the send answers `post`, every status poll answers `status`. */
async function fakeAcs(
  post: number,
  status: string,
): Promise<{ server: Server; sends: () => number; url: string }> {
  let sends = 0;
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const op = {
      id: 'op-1',
      status,
      ...(status === 'Failed' ? { error: { code: 'x', message: 'mailbox full' } } : {}),
    };
    if (req.method === 'POST') {
      sends += 1;
      if (post >= 400) {
        res.writeHead(post, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'BadRequest', message: 'senderAddress is not verified' } }));
        return;
      }
      res.writeHead(202, {
        'content-type': 'application/json',
        'operation-location': `${base}/emails/operations/op-1?api-version=2023-03-31`,
        'retry-after': '0',
      });
      res.end(JSON.stringify({ id: 'op-1', status: 'Running' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'retry-after': '0' });
    res.end(JSON.stringify(op));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const key = Buffer.from('not-a-secret').toString('base64');
  return { server, sends: () => sends, url: `endpoint=http://127.0.0.1:${port}/;accesskey=${key}` };
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function senderFor(post: number, status: string) {
  const acs = await fakeAcs(post, status);
  servers.push(acs.server);
  const sender = new AcsEmailSender(acs.url, 'dr@contoso.com', {
    deliveryWaitMs: 300,
    clientOptions: { allowInsecureConnection: true },
  });
  return { sender, sends: acs.sends };
}

describe('AcsEmailSender', () => {
  it('when ACS reports the message sent, then send resolves after one send request', async () => {
    const { sender, sends } = await senderFor(202, 'Succeeded');
    await expect(sender.send(email)).resolves.toBeUndefined();
    expect(sends()).toBe(1);
  });

  it('when ACS accepted the message but never finishes, then send resolves after the delivery wait and never sends again', async () => {
    const { sender, sends } = await senderFor(202, 'Running');
    const started = Date.now();
    await expect(sender.send(email)).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(sends()).toBe(1);
  });

  it('when ACS reports the message failed, then a terminal error names the status and reason', async () => {
    const { sender } = await senderFor(202, 'Failed');
    const error = await sender.send(email).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortError);
    expect(error).toMatchObject({ info: { kind: 'terminal', code: 'EmailFailed' } });
    expect((error as Error).message).toContain('mailbox full');
  });

  it('when ACS refuses the send with 400, then a terminal error carries the status', async () => {
    const { sender } = await senderFor(400, 'Running');
    const error = await sender.send(email).catch((e: unknown) => e);
    expect(error).toMatchObject({ info: { kind: 'terminal', status: 400 } });
  });
});
