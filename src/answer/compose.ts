import { formatDate, typeLabel } from '../base/format.js';
import { type Predicate, RELATION_PREDICATES } from '../model/schema.js';
import type { AdvisoryRecord, ClaimRecord, EntityRecord, FactStore, SanctionRecord } from '../store/fact-store.js';
import { CitationList } from './cites.js';
import type { QuestionIntent } from './intents.js';
import { type CardElement, type EntityRef, type Field, type Line, makeReply, type Reply } from './reply.js';
import type { Match } from './resolve.js';
import { listedLines, listPlacement, listsChecked, matchScoreNote } from './screening.js';

/** What every composer gets: the store, the entity meant, and how it was matched. */
export interface EntityContext {
  store: FactStore;
  entity: EntityRecord;
  match: Match;
  question: string;
  /** The resolver's threshold, shown beside match scores in sanctions answers. */
  threshold?: number;
}

const PROFILE_PREDICATES: readonly Predicate[] = [
  'description',
  'role',
  'activity',
  'listing',
  'active-since',
  'first-reported',
  'event',
  'statement',
  'response',
];

function ref(e: EntityRecord): EntityRef {
  return { id: e.id, name: e.name, type: e.type };
}

function matchInfo(m: Match): Reply['match'] {
  return { entityId: m.entityId, score: m.score, method: m.method, explanation: m.explanation };
}

/** A note explaining the match, shown when it was not an exact name or alias. */
function matchNote(m: Match): CardElement[] {
  return m.method === 'exact' ? [] : [{ kind: 'note', text: `Matched: ${m.explanation}` }];
}

function claimLines(claims: readonly ClaimRecord[], cites: CitationList): Line[] {
  return claims.map((c) => ({ text: c.text, cites: cites.cite(c.sources) }));
}

/** The entity's name with its first abbreviation, e.g. "Office of Foreign Assets Control (OFAC)". */
function displayName(store: FactStore, id: string): string {
  const e = store.entity(id);
  if (!e) return id;
  const abbr = store.aliases(id).find((a) => a.kind === 'abbreviation');
  // "designated by the Office of Foreign Assets Control", not "by Office of …".
  const article = e.type === 'government-body' && /^(office|department|us |u\.s\. |bureau|ministry|national)/i.test(e.name) ? 'the ' : '';
  return article + (abbr ? `${e.name} (${abbr.name})` : e.name);
}

function relatedClaims(store: FactStore, entityId: string): ClaimRecord[] {
  const out = store.claims(entityId).filter((c) => RELATION_PREDICATES.has(c.predicate));
  for (const c of store.claimsAbout(entityId)) if (RELATION_PREDICATES.has(c.predicate)) out.push(c);
  return out;
}

function otherSide(c: ClaimRecord, entityId: string): string | undefined {
  return c.entityId === entityId ? c.objectId : c.entityId;
}

export function sanctionSentence(store: FactStore, s: SanctionRecord, targetName: string): string {
  if (s.list) return `${targetName} is listed as “${s.list.listedName}” ${listPlacement(s)}.`;
  const status = s.status === 'active' ? '' : ' The designation has since been lifted (delisted).';
  return `${targetName} was designated by ${displayName(store, s.designatedBy)} on ${formatDate(s.date)} under ${s.authority}${s.program ? ` (program ${s.program})` : ''}.${status}`;
}

