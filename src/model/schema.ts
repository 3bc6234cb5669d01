import * as z from 'zod';
import { TLP_LEVELS } from '../base/tlp.js';
import { atMost, LIMITS } from './limits.js';

/** Traffic Light Protocol marking; curated facts are CLEAR unless marked otherwise. */
export const TlpSchema = z.enum(TLP_LEVELS, { error: `must be one of ${TLP_LEVELS.join(', ')}` }).default('CLEAR');

/** Ids are kebab-case so they read well in YAML cross-references and file names. */
export const Id = z
  .string()
  .max(LIMITS.idChars, atMost(LIMITS.idChars))
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'must be kebab-case: lower-case letters, digits and single hyphens' });

/** A calendar date, or a month or year when the source is no more precise ("2021", "2024-06"). */
export const PartialDate = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .pipe(z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, { error: 'must be a date as YYYY, YYYY-MM or YYYY-MM-DD' }));

const SourceRefs = z
  .array(Id)
  .min(1, { error: 'needs at least one source id' })
  .max(LIMITS.sourcesPerRecord, { error: `at most ${LIMITS.sourcesPerRecord} sources` });

export const SourceKind = z.enum(['government', 'vendor', 'press', 'research', 'dataset']);

const Url = z.url({ protocol: /^https?$/ }).max(LIMITS.url, atMost(LIMITS.url));

export const SourceSchema = z.strictObject({
  id: Id,
  publisher: z.string().min(1).max(LIMITS.publisher, atMost(LIMITS.publisher)),
  title: z.string().min(1).max(LIMITS.sourceTitle, atMost(LIMITS.sourceTitle)),
  url: Url.optional(),
  date: PartialDate,
  kind: SourceKind,
  /** Confidence grade of the source as curated: A primary/official, B well-attested secondary. */
  reliability: z.enum(['A', 'B']),
  note: z.string().optional(),
});
export type Source = z.infer<typeof SourceSchema>;

export const EntityType = z.enum([
  'threat-actor',
  'organization',
  'government-body',
  'person',
  'malware',
  'botnet',
  'campaign',
  'incident',
  /** Something that happened on a date: an advisory's publication, a designation, a takedown. */
  'event',
  'vulnerability',
  'country',
]);
export type EntityType = z.infer<typeof EntityType>;

export const AliasKind = z.enum(['name', 'former-name', 'abbreviation', 'native-name', 'ticker', 'identifier']);

export const AliasSchema = z.strictObject({
  name: z.string().min(1).max(LIMITS.aliasName, atMost(LIMITS.aliasName)),
  kind: AliasKind.default('name'),
  /** Who uses this name, e.g. "CrowdStrike" for ETHEREAL PANDA. */
  used_by: z.string().min(1).optional(),
  sources: SourceRefs.optional(),
});

/**
 * What a claim says. Relation predicates take an `object` entity; the others a text, and
 * `count` a `quantity`. The question-answering intents select claims by predicate.
 */
export const Predicate = z.enum([
  // profile
  'description',
  'role',
  'activity',
  'listing',
  'statement',
  'response',
  'event',
  // time
  'active-since',
  'first-reported',
  // behaviour
  'targets',
  'victims',
  'initial-access',
  'tooling',
  // numbers
  'count',
  // relations (object is an entity)
  'linked-to',
  'operates',
  'operated-by',
  'attributed-to',
  'uses',
  'accused-by',
  'part-of',
  'disrupted-by',
  'member-of',
  // a mitigation of a technique (ATT&CK's "mitigates", read from the technique's side)
  'mitigated-by',
  // a security vendor or researcher that tracks an actor, usually under its own name
  'tracks',
]);
export type Predicate = z.infer<typeof Predicate>;

export const RELATION_PREDICATES: ReadonlySet<Predicate> = new Set([
  'linked-to',
  'operates',
  'operated-by',
  'attributed-to',
  'uses',
  'accused-by',
  'part-of',
  'disrupted-by',
  'member-of',
  'mitigated-by',
  'tracks',
]);

export const QuantitySchema = z.strictObject({
  value: z.number().nonnegative(),
  /** "more than", "about", "at least", "peak of more than"… as the source words it. */
  qualifier: z.string().optional(),
  unit: z.string().min(1),
  as_of: PartialDate.optional(),
});

