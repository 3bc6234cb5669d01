import type { IncomingMessage } from 'node:http';
import { request } from 'node:http';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { blockKitToHtml, mrkdwnToHtml } from '../adapters/console/block-kit-html.js';
import { consoleMayAnswer, hostName, isLoopbackAddress } from '../adapters/console/guard.js';
import { type RunningService, startService } from '../adapters/serve.js';
import { loadServiceConfig } from '../src/app/config.js';
import { createFeedState } from '../src/feeds/state.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { copyKnowledge, MINI_KNOWLEDGE, tempDir } from './helpers.js';

const WEBHOOK_TOKEN = 'webhook-token-0123456789abcdef';
const ADMIN_TOKEN = 'console-admin-token-0123456789';

let service: RunningService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

async function start(env: Record<string, string> = {}, knowledge = MINI_KNOWLEDGE) {
  const dbPath = join(tempDir(), 'console.db');
  const config = loadServiceConfig({
    PORT: '0',
    DATABASE_PATH: dbPath,
    KNOWLEDGE_DIR: knowledge,
    ADVISORY_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
    ...env,
  });
  service = await startService({ config, logger: pino({ level: 'silent' }), host: '127.0.0.1' });
  return { base: `http://localhost:${service.port}`, port: service.port, dbPath };
}

/** A raw request, so that the Host header can be anything (fetch always sends the URL's). */
function raw(port: number, path: string, host: string): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the chat page as a browser would: its session cookie and the CSRF token in the page. */
async function openPage(base: string, path = '/') {
  const res = await fetch(`${base}${path}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const html = await res.text();
  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(html)?.[1] ?? '';
  return { cookie, csrf, html, res };
}

async function ask(base: string, session: { cookie: string; csrf: string }, text: string) {
  const res = await fetch(`${base}/console/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
    body: JSON.stringify({ text }),
  });
  return { status: res.status, body: (await res.json()) as { slackHtml: string; card: { body: unknown[] }; text: string } };
}

function form(session: { cookie: string }, fields: Record<string, string>, extraCookie = '') {
  return {
    method: 'POST',
    redirect: 'manual' as const,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [session.cookie, extraCookie].filter(Boolean).join('; ') },
    body: new URLSearchParams(fields).toString(),
  };
}