export function composeProfile(ctx: EntityContext): Reply {
  const { store, entity, match } = ctx;
  const cites = new CitationList(store);
  const fields: Field[] = [{ label: 'Type', value: typeLabel(entity.type), cites: [] }];

  const aliases = store.aliases(entity.id);
  if (aliases.length > 0) {
    const shown = aliases.slice(0, 10).map((a) => (a.usedBy ? `${a.name} (${a.usedBy})` : a.name));
    const more = aliases.length > 10 ? `, and ${aliases.length - 10} more` : '';
    fields.push({ label: 'Also known as', value: shown.join(', ') + more, cites: [] });
  }
  const sanctions = store.sanctionsOf(entity.id);
  for (const s of sanctions) {
    fields.push({
      label: 'Sanctioned',
      value: s.list
        ? `Listed — ${s.list.name}, ${formatDate(s.list.edition)} edition${s.list.programs.length ? ` (${s.list.programs.join(', ')})` : ''}`
        : `${s.status === 'active' ? 'Yes' : 'Delisted'} — ${displayName(store, s.designatedBy)}, ${formatDate(s.date)}`,
      cites: cites.cite(s.sources),
    });
  }

  const elements: CardElement[] = [{ kind: 'fields', fields }];
  const claims = store.claims(entity.id);
  const facts = PROFILE_PREDICATES.flatMap((p) => claims.filter((c) => c.predicate === p)).slice(0, 6);
  elements.push({
    kind: 'section',
    lines: [{ text: entity.summary, cites: cites.cite(entity.summarySources) }, ...claimLines(facts, cites)],
  });

  const relations = relatedClaims(store, entity.id).slice(0, 5);
  if (relations.length > 0) elements.push({ kind: 'section', heading: 'Linked to', lines: claimLines(relations, cites) });

  const advisories = store.advisoriesAbout(entity.id, 3);
  if (advisories.length > 0) elements.push({ kind: 'section', heading: 'Advisories', lines: advisoryLines(advisories, cites) });

  elements.push(...matchNote(match));
  const entities = [ref(entity), ...relatedRefs(store, relations, entity.id)];
  return makeReply(
    'profile',
    { title: entity.name, subtitle: typeLabel(entity.type), elements, citations: cites.citations },
    entities,
    matchInfo(match),
  );
}

function relatedRefs(store: FactStore, claims: readonly ClaimRecord[], entityId: string): EntityRef[] {
  const seen = new Set<string>([entityId]);
  const out: EntityRef[] = [];
  for (const c of claims) {
    const id = otherSide(c, entityId);
    if (!id || seen.has(id)) continue;
    seen.add(id);
    const e = store.entity(id);
    if (e) out.push(ref(e));
  }
  return out;
}

export function composeSanctions(ctx: EntityContext): Reply {
  const { store, entity, match } = ctx;
  const cites = new CitationList(store);
  const sanctions = store.sanctionsOf(entity.id);
  const elements: CardElement[] = [];
  const entities = [ref(entity)];
  const threshold = ctx.threshold ?? 0.8;
  const checked = listsChecked(store);

  if (sanctions.length > 0) {
    for (const s of sanctions) {
      if (s.list) {
        elements.push(...listedLines(store, entity, s, cites));
        continue;
      }
      const answer = s.status === 'active' ? 'Yes — ' : 'Formerly — ';
      const sourceCites = cites.cite(s.sources);
      elements.push({
        kind: 'section',
        lines: [
          { text: answer + sanctionSentence(store, s, entity.name), cites: sourceCites },
          { text: `Why: ${s.reason}`, cites: sourceCites },
        ],
      });
      if (s.effects.length > 0) {
        elements.push({ kind: 'section', heading: 'What it means', lines: s.effects.map((text) => ({ text, cites: sourceCites })) });
      }
      elements.push({
        kind: 'fields',
        fields: [{ label: 'Reference', value: s.referenceUrl ? `${s.referenceTitle} — ${s.referenceUrl}` : s.referenceTitle, cites: [] }],
      });
      const body = store.entity(s.designatedBy);
      if (body) entities.push(ref(body));
    }
  } else {
    const stats = store.stats();
    elements.push({
      kind: 'section',
      lines: [{ text: `I have no record of ${entity.name} being sanctioned.`, cites: [] }],
    });
    elements.push({
      kind: 'note',
      text: `Checked: ${stats.sanctions} designations in the loaded sanctions data — ${checked} (knowledge version ${store.knowledgeVersion() ?? 'none'}). No record here is not proof that no sanction exists.`,
    });
    // Designations of closely linked entities are often what the asker is after.
    const related: Line[] = [];
    for (const c of relatedClaims(store, entity.id)) {
      const otherId = otherSide(c, entity.id);
      if (!otherId) continue;
      const other = store.entity(otherId);
      if (!other || entities.some((e) => e.id === other.id)) continue;
      for (const s of store.sanctionsOf(other.id)) {
        related.push({ text: c.text, cites: cites.cite(c.sources) });
        related.push({ text: sanctionSentence(store, s, other.name), cites: cites.cite(s.sources) });
        entities.push(ref(other));
      }
    }
    if (related.length > 0) elements.push({ kind: 'section', heading: 'Related designations', lines: related });
  }
  const listed = sanctions.some((s) => s.list);
  if (listed) elements.push(matchScoreNote(match, threshold));
  else elements.push(...matchNote(match));
  const outcome = listed ? 'listed' : sanctions.length > 0 ? 'designated' : 'not-listed';
  return makeReply('sanctions', { title: `Sanctions: ${entity.name}`, elements, citations: cites.citations }, entities, matchInfo(match), {
    outcome,
    score: match.score,
    threshold,
    checked,
  });
}

