/**
 * Answers from ATT&CK's structure: what a group or piece of software uses (techniques grouped
 * by tactic, the most telling first: those the fewest others use), which groups use a tool or
 * technique, how a technique is mitigated, an id ATT&CK withdrew (and what replaced it), and
 * whether a CVE is in CISA's Known Exploited Vulnerabilities catalog.
 */

import { formatDate } from '../base/format.js';
import type { ClaimRecord, EntityRecord } from '../store/fact-store.js';
import { type Compose, ref } from './compose.js';
import type { Answer, Said } from './said.js';

/** Techniques named in the direct answer, and per tactic line. */
const TELLING = 3;
const PER_TACTIC = 4;
/** Tactic lines and user lists shown under the direct answer. */
const TACTIC_LINES = 3;
const NAMED_USERS = 8;
const NAMED_MITIGATIONS = 4;
const USES = new Set(['tooling', 'uses']);
const ATTACK_ID = /^(?:TA|[GSTMC])\d{4}(?:\.\d{3})?$/i;
/** Words that ask for software rather than techniques. */
const SOFTWARE_WORDS = /\b(malware|tools?|tooling|software|implants?|backdoors?|families)\b/i;

function page(url: string | undefined, sources: readonly string[]): Said[] {
  return url ? [{ text: `ATT&CK page: ${url}`, sources, trusted: true }] : [];
}

