/**
 * Makes indicators in answer text safe to paste and impossible to click: "http://evil.example/x"
 * becomes "hxxp://evil[.]example/x", "203.0.113.7" becomes "203.0.113[.]7". Applied to fact text
 * only; the sources' own links are citations, not indicators, and stay as they are.
 */
const URL = /\b(h)(ttps?):\/\/([^\s<>"')\]]+)/gi;
const IPV4 = /\b(\d{1,3}\.\d{1,3}\.\d{1,3})\.(\d{1,3})\b/g;
/** A bare domain: labels and a top-level domain of letters ("w8510.com", "example.net"). */
const DOMAIN = /\b((?:[a-z0-9-]+\.)+)(com|net|org|info|biz|io|cn|ru|xyz|top|cc|tk|me|co|us|uk|de|tw|hk)\b/gi;

export function defang(text: string): string {
  return text
    .replace(URL, (_m, _h: string, rest: string, host: string) => `hxx${rest.slice(2)}://${host.replace(/\./g, '[.]')}`)
    .replace(IPV4, (m: string, head: string, last: string) => (m.includes('[') ? m : `${head}[.]${last}`))
    .replace(DOMAIN, (m: string, labels: string, tld: string) => (/\[\.\]/.test(m) ? m : `${labels.slice(0, -1)}[.]${tld}`));
}