describe('the web console over HTTP', () => {
  it('serves the chat page at / with a strict Content-Security-Policy and links the admin view', async () => {
    const { base } = await start();
    const { res, html } = await openPage(base);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(html).toContain('<a href="/admin">Admin</a>');
    // Everything the page loads comes from this server.
    expect(html.match(/(?:src|href)="([^"]+)"/g)?.every((a) => /="\/(?!\/)/.test(a))).toBe(true);
    for (const asset of ['/console/vendor/adaptivecards.min.js', '/console/assets/console.js', '/console/assets/console.css']) {
      const r = await fetch(`${base}${asset}`);
      expect(r.status, asset).toBe(200);
      expect(r.headers.get('content-security-policy'), asset).toContain("script-src 'self'");
    }
  });

  it('answers only a loopback Host, against DNS rebinding; CONSOLE_ALLOW_HOSTS opens other names', async () => {
    const { port } = await start();
    expect((await raw(port, '/', `localhost:${port}`)).status).toBe(200);
    expect((await raw(port, '/admin', `127.0.0.1:${port}`)).status).toBe(200);
    const rebound = await raw(port, '/', `attacker.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('only on this machine');
    expect((await raw(port, '/console/digests', 'attacker.example')).status).toBe(403);
    // The platform endpoints and probes on the same port do not care about the Host.
    expect((await raw(port, '/healthz', 'bot.example.org')).status).toBe(200);
    await service!.stop();
    service = undefined;

    const opened = await start({ CONSOLE_ALLOW_HOSTS: 'threatbrief.internal' });
    expect((await raw(opened.port, '/', 'threatbrief.internal')).status).toBe(200);
    expect((await raw(opened.port, '/', 'attacker.example')).status).toBe(403);
  });

  it('judges the socket address, not a forwarded header', () => {
    const req = (remoteAddress: string, host: string, forwarded?: string) =>
      ({
        headers: { host, ...(forwarded ? { 'x-forwarded-for': forwarded } : {}) },
        socket: { remoteAddress },
      }) as unknown as IncomingMessage;
    expect(consoleMayAnswer(req('127.0.0.1', 'localhost:3000'), [])).toBe(true);
    expect(consoleMayAnswer(req('::1', '[::1]:3000'), [])).toBe(true);
    expect(consoleMayAnswer(req('::ffff:127.0.0.1', '127.0.0.1'), [])).toBe(true);
    expect(consoleMayAnswer(req('192.0.2.7', 'localhost:3000', '127.0.0.1'), [])).toBe(false);
    expect(consoleMayAnswer(req('192.0.2.7', 'threatbrief.internal'), ['threatbrief.internal'])).toBe(true);
    expect(isLoopbackAddress('::ffff:192.0.2.7')).toBe(false);
    expect(hostName('LOCALHOST:80')).toBe('localhost');
    expect(hostName('localhost@evil.example')).toBeUndefined();
  });

  it('refuses every POST without the CSRF token of its own session', async () => {
    const { base } = await start();
    const page = await openPage(base);
    const other = await openPage(base);
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/console/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ text: 'who is Example Panda?' }),
      });
    expect((await post({ cookie: page.cookie })).status).toBe(403);
    expect((await post({ cookie: page.cookie, 'x-csrf-token': other.csrf })).status).toBe(403);
    expect((await post({ 'x-csrf-token': page.csrf })).status).toBe(403);
    const refused = await post({ cookie: page.cookie, 'x-csrf-token': 'forged' });
    expect(((await refused.json()) as { error: string }).error).toContain('CSRF');
    expect((await post({ cookie: page.cookie, 'x-csrf-token': page.csrf })).status).toBe(200);
    // The admin forms too, signed in or not.
    const admin = await fetch(`${base}/admin/run-digests`, form(page, {}));
    expect(admin.status).toBe(403);
    expect(await admin.text()).toContain('CSRF');
  });

  it('answers from the same engine as the Slack message and the Teams card', async () => {
    const { base } = await start();
    const page = await openPage(base);
    const { status, body } = await ask(base, page, '@ThreatBrief who is Example Panda?');
    expect(status).toBe(200);
    expect(body.text).toContain('Example Panda is a fictional actor');
    expect(body.slackHtml).toContain('<div class="sk-header">Example Panda</div>');
    expect(body.slackHtml).toContain('<a href="https://example.org/report" target="_blank" rel="noopener noreferrer">');
    expect(JSON.stringify(body.card)).toContain('Example Panda is a fictional actor');
  });

  it('escapes what a user typed and what the store holds, in the chat and in the admin view', async () => {
    const { base } = await start();
    const page = await openPage(base);
    // Chat markup (<…>) is stripped from questions; what is left is shown as text, never as markup.
    const { body } = await ask(base, page, 'subscribe daily 09:00 about a < b > "c" & \'d\', <b onmouseover=alert(3)>x</b>');
    expect(body.slackHtml).toContain('“a &lt; b &gt; &quot;c&quot; &amp; &#39;d&#39;”');
    expect(body.slackHtml).not.toContain('<b onmouseover');
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    expect((await ask(base, page, `who is ${hostile}?`)).body.slackHtml).not.toMatch(/<script|<img/);
    const admin = await (await fetch(`${base}/admin`, { headers: { cookie: page.cookie } })).text();
    expect(admin).toContain('“a &lt; b &gt; &quot;c&quot; &amp; &#39;d&#39;”');
    expect(admin).not.toContain('<b onmouseover');
  });

  it('renders mrkdwn links for http(s) only and Slack entities as text', () => {
    expect(mrkdwnToHtml('<javascript:alert(1)|click> and <https://x.example/?a=1&amp;b=2|a &lt;b&gt; "c">')).toBe(
      '<span class="sk-token">click</span> and <a href="https://x.example/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">a &lt;b&gt; &quot;c&quot;</a>',
    );
    expect(mrkdwnToHtml('*bold* _it_ ~gone~ `code` snake_case_name\nnext')).toBe(
      '<b>bold</b> <i>it</i> <s>gone</s> <code>code</code> snake_case_name<br>next',
    );
    const html = blockKitToHtml([
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*Label*\nvalue' }] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'small &amp; grey' }] },
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'threatbrief_choice:0', text: { type: 'plain_text', text: 'A "choice"' }, value: 'who is "A"?' },
        ],
      },
    ]);
    expect(html).toContain('<div class="sk-fields"><div class="sk-field"><b>Label</b><br>value</div></div>');
    expect(html).toContain('<span class="sk-context-item">small &amp; grey</span>');
    expect(html).toContain('data-command="who is &quot;A&quot;?">A &quot;choice&quot;</button>');
  });

  it('subscribes the console conversation only, and delivers its digests to the page', async () => {
    const { base, dbPath } = await start();
    const page = await openPage(base);
    const { body } = await ask(base, page, 'subscribe daily 09:00');
    expect(body.text).toContain('Subscribed: daily 09:00 UTC');
    const store = new FactStore(openDatabase(dbPath));
    try {
      const subs = await createSqliteState(store).subscriptions.all();
      expect(subs.map((s) => [s.platform, s.conversation])).toEqual([['web', 'console']]);
    } finally {
      store.db.close();
    }
    const added = await fetch(`${base}/advisories`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}` },
      body: JSON.stringify({
        id: 'console-advisory',
        title: 'Example Panda exploits routers',
        publisher: 'Example Agency',
        published: '2025-03-01',
        summary: 'For the console.',
        entities: ['example-panda'],
        sources: ['acme-report'],
      }),
    });
    expect(added.status).toBe(201);
    expect(((await (await fetch(`${base}/console/digests?after=0`)).json()) as { digests: unknown[] }).digests).toEqual([]);
    expect((await service!.scheduler.runNow(new Date(Date.now() + 25 * 3600_000)))?.sent).toBe(1);
    const { digests } = (await (await fetch(`${base}/console/digests?after=0`)).json()) as {
      digests: { id: number; slackHtml: string; text: string }[];
    };
    expect(digests).toHaveLength(1);
    expect(digests[0]!.slackHtml).toContain('Example Panda exploits routers');
    const later = (await (await fetch(`${base}/console/digests?after=${digests[0]!.id}`)).json()) as { digests: unknown[] };
    expect(later.digests).toEqual([]);
  });

  it('answers at CONSOLE_CLEARANCE, which a chat command cannot change', async () => {
    const knowledge = copyKnowledge();
    const { base } = await start({ CONSOLE_CLEARANCE: 'amber' }, knowledge);
    const page = await openPage(base);
    expect((await ask(base, page, 'clearance')).body.text).toContain('TLP:AMBER');
    expect((await ask(base, page, 'clearance red')).body.text).toContain('Only admins can change clearances');
  });

  it('keeps the admin view read-only without the token, and its actions and details behind it', async () => {
    const { base } = await start({ CONSOLE_ADMIN_TOKEN: ADMIN_TOKEN, CONSOLE_CLEARANCE: 'AMBER' });
    const page = await openPage(base);
    await ask(base, page, 'subscribe daily 09:00');
    const readOnly = await (await fetch(`${base}/admin`, { headers: { cookie: page.cookie } })).text();
    expect(readOnly).toContain('daily 09:00 UTC');
    expect(readOnly).toContain('<button type="submit" disabled title="Needs the admin token">Unsubscribe</button>');
    expect(readOnly).toContain('needs the admin token');
    const preview = await (await fetch(`${base}/admin/preview?subscription=1`, { headers: { cookie: page.cookie } })).text();
    expect(preview).toContain('sign in with the admin token to preview');

    const refused = await fetch(`${base}/admin/unsubscribe`, form(page, { csrf: page.csrf, subscription: '1' }));
    expect(refused.status).toBe(403);
    expect((await fetch(`${base}/admin/sign-in`, form(page, { csrf: page.csrf, token: 'not-the-admin-token' }))).status).toBe(403);
    const signedIn = await fetch(`${base}/admin/sign-in`, form(page, { csrf: page.csrf, token: ADMIN_TOKEN }));
    expect(signedIn.status).toBe(303);
    const adminCookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const cookie = `${page.cookie}; ${adminCookie}`;
    expect(await (await fetch(`${base}/admin/preview?subscription=1`, { headers: { cookie } })).text()).toContain('Nothing new');
    // The admin cookie of one session does not sign in another.
    const stranger = await openPage(base);
    expect((await fetch(`${base}/admin/unsubscribe`, form(stranger, { csrf: stranger.csrf, subscription: '1' }, adminCookie))).status).toBe(
      403,
    );

    const done = await fetch(`${base}/admin/unsubscribe`, form(page, { csrf: page.csrf, subscription: '1' }, adminCookie));
    expect(done.status).toBe(303);
    const after = await (await fetch(`${base}/admin`, { headers: { cookie } })).text();
    expect(after).toContain('No subscriptions.');
    expect(after).toMatch(/web:admin<\/td><td>unsubscribe<\/td><td>console<\/td><td>\{&quot;id&quot;:1/);
  });
  it('shows each feed with its last success, age and last error in the admin view', async () => {
    const { base, dbPath } = await start();
    const db = openDatabase(dbPath);
    const feeds = createFeedState(db);
    const day = 86_400_000;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * day);
    feeds.record({ source: 'kev', startedAt: at(3), finishedAt: at(3), outcome: 'imported', urls: ['https://kev.example/kev.json'] });
    feeds.record({
      source: 'kev',
      startedAt: at(1),
      finishedAt: at(1),
      outcome: 'failed',
      urls: ['https://kev.example/kev.json'],
      error: 'HTTP 500 <b>from the mirror</b>',
    });
    db.close();
    const page = await openPage(base);
    const admin = await (await fetch(`${base}/admin`, { headers: { cookie: page.cookie } })).text();
    const kevRow = /<tr><td>kev<\/td>.*?<\/tr>/s.exec(admin)?.[0] ?? '';
    expect(kevRow).toContain('(imported)');
    expect(kevRow).toContain('3 d');
    expect(kevRow).toContain('HTTP 500 &lt;b&gt;from the mirror&lt;/b&gt;');
    expect(admin).toMatch(/<tr><td>misp<\/td>.*?never.*?stale/s);
  });
});