export function composeRelations(ctx: EntityContext): Reply {
  const { store, entity, match } = ctx;
  const cites = new CitationList(store);
  let claims = relatedClaims(store, entity.id);
  if (/\bbehind\b|\bwho (runs|operates|controls)\b|\bresponsible\b/.test(ctx.question.toLowerCase())) {
    const first = new Set<Predicate>(['operated-by', 'attributed-to']);
    claims = [
      ...claims.filter((c) => first.has(c.predicate) && c.entityId === entity.id),
      ...claims.filter((c) => !(first.has(c.predicate) && c.entityId === entity.id)),
    ];
  }
  const elements: CardElement[] = claims.length
    ? [{ kind: 'section', lines: claimLines(claims.slice(0, 12), cites) }]
    : [{ kind: 'section', lines: [{ text: `I have no record of entities linked to ${entity.name}.`, cites: [] }] }];
  elements.push(...matchNote(match));
  return makeReply(
    'relations',
    { title: `Linked to ${entity.name}`, elements, citations: cites.citations },
    [ref(entity), ...relatedRefs(store, claims, entity.id)],
    matchInfo(match),
  );
}

export function composeCount(ctx: EntityContext): Reply {
  const { store, entity, match } = ctx;
  const cites = new CitationList(store);
  const lines: Line[] = [];
  const values = new Set<string>();
  const entities = [ref(entity)];
  const add = (claims: ClaimRecord[], prefix: string) => {
    for (const c of claims.filter((x) => x.predicate === 'count')) {
      lines.push({ text: prefix + c.text, cites: cites.cite(c.sources) });
      if (c.quantity) values.add(`${c.quantity.unit}:${c.quantity.value}`);
    }
  };
  add(store.claims(entity.id), '');
  if (lines.length === 0) {
    // Figures usually sit on the linked entity (an actor's botnet holds the device counts).
    for (const c of relatedClaims(store, entity.id)) {
      const otherId = otherSide(c, entity.id);
      const other = otherId ? store.entity(otherId) : undefined;
      if (!other || entities.some((e) => e.id === other.id)) continue;
      const before = lines.length;
      add(store.claims(other.id), `${other.name}: `);
      if (lines.length > before) entities.push(ref(other));
    }
  }
  const elements: CardElement[] = lines.length
    ? [{ kind: 'section', lines }]
    : [{ kind: 'section', lines: [{ text: `I have no figures recorded for ${entity.name}.`, cites: [] }] }];
  if (values.size > 1)
    elements.push({ kind: 'note', text: 'The sources give different figures; each is shown with its own source, side by side.' });
  elements.push(...matchNote(match));
  return makeReply('count', { title: `Figures: ${entity.name}`, elements, citations: cites.citations }, entities, matchInfo(match));
}

const TOPICS: Record<'targets' | 'access' | 'dates', { predicates: Predicate[]; title: string; none: string }> = {
  targets: { predicates: ['targets', 'victims'], title: 'Targets', none: 'targets or victims' },
  access: {
    predicates: ['initial-access', 'tooling'],
    title: 'Initial access and tooling',
    none: 'how it gains access or what tools it uses',
  },
  dates: {
    predicates: ['first-reported', 'active-since', 'event'],
    title: 'Timeline',
    none: 'dates such as when it was first reported or active',
  },
};

