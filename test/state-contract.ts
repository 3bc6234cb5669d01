import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewAdvisory } from '../src/store/fact-store.js';
import type { SharedState } from '../src/store/shared/state.js';

/**
 * What every shared-state engine promises, as one suite: test/shared-state.test.ts runs it on
 * SQLite (npm test), test/e2e/postgres-state.test.ts on a real PostgreSQL (npm run test:e2e).
 * `open` gives a fresh, empty state each time.
 */
export function describeSharedState(engine: string, open: () => Promise<{ state: SharedState; close(): Promise<void> }>): void {
  describe(`shared state on ${engine}`, () => {
    let state: SharedState;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ state, close } = await open());
    });
    afterEach(async () => {
      await close();
    });

    const advisory = (id: string): NewAdvisory => ({
      id,
      title: `Advisory ${id}`,
      publisher: 'CISA',
      published: '2025-01-02',
      summary: 'summary',
      entities: ['flax-typhoon'],
      severity: 'high',
      sources: ['cisa'],
    });
    const daily = { cron: '0 9 * * *', timezone: 'UTC', label: 'daily at 09:00 UTC' };
    const at = new Date('2025-01-06T09:00:00Z');

    it('numbers advisories in order of addition, all of a batch or none, and a known id changes nothing', async () => {
      expect(await state.advisories.lastSeq()).toBe(0);
      const first = await state.advisories.addAll([advisory('a'), advisory('b')], 'test', at);
      expect(first.map((r) => [r.id, r.seq, r.added])).toEqual([
        ['a', 1, true],
        ['b', 2, true],
      ]);
      const again = await state.advisories.addAll([advisory('b'), advisory('c')], 'test', at);
      expect(again.map((r) => [r.id, r.seq, r.added])).toEqual([
        ['b', 2, false],
        ['c', 3, true],
      ]);
      expect(await state.advisories.lastSeq()).toBe(3);
      expect((await state.advisories.between(1, 3)).map((a) => a.id)).toEqual(['b', 'c']);
      expect((await state.advisories.after(0, 2)).map((a) => a.seq)).toEqual([1, 2]);
      expect((await state.advisories.between(0, 1))[0]).toMatchObject({
        title: 'Advisory a',
        entities: ['flax-typhoon'],
        sources: ['cisa'],
      });
    });

    it('gives concurrent writers consecutive sequence numbers, none twice', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => state.advisories.addAll([advisory(`p${i}a`), advisory(`p${i}b`)], 'test', at)),
      );
      const seqs = results.flat().map((r) => r.seq);
      expect(seqs.sort((x, y) => x - y)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    });

    it('subscribes once per conversation and schedule, from the newest advisory on, and unsubscribes', async () => {
      await state.advisories.addAll([advisory('old')], 'test', at);
      const sub = {
        platform: 'slack',
        conversation: 'C1',
        schedule: daily,
        filters: [{ kind: 'keyword' as const, value: 'x', label: '“x”' }],
      };
      const first = await state.subscriptions.add({ ...sub, createdBy: 'U1' }, at);
      expect(first.created).toBe(true);
      expect(first.subscription).toMatchObject({ platform: 'slack', conversation: 'C1', cron: '0 9 * * *', lastSeq: 1, createdBy: 'U1' });
      expect(first.subscription.filters).toEqual(sub.filters);
      expect((await state.subscriptions.add(sub, at)).created).toBe(false);
      await state.subscriptions.add({ ...sub, conversation: 'C2' }, at);
      expect((await state.subscriptions.forConversation('slack', 'C1')).map((s) => s.id)).toEqual([first.subscription.id]);
      expect(await state.subscriptions.all()).toHaveLength(2);
      expect(await state.subscriptions.get(first.subscription.id)).toEqual(first.subscription);
      expect(await state.subscriptions.remove('slack', 'C1', first.subscription.id + 100)).toBe(0);
      expect(await state.subscriptions.remove('slack', 'C1')).toBe(1);
      expect(await state.subscriptions.all()).toHaveLength(1);
    });

    it("keeps each subscription's Slack installation, hands it out with its digests, and removes one installation's subscriptions", async () => {
      const sub = (conversation: string, team?: string) => ({
        platform: 'slack',
        conversation,
        schedule: daily,
        filters: [],
        ...(team ? { team } : {}),
      });
      const a = (await state.subscriptions.add(sub('C1', 'T1'), at)).subscription;
      const b = (await state.subscriptions.add(sub('C2', 'T2'), at)).subscription;
      const single = (await state.subscriptions.add(sub('C3'), at)).subscription;
      expect([a.team, b.team, single.team]).toEqual(['T1', 'T2', undefined]);
      for (const s of [a, b]) await state.outbox.advance(s, 1, new Date(at.getTime() + 1000), { fromSeq: 1, toSeq: 1, reply: '{}' });
      const first = await state.outbox.claimNext('r1', ['slack'], 0, 60_000, Date.now());
      expect(first).toMatchObject({ conversation: 'C1', team: 'T1' });
      // Operators' views see each digest's workspace too (its clearance is that workspace's).
      expect((await state.outbox.recent(10)).map((r) => r.team).sort()).toEqual(['T1', 'T2']);
      expect(await state.subscriptions.removeTeam('slack', 'T1')).toBe(1);
      expect(await state.subscriptions.removeTeam('teams', 'T2')).toBe(0);
      expect((await state.subscriptions.all()).map((s) => s.conversation)).toEqual(['C2', 'C3']);
      // Its pending digest went with it.
      expect(await state.outbox.pendingCount()).toBe(1);
    });

    it('advances a subscription only from the state it was read in, queueing its digest once', async () => {
      const { subscription } = await state.subscriptions.add({ platform: 'slack', conversation: 'C1', schedule: daily, filters: [] }, at);
      await state.advisories.addAll([advisory('a')], 'test', at);
      const later = new Date(at.getTime() + 86_400_000);
      const digest = { fromSeq: 1, toSeq: 1, reply: '{"text":"digest"}' };
      const [one, two] = await Promise.all([
        state.outbox.advance(subscription, 1, later, digest),
        state.outbox.advance(subscription, 1, later, digest),
      ]);
      expect([one, two].sort()).toEqual([true, undefined]);
      expect(await state.outbox.ofSubscription(subscription.id)).toEqual([
        expect.objectContaining({ status: 'pending', fromSeq: 1, toSeq: 1, attempts: 0 }),
      ]);
      expect(await state.subscriptions.get(subscription.id)).toMatchObject({ lastSeq: 1, lastRunAt: later.toISOString() });
      // Nothing new: the subscription moves on, no row is written.
      const moved = (await state.subscriptions.get(subscription.id))!;
      expect(await state.outbox.advance(moved, 1, new Date(later.getTime() + 1000), undefined)).toBe(false);
      expect(await state.outbox.pendingCount()).toBe(1);
    });

    it('gives each pending digest to one claimant at a time; a lapsed claim is taken over; sent rows leave', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 6; i++) {
        const { subscription } = await state.subscriptions.add(
          { platform: i % 2 ? 'teams' : 'slack', conversation: `C${i}`, schedule: daily, filters: [] },
          at,
        );
        await state.outbox.advance(subscription, 1, new Date(at.getTime() + 1000), { fromSeq: 1, toSeq: 1, reply: `{"n":${i}}` });
        ids.push(subscription.id);
      }
      const now = Date.now();
      // Three claimants race for the Slack rows: every row goes to exactly one of them.
      const claimed = await Promise.all(
        ['r1', 'r2', 'r3'].map(async (holder) => {
          const mine: number[] = [];
          for (let after = 0; ; ) {
            const row = await state.outbox.claimNext(holder, ['slack'], after, 60_000, now);
            if (!row) return mine;
            mine.push(row.id);
            after = row.id;
          }
        }),
      );
      const all = claimed.flat().sort((a, b) => a - b);
      expect(all).toHaveLength(3);
      expect(new Set(all).size).toBe(3);
      // Held by others until the claim lapses; then taken over.
      expect(await state.outbox.claimNext('r4', ['slack'], 0, 60_000, now + 1000)).toBeUndefined();
      const takeover = await state.outbox.claimNext('r4', ['slack'], 0, 60_000, now + 61_000);
      expect(takeover).toMatchObject({ id: all[0], platform: 'slack' });
      await state.outbox.markSending(takeover!.id, new Date());
      await state.outbox.markSent(takeover!.id, new Date());
      await state.outbox.markFailed(all[1]!, 'HTTP 500');
      // A failure releases the claim at once; the sent row is gone; the third is still someone's.
      const next = await state.outbox.claimNext('r5', ['slack'], 0, 60_000, now + 2000);
      expect(next?.id).toBe(all[1]);
      expect(next?.sendingAt).toBeUndefined();
      expect(await state.outbox.pendingCount()).toBe(5);
      // A post that got no answer may have arrived: the row stays marked in flight for the next claimant to confirm.
      await state.outbox.markSending(next!.id, new Date(now));
      await state.outbox.markFailed(next!.id, 'timed out', true);
      const again = await state.outbox.claimNext('r6', ['slack'], 0, 60_000, now + 3000);
      expect(again).toMatchObject({ id: next!.id, sendingAt: new Date(now).toISOString() });
    });

    it('shows operators the outbox: pending digests first with why they wait, and each conversation its delivered ones', async () => {
      const rows: number[] = [];
      for (const conversation of ['C1', 'C2']) {
        const { subscription } = await state.subscriptions.add({ platform: 'slack', conversation, schedule: daily, filters: [] }, at);
        await state.outbox.advance(subscription, 1, new Date(at.getTime() + 1000), {
          fromSeq: 1,
          toSeq: 1,
          reply: `{"to":"${conversation}"}`,
        });
        rows.push((await state.outbox.ofSubscription(subscription.id))[0]!.id);
      }
      await state.outbox.markSent(rows[0]!, new Date(at.getTime() + 2000));
      await state.outbox.markFailed(rows[1]!, 'channel_not_found');
      const recent = await state.outbox.recent(10);
      expect(recent.map((r) => [r.conversation, r.status, r.lastError])).toEqual([
        ['C2', 'pending', 'channel_not_found'],
        ['C1', 'sent', null],
      ]);
      expect(recent[1]).toMatchObject({ attempts: 1, reply: '{"to":"C1"}', sentAt: new Date(at.getTime() + 2000).toISOString() });
      expect((await state.outbox.pending(10)).map((r) => [r.conversation, r.lastError])).toEqual([['C2', 'channel_not_found']]);
      expect((await state.outbox.delivered('slack', 'C1', 0, 10)).map((r) => r.id)).toEqual([rows[0]]);
      expect(await state.outbox.delivered('slack', 'C1', rows[0]!, 10)).toEqual([]);
      expect(await state.outbox.delivered('slack', 'C2', 0, 10)).toEqual([]);
    });

    it('remembers a digest that was in flight, for the check before posting it again', async () => {
      const { subscription } = await state.subscriptions.add({ platform: 'slack', conversation: 'C1', schedule: daily, filters: [] }, at);
      await state.outbox.advance(subscription, 1, new Date(at.getTime() + 1000), { fromSeq: 1, toSeq: 1, reply: '{}' });
      const row = await state.outbox.claimNext('dead', ['slack'], 0, 1000, 0);
      await state.outbox.markSending(row!.id, new Date('2025-01-07T09:00:00Z'));
      const again = await state.outbox.claimNext('alive', ['slack'], 0, 1000, 5000);
      expect(again).toMatchObject({ id: row!.id, conversation: 'C1', sendingAt: '2025-01-07T09:00:00.000Z' });
    });

    it('leases: acquire, renew, refuse while held, take over once expired, release', async () => {
      const { leases } = state;
      const t = 1_000_000;
      expect(await leases.acquire('x', 'one', 1000, t)).toBe(true);
      expect(await leases.acquire('x', 'two', 1000, t + 500)).toBe(false);
      expect(await leases.acquire('x', 'one', 1000, t + 900)).toBe(true); // renewed until t + 1900
      expect(await leases.acquire('x', 'two', 1000, t + 1500)).toBe(false);
      expect(await leases.acquire('x', 'two', 1000, t + 1900)).toBe(true);
      expect(await leases.holder('x', t + 1900)).toEqual({ holder: 'two', expiresAt: t + 2900 });
      await leases.release('x', 'one'); // not the holder: no effect
      expect((await leases.holder('x', t + 2000))?.holder).toBe('two');
      await leases.release('x', 'two');
      expect(await leases.holder('x', t + 2000)).toBeUndefined();
    });

    it('lets one of many racing claimants take a free lease', async () => {
      const won = await Promise.all(['a', 'b', 'c', 'd'].map((h) => state.leases.acquire('race', h, 10_000)));
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it('says a key is new once, to every caller, until it is older than the keeping period', async () => {
      const firsts = await Promise.all([1, 2, 3].map(() => state.seen.firstTime('Ev1', 1000, 60_000)));
      expect(firsts.filter(Boolean)).toHaveLength(1);
      expect(await state.seen.firstTime('Ev1', 2000, 60_000)).toBe(false);
      expect(await state.seen.firstTime('Ev1', 70_000, 60_000)).toBe(true);
    });

    it('stores a conversation reference once, and replaces it only on update', async () => {
      expect(await state.conversationRefs.get('teams', '19:a')).toBeUndefined();
      expect(await state.conversationRefs.insert('teams', '19:a', '{"v":1}', at)).toBe(true);
      expect(await state.conversationRefs.insert('teams', '19:a', '{"v":2}', at)).toBe(false);
      expect(await state.conversationRefs.get('teams', '19:a')).toBe('{"v":1}');
      await state.conversationRefs.update('teams', '19:a', '{"v":3}', at);
      expect(await state.conversationRefs.get('teams', '19:a')).toBe('{"v":3}');
    });

    it('keeps clearances per scope and the audit trail newest first', async () => {
      await state.clearances.set('conversation', 'slack', 'C1', 'AMBER', 'slack:U1', at);
      await state.clearances.set('user', 'slack', 'C1', 'RED', 'slack:U1', at);
      await state.clearances.set('conversation', 'slack', 'C1', 'GREEN', 'slack:U2', at);
      expect(await state.clearances.get('conversation', 'slack', 'C1')).toBe('GREEN');
      expect(await state.clearances.get('user', 'slack', 'C1')).toBe('RED');
      expect(await state.clearances.get('user', 'teams', 'C1')).toBeUndefined();
      for (const action of ['one', 'two', 'three'])
        await state.audit.append({ at: at.toISOString(), platform: 'slack', actor: 'slack:U1', action, place: 'C1', detail: '{}' });
      expect((await state.audit.recent(2)).map((e) => e.action)).toEqual(['three', 'two']);
    });

    it('keeps a conversation context with its time, and purges old ones', async () => {
      await state.contexts.set('k1', '{"entities":["a"]}', 1000);
      await state.contexts.set('k2', '{"entities":["b"]}', 5000);
      await state.contexts.set('k1', '{"entities":["c"]}', 2000);
      expect(await state.contexts.get('k1')).toEqual({ context: '{"entities":["c"]}', updatedAt: 2000 });
      await state.contexts.purgeBefore(3000);
      expect(await state.contexts.get('k1')).toBeUndefined();
      expect((await state.contexts.get('k2'))?.updatedAt).toBe(5000);
    });

    it('saves, replaces and deletes a sealed installation', async () => {
      await state.installations.save('team:T1', 'sealed-1', at);
      await state.installations.save('team:T1', 'sealed-2', at);
      expect(await state.installations.fetch('team:T1')).toBe('sealed-2');
      expect(await state.installations.delete('team:T1')).toBe(true);
      expect(await state.installations.delete('team:T1')).toBe(false);
      expect(await state.installations.fetch('team:T1')).toBeUndefined();
    });
  });
}
