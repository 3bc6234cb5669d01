import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// ws comes with Bolt (via its dependencies); it plays Slack's Socket Mode endpoint here.
import WebSocket from 'ws';
import { createLogger } from '../adapters/log.js';
import { type RunningService, startService } from '../adapters/serve.js';
import { loadServiceConfig } from '../src/app/config.js';
import { FAKE_IDS, type FakeSlack, startFakeSlack } from './doubles/fake-slack.js';
import { KNOWLEDGE, tempDir } from './helpers.js';
import { BOT_TOKEN, CHANNEL, FAST_RETRIES, headerOf, nextTs, USER } from './slack-harness.js';

const APP_TOKEN = 'xapp-1-A0TEST-0000-test';

describe('Socket Mode (SLACK_APP_TOKEN)', () => {
  let fake: FakeSlack;
  let wss: WebSocket.Server;
  let service: RunningService | undefined;
  const fromBot: { envelope_id: string }[] = [];
  let socket: Promise<WebSocket>;

  beforeEach(async () => {
    fake = await startFakeSlack();
    wss = new WebSocket.Server({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    fake.answerWith('apps.connections.open', { ok: true, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link` });
    socket = new Promise((resolve) =>
      wss.once('connection', (ws: WebSocket) => {
        ws.on('message', (data: WebSocket.Data) => fromBot.push(JSON.parse(String(data)) as { envelope_id: string }));
        ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: FAKE_IDS.appId } }));
        resolve(ws);
      }),
    );
    fromBot.length = 0;
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await new Promise((resolve) => wss.close(resolve));
    await fake.close();
  });

  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(check()).toBe(true);
  }

  it('connects with the app token, acks envelopes, answers commands and events, and dedupes redeliveries', async () => {
    const config = loadServiceConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      DATABASE_PATH: join(tempDir(), 'socket.db'),
      KNOWLEDGE_DIR: KNOWLEDGE,
    });
    service = await startService({
      config,
      logger: createLogger('silent'),
      slackClientOptions: { retryConfig: FAST_RETRIES },
      host: '127.0.0.1',
    });
    expect(fake.succeeded('apps.connections.open')[0]?.authorization).toBe(`Bearer ${APP_TOKEN}`);
    const health = (await (await fetch(`http://127.0.0.1:${service.port}/healthz`)).json()) as { adapters: string[] };
    expect(health.adapters).toEqual(['slack-socket']);

    const ws = await socket;
    const command = {
      team_id: FAKE_IDS.team,
      channel_id: CHANNEL,
      user_id: USER,
      command: '/threat',
      text: 'who is Flax Typhoon',
      response_url: fake.responseUrl('socket'),
      trigger_id: 't',
      api_app_id: FAKE_IDS.appId,
    };
    ws.send(JSON.stringify({ envelope_id: 'env-command', type: 'slash_commands', accepts_response_payload: true, payload: command }));
    await until(() => fake.responses.length === 1);
    expect(fromBot.map((m) => m.envelope_id)).toContain('env-command');
    expect(headerOf(fake.responses[0]!.body)).toBe('Flax Typhoon');

    const ts = nextTs();
    const event = {
      type: 'event_callback',
      team_id: FAKE_IDS.team,
      api_app_id: FAKE_IDS.appId,
      event_id: 'Ev0SOCKET',
      event_time: 1,
      event: { type: 'app_mention', user: USER, text: `<@${FAKE_IDS.botUserId}> latest`, ts, channel: CHANNEL, event_ts: ts },
    };
    for (const [i, envelope] of ['env-event', 'env-event-retry'].entries()) {
      ws.send(
        JSON.stringify({
          envelope_id: envelope,
          type: 'events_api',
          accepts_response_payload: false,
          retry_attempt: i,
          retry_reason: i ? 'timeout' : '',
          payload: event,
        }),
      );
    }
    await until(() => fromBot.some((m) => m.envelope_id === 'env-event-retry') && fake.succeeded('chat.postMessage').length === 1);
    await service.slack!.idle();
    expect(fake.succeeded('chat.postMessage')).toHaveLength(1);
    expect(fake.succeeded('chat.postMessage')[0]!.body).toMatchObject({ channel: CHANNEL, thread_ts: ts });
  });
});
