import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from './doubles/fake-slack.js';
import { CLI, KNOWLEDGE, ROOT, seededStore } from './helpers.js';

let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack();
});
afterEach(async () => {
  await slack.close();
});

const FIXTURES = join(ROOT, 'test', 'fixtures', 'advisories');

describe('digests from the command line, as a new user would run them', () => {
  it('subscribe a channel, add an advisory, and see exactly one digest at the next scheduled time', async () => {
    const env = {
      ...process.env,
      DATABASE_PATH: seededStore(),
      KNOWLEDGE_DIR: KNOWLEDGE,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.apiUrl,
    };
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });
    // spawnSync blocks this process's event loop, so the fake Slack (in this process) must be
    // reached from a child that runs asynchronously: digest run is spawned with a promise below.
    const runAsync = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        import('node:child_process').then(({ execFile }) =>
          execFile(process.execPath, [CLI, ...args], { env, encoding: 'utf8' }, (err, stdout, stderr) =>
            resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
          ),
        );
      });

    const sub = run(
      'subscribe',
      '--platform',
      'slack',
      '--conversation',
      'C0SOC',
      '--schedule',
      '0 9 * * *',
      '--timezone',
      'Europe/London',
    );
    expect(sub.stderr).toBe('');
    expect(sub.stdout).toMatch(/^Subscribed: #1 slack C0SOC/);

    const add = run('advisory', 'add', join(FIXTURES, 'new-advisory.yaml'));
    expect(add.stdout).toMatch(/^added cisa-test-advisory-2025-02 \(sequence \d+\)/);
    expect(run('advisory', 'add', join(FIXTURES, 'new-advisory.yaml')).stdout).toContain('already known');

    const early = await runAsync('digest', 'run', '--at', '2000-01-01T00:00:00Z');
    expect(early.stdout).toContain('0 due');
    const at = new Date(Date.now() + 24 * 3600_000).toISOString();
    const first = await runAsync('digest', 'run', '--at', at);
    expect(first.stdout).toContain('1 sent');
    const again = await runAsync('digest', 'run', '--at', at);
    expect(again.stdout).toContain('0 sent');
    const posts = slack.succeeded('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe('C0SOC');
    expect(String(posts[0]!.body.text)).toContain('Test advisory about Flax Typhoon routers');
  });

  it('refuses bad input with messages that say what is wrong, and changes nothing', () => {
    const env = { ...process.env, DATABASE_PATH: seededStore(), KNOWLEDGE_DIR: KNOWLEDGE };
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });
    const bad = run('advisory', 'add', join(FIXTURES, 'broken-advisory.json'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/broken-advisory\.json: id: must be kebab-case/);
    expect(bad.stderr).toMatch(/broken-advisory\.json: published: must be a date/);
    expect(bad.stderr).toMatch(/broken-advisory\.json: sources: needs at least one source id/);
    expect(bad.stderr).toContain('nothing was added');
    expect(run('subscribe', '--platform', 'irc', '--conversation', 'x', '--schedule', '0 9 * * *').stderr).toContain(
      '--platform must be one of slack, teams, console',
    );
    expect(run('subscribe', '--platform', 'slack', '--conversation', 'C1', '--schedule', '0 9 * *').stderr).toContain(
      'a cron expression has 5 fields',
    );
    expect(
      run('subscribe', '--platform', 'slack', '--conversation', 'C1', '--schedule', '0 9 * * *', '--timezone', 'Europe/Londn').stderr,
    ).toContain('"Europe/Londn" is not a known IANA time zone');
    expect(run('digest', 'run', '--at', 'tomorrow').stderr).toContain('--at: "tomorrow" is not an ISO-8601 instant');
    expect(run('advisory', 'add', join(FIXTURES, 'missing.yaml')).stderr).toMatch(/missing\.yaml: cannot read the file \(ENOENT\)/);
  });
});
