import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the server answers one path: a file (with ETag and Last-Modified), or a misbehaviour. */
export type Behaviour =
  /** `delayMs`: how long the server takes before it answers (a slow publisher). */
  | { kind: 'file'; body: Buffer; lastModified?: string; gzip?: boolean; delayMs?: number }
  | { kind: 'status'; status: number }
  /** Sends part of the body, announces the whole length, then cuts the connection. */
  | { kind: 'truncated'; body: Buffer; sent: number }
  /** Sends the headers, then nothing more until the connection is closed. */
  | { kind: 'stall' }
  | { kind: 'redirect'; to: string; status?: number };

export interface FeedServer {
  url: string;
  /** What `path` serves from now on. */
  serve(path: string, behaviour: Behaviour): void;
  /** Every request: its path and its conditional headers. */
  requests: { path: string; ifNoneMatch?: string; ifModifiedSince?: string }[];
  close(): Promise<void>;
}

const etagOf = (body: Buffer) => `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;

/** A local stand-in for the feed publishers (CISA, MITRE's GitHub, OFAC…), on a loopback port. */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Behaviour>();
  const requests: FeedServer['requests'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    requests.push({ path, ...(inm ? { ifNoneMatch: inm } : {}), ...(ims ? { ifModifiedSince: ims } : {}) });
    const b = routes.get(path);
    if (!b) {
      res.writeHead(404).end('not found');
      return;
    }
    switch (b.kind) {
      case 'file': {
        const etag = etagOf(b.body);
        const headers: Record<string, string> = { etag, 'content-type': 'application/octet-stream' };
        if (b.lastModified) headers['last-modified'] = b.lastModified;
        if (inm === etag) {
          res.writeHead(304, headers).end();
          return;
        }
        if (b.gzip) headers['content-encoding'] = 'gzip';
        setTimeout(() => res.writeHead(200, { ...headers, 'content-length': String(b.body.length) }).end(b.body), b.delayMs ?? 0);
        return;
      }
      case 'status':
        res.writeHead(b.status).end(`HTTP ${b.status}`);
        return;
      case 'truncated':
        res.writeHead(200, { 'content-length': String(b.body.length) });
        res.write(b.body.subarray(0, b.sent), () => res.destroy());
        return;
      case 'stall':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{');
        return;
      case 'redirect':
        res.writeHead(b.status ?? 302, { location: b.to }).end();
        return;
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    serve: (path, behaviour) => routes.set(path, behaviour),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