/** What a group, piece of software or campaign uses: software when asked for, else techniques by tactic. */
export function composeUses(c: Compose, main: EntityRecord): Answer | undefined {
  const { view } = c;
  const attack = view.attackOf(main.id);
  if (!attack || !['group', 'software', 'campaign'].includes(attack.kind)) return undefined;
  const used = view.claims(main.id).filter((cl) => USES.has(cl.predicate) && cl.objectId);
  const techniques = used.flatMap((cl) => {
    const a = view.attackOf(cl.objectId!);
    return a?.kind === 'technique' ? [{ claim: cl, attack: a }] : [];
  });
  const software = used.flatMap((cl) => {
    const a = view.attackOf(cl.objectId!);
    return a?.kind === 'software' ? [{ claim: cl, attack: a }] : [];
  });
  if (techniques.length === 0 && software.length === 0) return undefined;
  const sources = techniques[0]?.claim.sources ?? software[0]!.claim.sources;
  const label = `${main.name} (${attack.attackId})`;
  const softwareLine: Said | undefined = software.length
    ? {
        text: `Software: ${software.map((s) => `${s.attack.name} (${s.attack.attackId})`).join(', ')}.`,
        sources: software[0]!.claim.sources,
      }
    : undefined;
  const base = { intent: 'techniques' as const, aspect: 'techniques' as const, title: main.name, entities: [ref(main)] };
  if ((SOFTWARE_WORDS.test(c.reading.text) && softwareLine) || techniques.length === 0) {
    return {
      ...base,
      headline: { text: `ATT&CK lists ${software.length} pieces of software used by ${label}.`, sources },
      support: [softwareLine!, ...page(attack.url, sources)],
    };
  }
  const counts = view.usersCount(techniques.map((t) => t.claim.objectId!));
  const byRarity = [...techniques].sort((a, b) => (counts.get(a.claim.objectId!) ?? 0) - (counts.get(b.claim.objectId!) ?? 0));
  const name = (t: (typeof techniques)[number]) => `${t.attack.name} (${t.attack.attackId})`;
  const tactics = new Map<string, string[]>();
  for (const t of byRarity)
    for (const tactic of t.attack.tactics.slice(0, 1)) tactics.set(tactic, [...(tactics.get(tactic) ?? []), name(t)]);
  const tacticLines = [...tactics.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .slice(0, TACTIC_LINES)
    .map(([tactic, names]) => ({
      text: `${tactic}: ${names.slice(0, PER_TACTIC).join(', ')}${names.length > PER_TACTIC ? ', …' : ''}.`,
      sources,
    }));
  return {
    ...base,
    headline: {
      text: `ATT&CK lists ${techniques.length} techniques used by ${label} across ${tactics.size} tactics; the most telling: ${byRarity.slice(0, TELLING).map(name).join(', ')}.`,
      sources,
    },
    support: [...tacticLines, ...(softwareLine ? [softwareLine] : []), ...page(attack.url, sources)],
  };
}

/** Which groups use a piece of software or a technique. */
export function composeUsedBy(c: Compose, main: EntityRecord): Answer | undefined {
  const { view } = c;
  const attack = view.attackOf(main.id);
  if (!attack || !['software', 'technique'].includes(attack.kind)) return undefined;
  const users = view
    .claimsAbout(main.id)
    .filter((cl) => USES.has(cl.predicate))
    .map((cl) => ({ claim: cl, entity: view.entity(cl.entityId), attack: view.attackOf(cl.entityId) }))
    .filter((u) => u.entity && u.entity.type === 'threat-actor');
  const label = `${main.name} (${attack.attackId})`;
  const base = { intent: 'used-by' as const, aspect: 'used-by' as const, title: main.name, entities: [ref(main)] };
  if (users.length === 0) {
    return { ...base, headline: { text: `ATT&CK names no group that uses ${label}.`, sources: main.summarySources }, support: [] };
  }
  const names = [...new Set(users.map((u) => `${u.entity!.name}${u.attack ? ` (${u.attack.attackId})` : ''}`))].sort();
  const shown = names.slice(0, NAMED_USERS);
  const more = names.length - shown.length;
  return {
    ...base,
    headline: {
      text: `ATT&CK lists ${names.length} group${names.length === 1 ? '' : 's'} using ${label}: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`,
      sources: users[0]!.claim.sources,
    },
    support: [
      ...users.slice(0, 2).map((u) => ({ text: u.claim.text, sources: u.claim.sources })),
      ...page(attack.url, users[0]!.claim.sources),
    ],
  };
}

/** How ATT&CK says a technique is mitigated. */
export function composeMitigations(c: Compose, main: EntityRecord): Answer | undefined {
  const { view } = c;
  const attack = view.attackOf(main.id);
  if (attack?.kind !== 'technique') return undefined;
  const mitigations: ClaimRecord[] = view.claims(main.id).filter((cl) => cl.predicate === 'mitigated-by');
  const label = `${main.name} (${attack.attackId})`;
  const base = { intent: 'mitigation' as const, aspect: 'mitigation' as const, title: main.name, entities: [ref(main)] };
  if (mitigations.length === 0)
    return { ...base, headline: { text: `ATT&CK lists no mitigation for ${label}.`, sources: main.summarySources }, support: [] };
  const names = mitigations.map((m) => m.text.split(':')[0]!);
  return {
    ...base,
    headline: {
      text: `ATT&CK lists ${names.length} mitigation${names.length === 1 ? '' : 's'} for ${label}: ${names.slice(0, NAMED_MITIGATIONS).join(', ')}${names.length > NAMED_MITIGATIONS ? ', …' : ''}.`,
      sources: mitigations[0]!.sources,
    },
    support: [...mitigations.slice(0, 2).map((m) => ({ text: m.text, sources: m.sources })), ...page(attack.url, mitigations[0]!.sources)],
  };
}

/** An ATT&CK id typed that names no current object: what it was, and what replaced it. */
export function composeWithdrawn(c: Compose, typed: string): Answer | undefined {
  const id = typed.trim();
  if (!ATTACK_ID.test(id)) return undefined;
  const withdrawn = c.view.attackById(id).find((a) => a.status !== 'current');
  if (!withdrawn) return undefined;
  const replacement = withdrawn.replacedBy?.entityId ? c.view.entity(withdrawn.replacedBy.entityId) : undefined;
  const sources = replacement?.summarySources ?? [];
  const text = withdrawn.replacedBy
    ? `${withdrawn.name} (${withdrawn.attackId}) was revoked by ATT&CK and replaced by ${withdrawn.replacedBy.name} (${withdrawn.replacedBy.attackId}).`
    : withdrawn.status === 'revoked'
      ? `${withdrawn.name} (${withdrawn.attackId}) was revoked by ATT&CK, with no replacement named.`
      : `${withdrawn.name} (${withdrawn.attackId}) is deprecated in ATT&CK: it is no longer maintained and has no replacement.`;
  return {
    intent: 'profile',
    aspect: 'profile',
    title: withdrawn.name,
    headline: { text, sources },
    support: replacement ? [{ text: replacement.summary, sources }] : [],
    ...(withdrawn.url ? { notes: [`Its old page: ${withdrawn.url}`] } : {}),
    entities: replacement ? [ref(replacement)] : [],
  };
}

/** Whether a CVE is in CISA's KEV catalog: the dates and the required action, from the catalog's entry. */
export function composeKev(c: Compose, main: EntityRecord): Answer | undefined {
  if (main.type !== 'vulnerability') return undefined;
  const entry = c.view.advisoriesAbout(main.id, 20).find((a) => /Required action:/.test(a.summary) && /Due date:/.test(a.summary));
  const base = { intent: 'kev' as const, aspect: 'kev' as const, title: main.name, entities: [ref(main)] };
  if (!entry) return undefined;
  const due = /Due date: (\d{4}-\d{2}-\d{2})/.exec(entry.summary)?.[1];
  const action = /Required action: (.*?)(?= Due date:)/.exec(entry.summary)?.[1];
  return {
    ...base,
    headline: {
      text: `Yes: ${main.name} is in CISA's Known Exploited Vulnerabilities catalog, added on ${formatDate(entry.published)}${due ? `, remediation due ${formatDate(due)}` : ''}.`,
      sources: entry.sources,
    },
    support: action ? [{ text: `Required action: ${action}`, sources: entry.sources }] : [],
  };
}

/** What an ATT&CK technique or mitigation is: its name and id first (a question by id may not name it), its tactics, its page. */
export function composeAttackProfile(c: Compose, main: EntityRecord): Answer | undefined {
  const attack = c.view.attackOf(main.id);
  if (!attack || !['technique', 'mitigation', 'campaign'].includes(attack.kind)) return undefined;
  const what =
    attack.kind === 'technique'
      ? `an ATT&CK technique${attack.tactics.length ? ` (${attack.tactics.join(', ')})` : ''}`
      : `an ATT&CK ${attack.kind}`;
  return {
    intent: 'profile',
    aspect: 'profile',
    title: main.name,
    headline: { text: `${attack.attackId} is ${main.name}, ${what}.`, sources: main.summarySources },
    support: [{ text: main.summary, sources: main.summarySources }, ...page(attack.url, main.summarySources)],
    entities: [ref(main)],
  };
}
