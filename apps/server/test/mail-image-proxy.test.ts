import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { isGongjikError } from '@gongjik/errors';
import { fetchRemoteImage, type Lookup } from '../src/domain/mail/image-proxy.ts';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(1000, 1)]);

const rejectsWith = (p: Promise<unknown>, code: string) =>
  assert.rejects(p, (err: unknown) => isGongjikError(err) && err.code === code);

const resolvesTo =
  (...addresses: string[]): Lookup =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('remote image proxy', () => {
  let server: Server;
  let port: number;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/a.png') {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(PNG);
      } else if (req.url === '/to-private') {
        res.writeHead(302, { location: 'http://10.0.0.1/x.png' });
        res.end();
      } else if (req.url === '/to-private-name') {
        res.writeHead(302, { location: 'http://intranet.example.com/x.png' });
        res.end();
      } else if (req.url === '/page') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<script>');
      } else if (req.url === '/svg') {
        res.writeHead(200, { 'content-type': 'image/svg+xml' });
        res.end('<svg onload="x()"/>');
      } else if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.write(PNG);
        res.end(Buffer.alloc(20_000));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('refuses loopback, private, link-local and IPv6 loopback literals with ERR_MAIL_REMOTE_ADDRESS_REFUSED', async () => {
    for (const url of [
      'http://127.0.0.1/a.png',
      'http://10.1.2.3/a.png',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/a.png',
      'http://[::ffff:127.0.0.1]/a.png',
      'http://0x7f000001/a.png',
      'http://localhost/a.png',
      'file:///etc/passwd',
    ]) {
      await rejectsWith(fetchRemoteImage(url), 'ERR_MAIL_REMOTE_ADDRESS_REFUSED');
    }
  });

  it('refuses a public-looking name that resolves to a private address (every address is checked)', async () => {
    for (const addresses of [
      ['127.0.0.1'],
      ['10.0.0.5'],
      ['169.254.169.254'],
      ['::1'],
      ['93.184.215.14', '192.168.0.1'],
    ]) {
      await rejectsWith(
        fetchRemoteImage('http://images.example.com/a.png', { lookup: resolvesTo(...addresses) }),
        'ERR_MAIL_REMOTE_ADDRESS_REFUSED',
      );
    }
  });

  const allowLoopback = () => ({
    lookup: async (host: string) =>
      host === 'images.example.com'
        ? [{ address: '127.0.0.1', family: 4 }]
        : [{ address: '10.0.0.9', family: 4 }],
    connectPort: port,
    assertAddress: (ip: string) => {
      if (ip !== '127.0.0.1') throw Object.assign(new Error('private'), { code: 'x' });
    },
  });

  it('streams an image from the address it checked', async () => {
    const img = await fetchRemoteImage('http://images.example.com/a.png', allowLoopback());
    assert.equal(img.contentType, 'image/png');
    assert.deepEqual(await buffer(img.body), PNG);
  });

  it('re-checks every redirect and refuses one to a private address or a name resolving to one', async () => {
    await rejectsWith(
      fetchRemoteImage('http://images.example.com/to-private', allowLoopback()),
      'ERR_MAIL_REMOTE_ADDRESS_REFUSED',
    );
    await assert.rejects(
      fetchRemoteImage('http://images.example.com/to-private-name', allowLoopback()),
      /private/,
    );
  });

  it('refuses what is not a raster image, and cuts off an image past the size limit', async () => {
    await rejectsWith(
      fetchRemoteImage('http://images.example.com/page', allowLoopback()),
      'ERR_MAIL_PROXY_FETCH_FAILED',
    );
    await rejectsWith(
      fetchRemoteImage('http://images.example.com/svg', allowLoopback()),
      'ERR_MAIL_PROXY_FETCH_FAILED',
    );
    const big = await fetchRemoteImage('http://images.example.com/big', {
      ...allowLoopback(),
      maxBytes: 5000,
    });
    await rejectsWith(buffer(big.body), 'ERR_MAIL_PROXY_FETCH_FAILED');
  });
});
