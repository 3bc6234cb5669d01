import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnswerEngine } from '../src/answer/engine.js';
import { LruCache } from '../src/base/lru.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { KNOWLEDGE, openTestBot, tempDir } from './helpers.js';

describe('an LRU cache', () => {
  it('holds at most its capacity, dropping the least recently used entry', () => {
    const cache = new LruCache<string, number>(3);
    for (const [i, key] of ['a', 'b', 'c'].entries()) cache.set(key, i);
    expect(cache.get('a')).toBe(0); // a is now the most recently used
    cache.set('d', 3);
    expect(cache.size).toBe(3);
    expect(cache.has('b')).toBe(false);
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([0, 2, 3]);
  });

  it('remembers a read that found nothing, without reading again', () => {
    const cache = new LruCache<string, string | undefined>(2);
    let reads = 0;
    const read = () => {
      reads++;
      return undefined;
    };
    cache.getOrSet('missing', read);
    cache.getOrSet('missing', read);
    expect(reads).toBe(1);
  });

  it('refuses a capacity that could hold nothing', () => {
    expect(() => new LruCache(0)).toThrow(/at least one entry/);
  });
});

describe('the fact store’s memoised reads', () => {
  it('stay within their bound however many different questions come, and answers stay the same', async () => {
    const reference = openTestBot(KNOWLEDGE);
    const capacity = 10;
    const store = new FactStore(openDatabase(join(tempDir(), 'small-cache.db')), { readCacheEntries: capacity });
    const engine = createAnswerEngine({ store, knowledgeDir: KNOWLEDGE, reloadIntervalMs: 0 });
    await engine.refresh();
    const names = store.db.prepare("SELECT name FROM entities WHERE tlp = 'CLEAR' ORDER BY id").pluck().all() as string[];
    const questions = names.slice(0, 12).flatMap((n) => [`who is ${n}?`, `is ${n} sanctioned?`]);
    expect(questions.length).toBeGreaterThan(capacity * 2);
    let most = 0;
    for (const q of questions) {
      const [small, full] = [await engine.answer(q), await reference.engine.answer(q)];
      most = Math.max(most, store.cachedReads);
      expect(small.text, q).toBe(full.text);
    }
    expect(most).toBe(capacity);
    store.db.close();
  });
});
