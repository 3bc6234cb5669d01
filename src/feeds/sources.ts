/**
 * The public feeds `threatbrief feeds sync` keeps current: where each is published, under what
 * licence, and whom an answer built on it must credit. A source is one or more files (parts)
 * fetched together and imported as one.
 */

export const SOURCE_NAMES = ['attack', 'kev', 'ofac', 'misp', 'mstic'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export interface SourcePart {
  /** Names the file within its source ("sdn", "alt"); `--url ofac.alt=URL` points this one elsewhere. */
  name: string;
  url: string;
  /** The file name under a mirror given as `--url ofac=BASE/`. */
  file: string;
  /** Some publications of a source may be missing from a mirror without failing it (a 404 skips the part). */
  optional?: boolean;
}

/** Imported separately from the rest of its source (the consolidated non-SDN list is its own list). */
export interface SourceImport {
  /** Parts read together as one import. */
  parts: readonly string[];
  /** The OFAC list the parts are: the files' columns are the same, so their content cannot say. */
  ofacList?: 'sdn' | 'consolidated';
}

export interface FeedSource {
  name: SourceName;
  title: string;
  publisher: string;
  licence: string;
  attribution: string;
  /** Where a person reads about the feed. */
  homepage: string;
  parts: readonly SourcePart[];
  /** How the parts are imported; one import of all of them when absent. */
  imports?: readonly SourceImport[];
  /** A sync older than this is stale, and `feeds list` says so. */
  staleAfterDays: number;
}

const OFAC_EXPORTS = 'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports';

export const FEED_SOURCES: readonly FeedSource[] = [
  {
    name: 'attack',
    title: 'MITRE ATT&CK Enterprise (STIX 2.1)',
    publisher: 'The MITRE Corporation',
    licence: 'ATT&CK Terms of Use (royalty-free, with the copyright notice kept)',
    attribution: '© The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation.',
    homepage: 'https://attack.mitre.org/',
    parts: [
      {
        name: 'enterprise',
        url: 'https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack.json',
        file: 'enterprise-attack.json',
      },
    ],
    staleAfterDays: 120,
  },
  {
    name: 'kev',
    title: 'CISA Known Exploited Vulnerabilities catalog',
    publisher: 'Cybersecurity and Infrastructure Security Agency (CISA)',
    licence: 'CC0 1.0',
    attribution: 'CISA Known Exploited Vulnerabilities Catalog (cisa.gov/known-exploited-vulnerabilities-catalog).',
    homepage: 'https://www.cisa.gov/known-exploited-vulnerabilities-catalog',
    parts: [
      {
        name: 'catalog',
        url: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
        file: 'known_exploited_vulnerabilities.json',
      },
    ],
    staleAfterDays: 3,
  },
  {
    name: 'ofac',
    title: 'OFAC SDN list and consolidated non-SDN list, with alternate names and addresses',
    publisher: 'U.S. Department of the Treasury, Office of Foreign Assets Control (OFAC)',
    licence: 'U.S. government work, public domain',
    attribution: 'Source: U.S. Department of the Treasury, OFAC sanctions lists.',
    homepage: 'https://ofac.treasury.gov/sanctions-list-service',
    parts: [
      { name: 'sdn', url: `${OFAC_EXPORTS}/SDN.CSV`, file: 'SDN.CSV' },
      { name: 'alt', url: `${OFAC_EXPORTS}/ALT.CSV`, file: 'ALT.CSV', optional: true },
      { name: 'add', url: `${OFAC_EXPORTS}/ADD.CSV`, file: 'ADD.CSV', optional: true },
      { name: 'cons-prim', url: `${OFAC_EXPORTS}/CONS_PRIM.CSV`, file: 'CONS_PRIM.CSV', optional: true },
      { name: 'cons-alt', url: `${OFAC_EXPORTS}/CONS_ALT.CSV`, file: 'CONS_ALT.CSV', optional: true },
      { name: 'cons-add', url: `${OFAC_EXPORTS}/CONS_ADD.CSV`, file: 'CONS_ADD.CSV', optional: true },
    ],
    // Two lists, each imported (and delisted from) on its own.
    imports: [
      { parts: ['sdn', 'alt', 'add'], ofacList: 'sdn' },
      { parts: ['cons-prim', 'cons-alt', 'cons-add'], ofacList: 'consolidated' },
    ],
    staleAfterDays: 3,
  },
  {
    name: 'misp',
    title: 'MISP galaxy threat actors',
    publisher: 'MISP Project',
    licence: 'CC0 1.0 or BSD-2-Clause',
    attribution: 'MISP galaxy (github.com/MISP/misp-galaxy), threat-actor cluster.',
    homepage: 'https://github.com/MISP/misp-galaxy',
    parts: [
      {
        name: 'threat-actor',
        url: 'https://raw.githubusercontent.com/MISP/misp-galaxy/main/clusters/threat-actor.json',
        file: 'threat-actor.json',
      },
    ],
    staleAfterDays: 60,
  },
  {
    name: 'mstic',
    title: "Microsoft's threat actor naming table",
    publisher: 'Microsoft',
    licence: 'CC BY 4.0',
    attribution: "Threat actor names © Microsoft, from Microsoft's threat actor naming table (microsoft/mstic), CC BY 4.0.",
    homepage: 'https://learn.microsoft.com/en-us/defender-xdr/microsoft-threat-actor-naming',
    parts: [
      {
        name: 'mapping',
        url: 'https://raw.githubusercontent.com/microsoft/mstic/master/PublicFeeds/ThreatActorNaming/MicrosoftMapping.json',
        file: 'MicrosoftMapping.json',
      },
    ],
    staleAfterDays: 120,
  },
];

export function sourceNamed(name: string): FeedSource | undefined {
  return FEED_SOURCES.find((s) => s.name === name);
}

/** The groups of parts imported together. */
export function importsOf(source: FeedSource): readonly SourceImport[] {
  return source.imports ?? [{ parts: source.parts.map((p) => p.name) }];
}

/**
 * Applies `--url` overrides: `NAME=URL` (for a source of one file, its URL; for several, a folder
 * URL ending in "/" under which each file keeps its published name) or `NAME.PART=URL`.
 */
export function withOverrides(
  source: FeedSource,
  overrides: ReadonlyMap<string, string>,
): { ok: true; source: FeedSource } | { ok: false; problem: string } {
  const base = overrides.get(source.name);
  if (base !== undefined && source.parts.length > 1 && !base.endsWith('/'))
    return {
      ok: false,
      problem: `--url ${source.name}=… must be a folder URL ending in "/" (the source has ${source.parts.length} files)`,
    };
  const parts = source.parts.map((p) => {
    const own = overrides.get(`${source.name}.${p.name}`);
    if (own !== undefined) return { ...p, url: own };
    if (base === undefined) return p;
    return { ...p, url: source.parts.length > 1 ? `${base}${p.file}` : base };
  });
  return { ok: true, source: { ...source, parts } };
}
