import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteState } from '../src/store/shared/sqlite.js';
import { CHANNEL, headerOf, type SlackHarness, shownTexts, startSlackHarness } from './slack-harness.js';

/** Commands typed in chat, as Slack delivers them, through the service's real HTTP path. */
describe('commands typed in chat', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(async () => {
    h.fake.reset();
    await createSqliteState(h.store).subscriptions.remove('slack', CHANNEL);
  });

  const ask = async (text: string) => {
    await h.command(text);
    await h.settle();
    const body = h.fake.responses.at(-1)!.body;
    return { header: headerOf(body), text: shownTexts(body).join('\n') };
  };
  const subscriptions = () => createSqliteState(h.store).subscriptions.forConversation('slack', CHANNEL);

  it('keeps the * of a cron schedule: the README’s own example subscribes', async () => {
    const reply = await ask('subscribe 0 9 * * 1-5 Europe/Paris');
    expect(reply.header).toMatch(/^Subscribed/);
    expect((await subscriptions()).map((s) => [s.cron, s.timezone])).toEqual([['0 9 * * 1-5', 'Europe/Paris']]);
  });

  it('keeps */15 and a lone * beside bold markup around the command word', async () => {
    await ask('*subscribe* */15 9-17 * * 1-5 UTC');
    expect((await subscriptions()).map((s) => s.cron)).toEqual(['*/15 9-17 * * 1-5']);
  });

  it('keeps the text after a second keyword in the filter', async () => {
    await ask('subscribe daily 09:00 UTC about ransomware on hospitals');
    expect((await subscriptions())[0]?.filters.map((f) => f.value)).toEqual(['ransomware on hospitals']);
    await ask('subscribe daily 10:00 UTC about ransomware for schools, wipers');
    expect((await subscriptions())[1]?.filters.map((f) => f.value)).toEqual(['ransomware for schools', 'wipers']);
  });

  it('takes “clearance for Salt Typhoon?” as a question, not the clearance command', async () => {
    const reply = await ask('clearance for Salt Typhoon?');
    expect(reply.header).not.toMatch(/TLP level|Clearance/);
    expect(reply.text).not.toMatch(/is not a TLP level/);
  });

  it('still reads the clearance command and names an unknown level', async () => {
    expect((await ask('clearance')).header).toBe('Clearance: TLP:CLEAR');
    expect((await ask('clearance purple')).header).toBe('Unknown TLP level');
  });
});
