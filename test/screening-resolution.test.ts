import { describe, expect, it } from 'vitest';
import { nameKey, normalizeName, surnameWords, variantKey } from '../src/base/normalize.js';
import { NAME_INDEX_VERSION } from '../src/store/name-index.js';
import { type NameEntry, type Resolution, Resolver } from '../src/understand/resolve.js';
import { MINI_KNOWLEDGE, openTestBot } from './helpers.js';

const entry = (entityId: string, name: string, extra: Partial<NameEntry> = {}): NameEntry => ({
  entityId,
  entityName: name,
  name,
  canonical: true,
  ...extra,
});
const names: NameEntry[] = [
  entry('bogachev', 'BOGACHEV, Evgeniy Mikhailovich'),
  entry('hassan', 'HASSAN, Jamil'),
  entry('star', 'STAR TRADING LIMITED'),
  entry('energy', 'BALTIC ENERGY 6'),
  entry('fss', 'FEDERAL SECURITY SERVICE'),
  { entityId: 'fss', entityName: 'FEDERAL SECURITY SERVICE', name: 'FSB', canonical: false, weak: true, usedBy: 'OFAC SDN list, a.k.a.' },
  entry('wang', 'WANG, Omar'),
];
const resolver = new Resolver(names);
const screen = (text: string): Resolution => resolver.resolve(text, { screening: true });
const outcome = (r: Resolution) =>
  r.kind === 'match' ? ['yes', r.match.entityId] : r.kind === 'suggest' ? ['review', r.match.entityId] : [r.kind];

describe('name normalisation for screening', () => {
  it('drops case, diacritics, punctuation, dotted abbreviations and legal forms at either end', () => {
    expect(normalizeName('SUEX OTC, S.R.O.')).toBe('suex otc');
    expect(normalizeName('JSC PKK MILANDR')).toBe('pkk milandr');
    expect(normalizeName('LIMITED LIABILITY COMPANY VLADEKS KHOLDING')).toBe('vladeks kholding');
    expect(normalizeName('Golden Star FZE')).toBe('golden star');
    expect(normalizeName('Jamîl Hassán')).toBe('jamil hassan');
    // A two-letter surname is not a legal form.
    expect(normalizeName('WANG, Ao')).toBe('wang ao');
  });

  it('keys names by their words in any order, and romanisation variants by a shared key', () => {
    expect(nameKey(normalizeName('BOGACHEV, Evgeniy'))).toBe(nameKey(normalizeName('Evgeniy Bogachev')));
    expect(variantKey('aleksey')).toBe(variantKey('alexey'));
    expect(variantKey('sadegh')).toBe(variantKey('sadeq'));
    expect(variantKey('wang')).not.toBe(variantKey('yang'));
  });

  it('knows which words of a listed person are the surname', () => {
    expect(surnameWords('BOGACHEV, Evgeniy Mikhailovich')).toBe(1);
    expect(surnameWords('CORREA SALAS, Euclides')).toBe(2);
    expect(surnameWords('ANGLO-CARIBBEAN CO., LTD.')).toBe(0);
    expect(surnameWords('Flax Typhoon')).toBe(0);
  });
});

describe('scoring a screened name', () => {
  it.each([
    ['Evgeniy Bogachev', ['yes', 'bogachev'], 'surname and first given name, without the patronymic'],
    ['Evgeny Bogachev', ['yes', 'bogachev'], 'one letter off in the given name'],
    ['Bogachev', ['review', 'bogachev'], 'the surname alone'],
    ['Jamil Hassan', ['yes', 'hassan'], 'another word order'],
    ['George Hassan', ['none'], 'a listed surname with a given name the list does not have'],
    ['Star Trading Co', ['yes', 'star'], 'another legal form'],
    ['Golden Star Trading', ['review', 'star'], 'a listed name inside a longer one'],
    ['Baltic Energy', ['review', 'energy'], 'a listed vessel without its number'],
    ['FSB', ['review', 'fss'], 'a weak alias'],
    ['Omar Yang', ['review', 'wang'], 'one letter off in a four-letter surname'],
  ])('%s → %j (%s)', (text, expected) => {
    expect(outcome(screen(text))).toEqual(expected);
  });

  it('costs a typo in proportion to the letters changed, a swap half as much', () => {
    const score = (text: string) => {
      const r = screen(text);
      return r.kind === 'match' || r.kind === 'suggest' ? r.match.score : 0;
    };
    expect(score('Federal Security Servce')).toBeGreaterThan(score('Omar Yang'));
    expect(score('Federal Security Sevrice')).toBeGreaterThan(score('Federal Security Servce'));
    expect(score('Federal Secruity Sevrice')).toBeLessThan(score('Federal Security Sevrice'));
  });

  it('finds a name inside a longer question only when not screening', () => {
    expect(outcome(resolver.resolve('what is Star Trading Limited doing in Golden'))).toEqual(['yes', 'star']);
    const r = screen('is Golden Star Trading sanctioned?');
    expect(r.kind === 'suggest' && r.match.explanation).toBe(
      '“star trading” matches the name of STAR TRADING LIMITED, but the name asked about also has “golden” (score 0.69).',
    );
  });
});

describe('the persisted name index', () => {
  it('is rebuilt from entities and aliases when normalisation changes', async () => {
    const { store, engine } = openTestBot(MINI_KNOWLEDGE);
    await engine.refresh();
    const count = () => store.db.prepare('SELECT count(*) FROM name_index').pluck().get() as number;
    const before = count();
    expect(before).toBeGreaterThan(0);
    store.db.prepare("UPDATE meta SET value = 'old' WHERE key = 'name_index_version'").run();
    store.db.prepare('DELETE FROM name_index').run();
    expect(store.nameTable().size).toBe(before);
    expect(store.getMeta('name_index_version')).toBe(NAME_INDEX_VERSION);
    expect((await engine.answer('who is example panda')).entities[0]?.id).toBe('example-panda');
  });
});
