import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** The Host names the console answers on a loopback socket, whatever the port. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether a socket's peer address is this machine (IPv4 127/8, IPv6 ::1, or 127/8 mapped into IPv6). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/** The host name of a Host header, lower-cased and without its port ("[::1]:3000" → "[::1]"). */
export function hostName(header: string | undefined): string | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i.exec(header?.trim() ?? '');
  return m ? m[1]!.toLowerCase() : undefined;
}

/**
 * Whether the console answers this request: a loopback socket (its address, never a forwarded
 * header) with a loopback Host name — so a web page whose DNS name was rebound to 127.0.0.1
 * still cannot read it — or, when CONSOLE_ALLOW_HOSTS lists names, one of those from any address.
 */
export function consoleMayAnswer(req: IncomingMessage, allowHosts: readonly string[]): boolean {
  const host = hostName(req.headers.host);
  if (!host) return false;
  if (allowHosts.includes(host)) return true;
  return LOOPBACK_HOSTS.has(host) && isLoopbackAddress(req.socket.remoteAddress);
}

export const SESSION_COOKIE = 'threatbrief_console';
const ADMIN_COOKIE = 'threatbrief_admin';

/** The cookies of a request by name (the first of each). */
export function cookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    if (!out.has(name)) out.set(name, part.slice(i + 1).trim());
  }
  return out;
}

function cookie(name: string, value: string, maxAgeSeconds?: number): string {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Strict${maxAgeSeconds === undefined ? '' : `; Max-Age=${maxAgeSeconds}`}`;
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Sessions of the console: a random browser session id in a cookie, the CSRF token every POST
 * must carry (a keyed hash of that id, so only a page this server rendered knows it), and the
 * admin sign-in (a second keyed hash, set only after the admin token was given). The key is new
 * at every start, so a restart signs everyone out.
 */
export function createSessions(adminToken: string | undefined) {
  const key = randomBytes(32);
  const mac = (purpose: string, session: string) => createHmac('sha256', key).update(`${purpose}:${session}`).digest('base64url');
  const sessionOf = (req: IncomingMessage) => {
    const id = cookies(req).get(SESSION_COOKIE);
    return id && /^[A-Za-z0-9_-]{16,64}$/.test(id) ? id : undefined;
  };
  return {
    /** The request's session id, or a new one with the cookie that sets it. */
    session(req: IncomingMessage): { id: string; setCookie?: string } {
      const id = sessionOf(req);
      if (id) return { id };
      const fresh = randomBytes(18).toString('base64url');
      return { id: fresh, setCookie: cookie(SESSION_COOKIE, fresh) };
    },
    csrfToken: (session: string) => mac('csrf', session),
    /** Whether a POST carries the CSRF token of its own session. */
    csrfValid(req: IncomingMessage, token: string | undefined): boolean {
      const id = sessionOf(req);
      return Boolean(id && token && equal(token, mac('csrf', id)));
    },
    /** Whether the admin token is configured at all. */
    adminEnabled: adminToken !== undefined,
    isAdmin(req: IncomingMessage): boolean {
      const id = sessionOf(req);
      const given = cookies(req).get(ADMIN_COOKIE);
      return Boolean(adminToken && id && given && equal(given, mac('admin', id)));
    },
    /** The cookie that signs this session in, when `token` is the admin token. */
    signIn(req: IncomingMessage, token: string): string | undefined {
      const id = sessionOf(req);
      if (!adminToken || !id || !equal(token, adminToken)) return undefined;
      return cookie(ADMIN_COOKIE, mac('admin', id));
    },
    signOutCookie: () => cookie(ADMIN_COOKIE, '', 0),
  };
}
export type Sessions = ReturnType<typeof createSessions>;