export function composeTopic(ctx: EntityContext, topic: keyof typeof TOPICS): Reply {
  const { store, entity, match } = ctx;
  const spec = TOPICS[topic];
  const cites = new CitationList(store);
  const claims = store.claims(entity.id);
  let facts = spec.predicates.flatMap((p) => claims.filter((c) => c.predicate === p));
  if (topic === 'dates') facts = facts.filter((c) => c.predicate !== 'event' || c.date);
  const elements: CardElement[] = [];
  if (facts.length > 0) {
    elements.push({ kind: 'section', lines: claimLines(facts, cites) });
  } else {
    elements.push({
      kind: 'section',
      heading: `I have no record of ${spec.none} for ${entity.name}. What I do have:`,
      lines: [{ text: entity.summary, cites: cites.cite(entity.summarySources) }],
    });
  }
  elements.push(...matchNote(match));
  return makeReply(
    topic,
    { title: `${spec.title}: ${entity.name}`, elements, citations: cites.citations },
    [ref(entity)],
    matchInfo(match),
  );
}

export function advisoryLines(advisories: readonly AdvisoryRecord[], cites: CitationList): Line[] {
  return advisories.map((a) => ({
    text: `${a.title} — ${a.publisher}, ${formatDate(a.published)}${a.url ? ` — ${a.url}` : ''}`,
    cites: cites.cite(a.sources),
  }));
}

export function composeAdvisoriesAbout(ctx: EntityContext): Reply {
  const { store, entity, match } = ctx;
  const cites = new CitationList(store);
  const advisories = store.advisoriesAbout(entity.id, 10);
  const elements: CardElement[] = advisories.length
    ? [{ kind: 'section', lines: advisoryLines(advisories, cites) }]
    : [{ kind: 'section', lines: [{ text: `I have no advisories about ${entity.name} on record.`, cites: [] }] }];
  elements.push(...matchNote(match));
  return makeReply(
    'advisories',
    { title: `Advisories about ${entity.name}`, elements, citations: cites.citations },
    [ref(entity)],
    matchInfo(match),
  );
}

export function composeLatest(store: FactStore, limit = 5): Reply {
  const cites = new CitationList(store);
  const advisories = store.latestAdvisories(limit);
  const elements: CardElement[] = advisories.length
    ? [{ kind: 'section', lines: advisoryLines(advisories, cites) }]
    : [{ kind: 'section', lines: [{ text: 'I have no advisories on record yet.', cites: [] }] }];
  const entities: EntityRef[] = [];
  for (const a of advisories) {
    for (const id of a.entities) {
      const e = store.entity(id);
      if (e && !entities.some((x) => x.id === id)) entities.push(ref(e));
    }
  }
  return makeReply('latest', { title: 'Latest advisories', elements, citations: cites.citations }, entities);
}

/** Composer for an intent that is about one entity. */
export function composeForEntity(intent: QuestionIntent, ctx: EntityContext): Reply {
  switch (intent) {
    case 'sanctions':
      return composeSanctions(ctx);
    case 'relations':
      return composeRelations(ctx);
    case 'count':
      return composeCount(ctx);
    case 'targets':
    case 'access':
    case 'dates':
      return composeTopic(ctx, intent);
    case 'advisories':
      return composeAdvisoriesAbout(ctx);
    case 'profile':
    case 'help':
    case 'latest':
      return composeProfile(ctx);
  }
}

/** The question a disambiguation button asks, for the chosen entity. */
export function questionFor(intent: QuestionIntent | undefined, name: string): string {
  switch (intent) {
    case 'sanctions':
      return `is ${name} sanctioned?`;
    case 'relations':
      return `who is ${name} linked to?`;
    case 'count':
      return `figures for ${name}`;
    case 'targets':
      return `what does ${name} target?`;
    case 'access':
      return `how does ${name} get in?`;
    case 'dates':
      return `when was ${name} first reported?`;
    case 'advisories':
      return `advisories about ${name}`;
    default:
      return `who is ${name}?`;
  }
}
