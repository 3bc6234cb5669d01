/**
 * Fetches one feed file: conditionally (ETag / Last-Modified, so an unchanged file costs a 304),
 * over HTTPS only (plain HTTP only to a loopback address the operator named with --url), through
 * HTTPS_PROXY when set, following at most a few redirects, and within size and time caps on the
 * compressed and the decompressed bytes. It returns the whole file or fails: nothing half-read
 * ever reaches a parser.
 */
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Dispatcher } from 'undici';

/**
 * undici is required on first use, not imported: loading it costs ~150 ms, and every command that
 * merely might sync (`ask` checks the first-start snapshot) would pay that without downloading anything.
 */
const requireLazily = createRequire(import.meta.url);
const undici = (): typeof import('undici') => requireLazily('undici') as typeof import('undici');

const gunzipAsync = promisify(gunzip);

export interface DownloadLimits {
  /** Bytes on the wire. */
  maxBytes: number;
  /** Bytes after gzip is undone. */
  maxDecompressedBytes: number;
  /** The whole download, redirects and body included. */
  timeoutMs: number;
  maxRedirects: number;
}

const MiB = 1024 * 1024;

/** The ATT&CK Enterprise bundle is ~45 MB as JSON today; these leave it room to grow fourfold. */
export const DEFAULT_LIMITS: DownloadLimits = {
  maxBytes: 200 * MiB,
  maxDecompressedBytes: 400 * MiB,
  timeoutMs: 120_000,
  maxRedirects: 3,
};

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export type DownloadResult =
  | { status: 'not-modified' }
  | { status: 'missing'; httpStatus: number }
  | { status: 'ok'; bytes: Buffer; url: string; etag?: string; lastModified?: string };

/** A download that failed: the message names the URL and what went wrong. */
export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

export interface ProxySettings {
  httpsProxy?: string;
  noProxy?: string;
}

/** The connection pool downloads go through: HTTPS_PROXY (minus NO_PROXY and loopback) when set. */
export function createDispatcher(proxy: ProxySettings = {}): Dispatcher {
  const { Agent, EnvHttpProxyAgent } = undici();
  if (!proxy.httpsProxy) return new Agent();
  const noProxy = [proxy.noProxy, 'localhost', '127.0.0.1', '[::1]'].filter(Boolean).join(',');
  return new EnvHttpProxyAgent({ httpsProxy: proxy.httpsProxy, httpProxy: proxy.httpsProxy, noProxy });
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Why this URL may not be fetched, or undefined when it may. */
export function refusedUrl(raw: string, allowLoopbackHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `"${raw}" is not a URL`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && allowLoopbackHttp && isLoopback(url.hostname)) return undefined;
  if (url.protocol === 'http:') return `${raw}: plain HTTP is refused (only HTTPS, or a loopback address given with --url)`;
  return `${raw}: only https:// URLs are fetched`;
}

export interface DownloadOptions {
  validators?: Validators;
  limits?: DownloadLimits;
  /** Allows http:// to loopback addresses (an address the operator gave with --url). */
  allowLoopbackHttp?: boolean;
  dispatcher?: Dispatcher;
  /** Treat 404 as a missing optional file rather than a failure. */
  optional?: boolean;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const STALE_CONNECTION = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

export async function download(url: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    try {
      return await fetchFollowing(url, opts, limits, signal);
    } catch (err) {
      // A pooled connection the server closed while idle fails at once: one fresh try is safe for a GET.
      if (!signal.aborted && STALE_CONNECTION.has((err as { code?: string }).code ?? ''))
        return await fetchFollowing(url, opts, limits, signal);
      throw err;
    }
  } catch (err) {
    if (err instanceof DownloadError) throw err;
    if (signal.aborted) throw new DownloadError(`${url}: no complete answer within ${Math.round(limits.timeoutMs / 1000)} s`);
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new DownloadError(`${url}: ${err instanceof Error ? err.message : String(err)}${cause}`);
  }
}

async function fetchFollowing(first: string, opts: DownloadOptions, limits: DownloadLimits, signal: AbortSignal): Promise<DownloadResult> {
  const headers: Record<string, string> = { 'accept-encoding': 'gzip', 'user-agent': 'threatbrief-feeds' };
  if (opts.validators?.etag) headers['if-none-match'] = opts.validators.etag;
  if (opts.validators?.lastModified) headers['if-modified-since'] = opts.validators.lastModified;
  let url = first;
  for (let hop = 0; ; hop++) {
    const refused = refusedUrl(url, opts.allowLoopbackHttp ?? false);
    if (refused) throw new DownloadError(refused);
    const res = await undici().request(url, {
      method: 'GET',
      headers,
      signal,
      headersTimeout: limits.timeoutMs,
      bodyTimeout: limits.timeoutMs,
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
    const header = (name: string) => {
      const v = res.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    if (REDIRECTS.has(res.statusCode)) {
      await res.body.dump();
      const location = header('location');
      if (!location) throw new DownloadError(`${url}: redirect ${res.statusCode} without a Location`);
      if (hop >= limits.maxRedirects) throw new DownloadError(`${first}: more than ${limits.maxRedirects} redirects`);
      url = new URL(location, url).toString();
      continue;
    }
    if (res.statusCode === 304) {
      await res.body.dump();
      return { status: 'not-modified' };
    }
    if (res.statusCode === 404 && opts.optional) {
      await res.body.dump();
      return { status: 'missing', httpStatus: 404 };
    }
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new DownloadError(`${url}: the server answered HTTP ${res.statusCode}`);
    }
    const length = Number(header('content-length') ?? Number.NaN);
    if (length > limits.maxBytes) {
      discard(res.body);
      throw new DownloadError(`${url}: ${length} bytes is over the ${limits.maxBytes}-byte cap`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > limits.maxBytes) {
        discard(res.body);
        throw new DownloadError(`${url}: more than the ${limits.maxBytes}-byte cap`);
      }
      chunks.push(chunk as Buffer);
    }
    if (!Number.isNaN(length) && size !== length) throw new DownloadError(`${url}: the answer was cut short (${size} of ${length} bytes)`);
    const encoding = (header('content-encoding') ?? 'identity').toLowerCase();
    if (encoding !== 'identity' && encoding !== 'gzip') throw new DownloadError(`${url}: unsupported content encoding "${encoding}"`);
    const bytes = await decompressed(Buffer.concat(chunks), encoding === 'gzip', limits, url);
    const result: DownloadResult = { status: 'ok', bytes, url };
    const etag = header('etag');
    const lastModified = header('last-modified');
    if (etag) result.etag = etag;
    if (lastModified) result.lastModified = lastModified;
    return result;
  }
}

/** Stops reading a body we refuse; the abort it causes is expected, not an error to report. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Undoes gzip (a gzip encoding, or a .gz file served as is) within the decompressed cap. */
async function decompressed(raw: Buffer, encoded: boolean, limits: DownloadLimits, url: string): Promise<Buffer> {
  const gz = encoded || (raw[0] === GZIP_MAGIC[0] && raw[1] === GZIP_MAGIC[1]);
  if (!gz) {
    if (raw.length > limits.maxDecompressedBytes) throw new DownloadError(`${url}: over the ${limits.maxDecompressedBytes}-byte cap`);
    return raw;
  }
  try {
    return await gunzipAsync(raw, { maxOutputLength: limits.maxDecompressedBytes });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError)
      throw new DownloadError(`${url}: more than ${limits.maxDecompressedBytes} bytes once decompressed (the cap)`);
    throw new DownloadError(`${url}: not valid gzip (${err instanceof Error ? err.message : String(err)})`);
  }
}
