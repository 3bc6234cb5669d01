import { describe, expect, it } from 'vitest';
import { editDistance, normalizeName, stripChatMarkup } from '../src/base/normalize.js';
import { type NameEntry, Resolver } from '../src/understand/resolve.js';

const names: NameEntry[] = [
  { entityId: 'flax', entityName: 'Flax Typhoon', name: 'Flax Typhoon', canonical: true },
  { entityId: 'flax', entityName: 'Flax Typhoon', name: 'ETHEREAL PANDA', usedBy: 'CrowdStrike', canonical: false },
  { entityId: 'salt', entityName: 'Salt Typhoon', name: 'Salt Typhoon', canonical: true },
  { entityId: 'volt', entityName: 'Volt Typhoon', name: 'Volt Typhoon', canonical: true },
  {
    entityId: 'itg',
    entityName: 'Integrity Technology Group, Incorporated',
    name: 'Integrity Technology Group, Incorporated',
    canonical: true,
  },
  { entityId: 'itg', entityName: 'Integrity Technology Group, Incorporated', name: 'Integrity Tech', canonical: false },
  { entityId: 'bogachev', entityName: 'BOGACHEV, Evgeniy Mikhailovich', name: 'BOGACHEV, Evgeniy Mikhailovich', canonical: true },
];
const resolver = new Resolver(names);

function resolvedId(text: string): string | undefined {
  const r = resolver.resolve(text);
  return r.kind === 'match' ? r.match.entityId : undefined;
}

describe('entity resolution', () => {
  it.each([
    ['Flax Typhoon', 'flax', 'exact'],
    ['ethereal panda', 'flax', 'exact'],
    ['Integrity Technology Group Co., Ltd.', 'itg', 'exact'],
    ['Evgeniy Mikhailovich Bogachev', 'bogachev', 'word-order'],
    ['flax typhon', 'flax', 'typo'],
    ['integrity tehc', 'itg', 'typo'],
  ])('%s → %s (%s)', (text, id, method) => {
    const r = resolver.resolve(text);
    expect(r.kind).toBe('match');
    if (r.kind === 'match') {
      expect(r.match.entityId).toBe(id);
      expect(r.match.method).toBe(method);
      expect(r.match.explanation).toMatch(/score \d\.\d\d/);
    }
  });

  it('explains an alias match with who uses the name', () => {
    const r = resolver.resolve('who is Ethereal Panda?');
    expect(r.kind === 'match' && r.match.explanation).toBe(
      '“ethereal panda” matches the alias “ETHEREAL PANDA” (used by CrowdStrike) of Flax Typhoon (score 1.00).',
    );
  });

  it('asks which one when a word fits several entities equally', () => {
    const r = resolver.resolve('who is Typhoon?');
    expect(r.kind).toBe('ambiguous');
    if (r.kind === 'ambiguous') expect(r.candidates.map((c) => c.entityId).sort()).toEqual(['flax', 'salt', 'volt']);
  });

  it('abstains on names it does not know, and on generic words', () => {
    expect(resolver.resolve('Acme Widgets Ltd').kind).toBe('none');
    expect(resolver.resolve('group').kind).toBe('none');
    expect(resolver.resolve('technology').kind).toBe('none');
    expect(resolvedId('who is Fax?')).toBeUndefined();
  });

  it('does not let a far-off spelling through', () => {
    expect(resolvedId('Flux Tycoon')).toBeUndefined();
    expect(resolvedId('Salt Lake City')).toBeUndefined();
  });
});

describe('normalisation', () => {
  it('drops case, diacritics, punctuation and corporate suffixes', () => {
    expect(normalizeName('Intégrity  Technology Group, Inc.')).toBe('integrity technology');
    expect(normalizeName('Sichuan Juxinhe Network Technology Co., LTD.')).toBe('sichuan juxinhe network technology');
    expect(normalizeName('永信至诚')).toBe('永信至诚');
  });

  it('strips Slack and Teams markup', () => {
    expect(stripChatMarkup('<@U0BOT> who is *Flax Typhoon*?')).toBe('who is Flax Typhoon?');
    expect(stripChatMarkup('<at>ThreatBrief</at> is <https://x.example|Integrity Tech> sanctioned')).toBe('is Integrity Tech sanctioned');
    expect(stripChatMarkup('<!channel> hi &amp; bye')).toBe('hi & bye');
  });

  it('counts transpositions as one edit', () => {
    expect(editDistance('tehc', 'tech')).toBe(1);
    expect(editDistance('typhoon', 'typhon')).toBe(1);
    expect(editDistance('abc', 'xyz', 1)).toBe(2);
  });
});
