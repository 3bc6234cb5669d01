/**
 * Where the bot may send Teams messages: an activity's `serviceUrl` is where its answer (and
 * later a digest) is POSTed with the bot's credentials, so only Bot Framework hosts are allowed —
 * in every mode, the unauthenticated one included. An entry is `scheme://host`, where the host
 * may start with `*.` (any sub-domain); any port and path. Loopback is never a default: a test or
 * the Bot Framework Emulator lists it explicitly (`TEAMS_SERVICE_URLS=http://127.0.0.1`).
 */
export const DEFAULT_SERVICE_URLS: readonly string[] = [
  'https://smba.trafficmanager.net', // Teams (commercial)
  'https://*.botframework.com', // Bot Framework channels (Web Chat, Direct Line, …)
  'https://*.teams.microsoft.com', // Teams GCC
  'https://*.teams.microsoft.us', // Teams GCC High and DoD
  'https://*.botframework.us', // US Government cloud
  'https://*.botframework.azure.us',
];

export interface ServiceUrlPattern {
  scheme: string;
  host: string;
  /** `*.example.com`: any sub-domain of example.com (not example.com itself). */
  anySubdomain: boolean;
}

/** Reads a comma-separated list (TEAMS_SERVICE_URLS); the defaults when empty. Throws naming a bad entry. */
export function parseServiceUrls(text: string | readonly string[] | undefined): ServiceUrlPattern[] {
  const entries = (typeof text === 'string' ? text.split(',') : (text ?? [])).map((e) => e.trim()).filter(Boolean);
  return (entries.length ? entries : DEFAULT_SERVICE_URLS).map((entry) => {
    const m = /^(https?):\/\/(\*\.)?([a-z0-9.-]+|\[[0-9a-f:]+\])\/?$/i.exec(entry);
    if (!m) throw new Error(`"${entry}" is not a service URL pattern like https://*.botframework.com or http://127.0.0.1`);
    return { scheme: m[1]!.toLowerCase(), host: m[3]!.toLowerCase(), anySubdomain: Boolean(m[2]) };
  });
}

export function allowedServiceUrl(serviceUrl: unknown, patterns: readonly ServiceUrlPattern[]): boolean {
  if (typeof serviceUrl !== 'string') return false;
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  const scheme = url.protocol.replace(/:$/, '');
  const host = url.hostname.toLowerCase();
  return patterns.some(
    (p) => p.scheme === scheme && (p.anySubdomain ? host.endsWith(`.${p.host}`) && host.length > p.host.length + 1 : host === p.host),
  );
}
