import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorPost {
  conversationId: string;
  replyToId?: string;
  activity: Record<string, unknown> & { text?: string; attachments?: { contentType: string; content: Record<string, unknown> }[] };
  authorization?: string;
}

/** A loopback Bot Connector service: records what the bot sends to `serviceUrl`, can fail on cue. */
export async function startFakeConnector() {
  const posts: ConnectorPost[] = [];
  const failures: { status: number; retryAfter?: number }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
      if (req.method !== 'POST' || !m) {
        res.writeHead(404).end();
        return;
      }
      const failure = failures.shift();
      if (failure) {
        res.writeHead(failure.status, { 'content-type': 'application/json', ...(failure.retryAfter ? { 'retry-after': String(failure.retryAfter) } : {}) });
        res.end(JSON.stringify({ error: { code: 'Throttled', message: 'fake failure' } }));
        return;
      }
      const post: ConnectorPost = { conversationId: decodeURIComponent(m[1]!), activity: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ConnectorPost['activity'] };
      if (m[2]) post.replyToId = decodeURIComponent(m[2]);
      if (req.headers.authorization) post.authorization = req.headers.authorization;
      posts.push(post);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `reply-${posts.length}` }));
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    posts,
    fail: (...f: { status: number; retryAfter?: number }[]) => failures.push(...f),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let n = 0;
/** A Teams message activity as the Bot Connector delivers it. */
export function teamsActivity(serviceUrl: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    type: 'message',
    id: `act-${n}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: '29:user-1', name: 'Analyst', aadObjectId: '00000000-0000-0000-0000-0000000000a1' },
    recipient: { id: '28:bot-1', name: 'ThreatBrief' },
    conversation: { id: 'a:personal-1', conversationType: 'personal', tenantId: 'tenant-1' },
    text: 'who is Flax Typhoon?',
    ...over,
  };
}