export const ClaimSchema = z
  .strictObject({
    predicate: Predicate,
    /** The reviewed sentence shown to users. It must say only what its sources say. */
    text: z.string().min(1).max(LIMITS.claimText, atMost(LIMITS.claimText)),
    object: Id.optional(),
    quantity: QuantitySchema.optional(),
    date: PartialDate.optional(),
    sources: SourceRefs,
    tlp: TlpSchema,
  })
  .superRefine((c, ctx) => {
    if (RELATION_PREDICATES.has(c.predicate) && !c.object) {
      ctx.addIssue({ code: 'custom', path: ['object'], message: `a "${c.predicate}" claim needs an object entity id` });
    }
    if (c.predicate === 'count' && !c.quantity) {
      ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'a "count" claim needs a quantity' });
    }
  });
export type Claim = z.infer<typeof ClaimSchema>;

export const EntitySchema = z.strictObject({
  id: Id,
  type: EntityType,
  name: z.string().min(1).max(LIMITS.entityName, atMost(LIMITS.entityName)),
  summary: z.string().min(1).max(LIMITS.entitySummary, atMost(LIMITS.entitySummary)),
  summary_sources: SourceRefs,
  aliases: z.array(AliasSchema).default([]),
  claims: z.array(ClaimSchema).default([]),
  /** Marks the entity itself (its name, summary and aliases); each claim has its own marking. */
  tlp: TlpSchema,
});
export type Entity = z.infer<typeof EntitySchema>;

export const SanctionSchema = z.strictObject({
  id: Id,
  /** The designated entity. */
  target: Id,
  /** The designating body, an entity id (e.g. ofac). */
  designated_by: Id,
  date: PartialDate,
  /** Legal authority, e.g. "E.O. 13694, as amended by E.O. 13757"; left out when the sources don't say. */
  authority: z.string().min(1).optional(),
  program: z.string().min(1).optional(),
  status: z.enum(['active', 'delisted']).default('active'),
  /** Why, as the designating body put it. */
  reason: z.string().min(1).max(LIMITS.sanctionText, atMost(LIMITS.sanctionText)),
  /** What the designation blocks and prohibits. */
  effects: z.array(z.string().min(1).max(LIMITS.sanctionText, atMost(LIMITS.sanctionText))).default([]),
  reference: z.strictObject({ title: z.string().min(1).max(LIMITS.sourceTitle, atMost(LIMITS.sourceTitle)), url: Url.optional() }),
  /**
   * Entities the designation is about besides its target: the actor, campaign or incident the
   * designating body tied it to (Salt Typhoon for Sichuan Juxinhe). Questions such as "was X
   * sanctioned for Y?" are checked against this list.
   */
  concerning: z.array(Id).default([]),
  sources: SourceRefs,
  tlp: TlpSchema,
});
export type Sanction = z.infer<typeof SanctionSchema>;

export const AdvisorySchema = z.strictObject({
  id: Id,
  title: z.string().min(1).max(LIMITS.advisoryTitle, atMost(LIMITS.advisoryTitle)),
  publisher: z.string().min(1).max(LIMITS.publisher, atMost(LIMITS.publisher)),
  published: PartialDate,
  url: Url.optional(),
  summary: z.string().min(1).max(LIMITS.advisorySummary, atMost(LIMITS.advisorySummary)),
  entities: z
    .array(Id)
    .max(LIMITS.advisoryEntities, { error: `at most ${LIMITS.advisoryEntities} entities` })
    .default([]),
  severity: z.enum(['info', 'low', 'medium', 'high', 'critical']).default('info'),
  sources: SourceRefs,
  tlp: TlpSchema,
});
export type Advisory = z.infer<typeof AdvisorySchema>;

/** The folder each kind of knowledge file lives in, under knowledge/. */
export const KNOWLEDGE_FOLDERS = {
  sources: SourceSchema,
  entities: EntitySchema,
  sanctions: SanctionSchema,
  advisories: AdvisorySchema,
} as const;
export type KnowledgeFolder = keyof typeof KNOWLEDGE_FOLDERS;

/** Every knowledge file, validated and cross-checked: what a knowledge load writes to the store. */
export interface KnowledgeBase {
  /** Content hash of every knowledge file: changes exactly when the knowledge does. */
  version: string;
  sources: Source[];
  entities: Entity[];
  sanctions: Sanction[];
  advisories: Advisory[];
}
