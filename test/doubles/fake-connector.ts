import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the Bot Connector service (the `serviceUrl` of an activity), for the
 * tests, the soak and the fuzz runs: records every activity the bot sends, fails or stalls on cue.
 */
export interface ConnectorPost {
  conversationId: string;
  replyToId?: string;
  activity: Record<string, unknown> & {
    text?: string;
    summary?: string;
    attachments?: { contentType: string; content: Record<string, unknown> }[];
  };
  authorization?: string;
  /** When the post arrived (Date.now()). */
  at: number;
}

export interface FakeConnector {
  /** The serviceUrl to put in activities, ending in a slash. */
  readonly url: string;
  /** Successful posts, in order of arrival. */
  readonly posts: ConnectorPost[];
  /** Queues failures for the next posts. */
  fail(...failures: { status: number; retryAfter?: number }[]): void;
  /** Holds every answer this long before sending it (0: answer at once). */
  delay(ms: number): void;
  close(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const posts: ConnectorPost[] = [];
  const failures: { status: number; retryAfter?: number }[] = [];
  let delayMs = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = () => {
        const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
        if (req.method !== 'POST' || !m) {
          res.writeHead(404).end();
          return;
        }
        const failure = failures.shift();
        if (failure) {
          res.writeHead(failure.status, {
            'content-type': 'application/json',
            ...(failure.retryAfter ? { 'retry-after': String(failure.retryAfter) } : {}),
          });
          res.end(JSON.stringify({ error: { code: 'Throttled', message: 'fake failure' } }));
          return;
        }
        const post: ConnectorPost = {
          conversationId: decodeURIComponent(m[1]!),
          activity: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ConnectorPost['activity'],
          at: Date.now(),
        };
        if (m[2]) post.replyToId = decodeURIComponent(m[2]);
        if (req.headers.authorization) post.authorization = req.headers.authorization;
        posts.push(post);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `reply-${posts.length}` }));
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    posts,
    fail: (...f) => void failures.push(...f),
    delay: (ms) => {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Everything a Teams user could read in a post: its text, its summary and every text of its cards. */
export function shownText(post: ConnectorPost): string {
  const { text = '', summary = '', attachments = [] } = post.activity;
  return [text, summary, ...attachments.map((a) => JSON.stringify(a.content))].filter(Boolean).join('\n');
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
