/**
 * CISA's Known Exploited Vulnerabilities catalog (known_exploited_vulnerabilities.json): one
 * JSON document with catalogVersion, dateReleased, count and the vulnerabilities. Each entry
 * becomes a vulnerability entity (id like cve-2024-3400) and an advisory published on the day
 * the entry joined the catalog (`dateAdded`), which therefore reaches digests.
 */
import * as z from 'zod';
import { formatDate } from '../base/format.js';
import type { FeedFile, FeedRecord, ImportProblem, ParseResult } from './types.js';
import { isRecord, parseJson, sha256, versionOf } from './util.js';

export const KEV_PUBLISHER = 'Cybersecurity and Infrastructure Security Agency (CISA)';
const KEV_URL = 'https://www.cisa.gov/known-exploited-vulnerabilities-catalog';

const DateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date as YYYY-MM-DD' });

const EntrySchema = z.looseObject({
  cveID: z.string().regex(/^CVE-\d{4}-\d{4,19}$/, { error: 'must be a CVE id like CVE-2024-3400' }),
  vendorProject: z.string().min(1),
  product: z.string().min(1),
  vulnerabilityName: z.string().min(1),
  dateAdded: DateString,
  shortDescription: z.string().min(1),
  requiredAction: z.string().min(1),
  dueDate: DateString,
  knownRansomwareCampaignUse: z.string().optional(),
  notes: z.string().optional(),
  cwes: z.array(z.string()).optional(),
});
export type KevEntry = z.infer<typeof EntrySchema>;

const CatalogSchema = z.looseObject({
  title: z.string().optional(),
  catalogVersion: z.string().min(1),
  dateReleased: z.string().regex(/^\d{4}-\d{2}-\d{2}/, { error: 'must be a date-time like 2025-08-25T17:04:19Z' }),
  count: z.number().int().nonnegative(),
  vulnerabilities: z.array(z.unknown()),
});

function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/** True for a document that looks like a KEV catalog. */
export function looksLikeKev(value: unknown): boolean {
  return isRecord(value) && Array.isArray(value.vulnerabilities) && 'catalogVersion' in value;
}

export function parseCisaKev(file: FeedFile): ParseResult {
  const parsed = parseJson(file);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const problems: ImportProblem[] = [];
  const catalog = CatalogSchema.safeParse(parsed.value);
  if (!catalog.success) {
    for (const i of catalog.error.issues) problems.push({ file: file.display, where: pathOf(i.path), message: i.message });
    return { ok: false, problems };
  }
  const { vulnerabilities, count, catalogVersion, dateReleased } = catalog.data;
  const entries: KevEntry[] = [];
  const seen = new Map<string, number>();
  vulnerabilities.forEach((raw, i) => {
    const id = isRecord(raw) && typeof raw.cveID === 'string' ? ` (${raw.cveID})` : '';
    const result = EntrySchema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const sub = pathOf(issue.path);
        problems.push({ file: file.display, where: `vulnerabilities[${i}]${id}${sub ? `.${sub}` : ''}`, message: issue.message });
      }
      return;
    }
    const previous = seen.get(result.data.cveID);
    if (previous !== undefined)
      problems.push({
        file: file.display,
        where: `vulnerabilities[${i}]${id}`,
        message: `${result.data.cveID} is already in the catalog at vulnerabilities[${previous}]`,
      });
    seen.set(result.data.cveID, i);
    entries.push(result.data);
  });
  if (count !== vulnerabilities.length) {
    problems.push({
      file: file.display,
      where: 'count',
      message: `the catalog says it holds ${count} vulnerabilities but lists ${vulnerabilities.length} (a truncated or edited file?)`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  // Oldest first, so that advisories take sequence numbers in the order CISA added them.
  entries.sort((a, b) => a.dateAdded.localeCompare(b.dateAdded) || a.cveID.localeCompare(b.cveID));
  const records = entries.map((e) => kevRecord(e));
  const released = dateReleased.slice(0, 10);
  return {
    ok: true,
    feed: {
      format: 'cisa-kev',
      file: file.display,
      sha256: sha256([file.text]),
      publisher: KEV_PUBLISHER,
      title: `Known Exploited Vulnerabilities Catalog, version ${catalogVersion}`,
      edition: released,
      url: KEV_URL,
      records,
      skipped: [],
      withdrawn: [],
    },
  };
}

function kevRecord(e: KevEntry): FeedRecord {
  const id = e.cveID.toLowerCase();
  const ransomware = e.knownRansomwareCampaignUse === 'Known';
  const cwes = e.cwes ?? [];
  const summary =
    `${e.cveID} (${e.vulnerabilityName}) is in CISA's Known Exploited Vulnerabilities catalog, added on ${formatDate(e.dateAdded)}. ${e.shortDescription}`.trim();
  const advisorySummary = [
    `${e.vendorProject} ${e.product}: ${e.shortDescription}`,
    `Required action: ${e.requiredAction}`,
    `Due date: ${e.dueDate}.`,
    `Known ransomware campaign use: ${e.knownRansomwareCampaignUse ?? 'Unknown'}.`,
    `CWEs: ${cwes.length ? cwes.join(', ') : 'none listed'}.`,
    e.notes ? `Notes: ${e.notes}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return {
    key: `kev:${e.cveID}`,
    version: versionOf(e),
    label: e.cveID,
    entity: {
      id,
      type: 'vulnerability',
      name: e.cveID,
      summary,
      identifiers: [e.cveID],
      attachTypes: ['vulnerability'],
    },
    aliases: [{ name: e.vulnerabilityName, kind: 'name', usedBy: 'CISA KEV catalog' }],
    claims: [
      {
        predicate: 'description',
        text: `According to CISA's KEV catalog: ${e.shortDescription}`,
        notOnCurated: true,
        onlyWhenAttached: true,
      },
      {
        predicate: 'event',
        text: `CISA added ${e.cveID} to the Known Exploited Vulnerabilities catalog on ${formatDate(e.dateAdded)}, with a remediation due date of ${formatDate(e.dueDate)}.`,
        date: e.dateAdded,
        notOnCurated: true,
      },
      ...(ransomware
        ? [
            {
              predicate: 'activity' as const,
              text: `CISA's KEV catalog lists ${e.cveID} as known to be used in ransomware campaigns.`,
              notOnCurated: true,
            },
          ]
        : []),
    ],
    advisory: {
      id: `kev-${id}`,
      title: `${e.cveID} added to CISA's Known Exploited Vulnerabilities catalog: ${e.vulnerabilityName}`,
      publisher: KEV_PUBLISHER,
      published: e.dateAdded,
      url: KEV_URL,
      summary: advisorySummary,
      entities: [{ record: `kev:${e.cveID}` }],
      severity: ransomware ? 'critical' : 'high',
      vendor: e.vendorProject,
      product: e.product,
    },
  };
}
