import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT } from '../helpers.js';
import type { FeedServer } from './feed-server.js';

/** Small files of every source in their published formats, built from the real ones in feeds/. */
export const FEEDS = join(ROOT, 'feeds');

const KEV_SUBSET = JSON.parse(readFileSync(join(FEEDS, 'cisa-kev', 'kev_subset_prc_typhoon_cves.json'), 'utf8')) as {
  count: number;
  vulnerabilities: { cveID: string; vendorProject: string; product: string }[];
};
let kevFull: { vulnerabilities: { cveID: string; vendorProject: string }[] } | undefined;

/** The KEV subset plus the named entries of the full catalog: a newer edition with entries CISA added. */
export function kevWith(...cves: string[]): Buffer {
  kevFull ??= JSON.parse(gunzipSync(readFileSync(join(FEEDS, 'cisa-kev', 'known_exploited_vulnerabilities.json.gz'))).toString('utf8'));
  const extra = cves.map((id) => kevFull!.vulnerabilities.find((v) => v.cveID === id)!);
  const vulnerabilities = [...KEV_SUBSET.vulnerabilities, ...extra];
  return Buffer.from(JSON.stringify({ ...KEV_SUBSET, count: vulnerabilities.length, vulnerabilities }));
}

/** Volt Typhoon and Salt Typhoon as one STIX bundle, as attack-stix-data publishes the domain. */
export function attackBundle(): Buffer {
  const objects = [
    'intrusion-set--174279b4-399f-4ddb-966e-5efedd1dd5f2.json',
    'intrusion-set--1c3dcf91-b859-4aae-a09c-ae26dc8b6390.json',
  ].flatMap((f) => (JSON.parse(readFileSync(join(FEEDS, 'mitre-cti', f), 'utf8')) as { objects: unknown[] }).objects);
  return Buffer.from(JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001', objects }));
}

/** The first 30 actors of the shipped MISP galaxy cluster. */
export function mispCluster(): Buffer {
  const doc = JSON.parse(gunzipSync(readFileSync(join(FEEDS, 'misp-galaxy', 'threat-actor.json.gz'))).toString('utf8')) as {
    values: unknown[];
  };
  return Buffer.from(JSON.stringify({ ...doc, values: doc.values.slice(0, 30) }));
}

export const KEV_LAST_MODIFIED = 'Mon, 25 Aug 2025 17:04:19 GMT';

/** Where each source is served on the local server (OFAC: a folder, each file by its published name). */
export const LOCAL_PATHS = {
  attack: '/attack.json',
  kev: '/kev.json',
  ofac: '/ofac/SDN.CSV',
  misp: '/misp.json',
  mstic: '/mstic.json',
} as const;

/** Serves one small file of every source (OFAC: SDN.CSV only). */
export function publishAll(server: FeedServer): void {
  server.serve(LOCAL_PATHS.kev, { kind: 'file', body: kevWith(), lastModified: KEV_LAST_MODIFIED });
  server.serve(LOCAL_PATHS.attack, { kind: 'file', body: attackBundle() });
  server.serve(LOCAL_PATHS.misp, { kind: 'file', body: mispCluster() });
  server.serve(LOCAL_PATHS.mstic, { kind: 'file', body: readFileSync(join(FEEDS, 'microsoft-mstic', 'MicrosoftMapping.json')) });
  server.serve(LOCAL_PATHS.ofac, {
    kind: 'file',
    body: readFileSync(join(FEEDS, 'ofac', 'sdn-sample-2023-03.csv')),
    lastModified: 'Wed, 15 Mar 2023 12:00:00 GMT',
  });
}

/** The `--url` overrides that point every source at the local server. */
export function localOverrides(server: FeedServer): Map<string, string> {
  const u = server.url;
  return new Map([
    ['kev', `${u}${LOCAL_PATHS.kev}`],
    ['attack', `${u}${LOCAL_PATHS.attack}`],
    ['misp', `${u}${LOCAL_PATHS.misp}`],
    ['mstic', `${u}${LOCAL_PATHS.mstic}`],
    ['ofac', `${u}/ofac/`],
  ]);
}
