import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pino } from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningService, startService } from '../../adapters/serve.js';
import { loadServiceConfig } from '../../src/app/config.js';
import { KNOWLEDGE, tempDir } from '../helpers.js';

/**
 * The web console in a real browser: Debian's Chromium (installed by .ci/setup-e2e) driven by
 * playwright-core, against the service started as `serve` starts it. Every test also checks that
 * the page logged no error, no request failed and no response was an error.
 */

const WEBHOOK_TOKEN = 'webhook-token-0123456789abcdef';
const ADMIN_TOKEN = 'console-admin-token-0123456789';

/** The system's Chromium: CHROMIUM_PATH, else the first of Debian's names on PATH. Missing is a failure, never a skip. */
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // not this one
    }
  }
  throw new Error('no Chromium found: run .ci/setup-e2e (apt-get install -y chromium) or set CHROMIUM_PATH');
}

let service: RunningService;
let browser: Browser;
let page: Page;
let base: string;
let problems: string[];

beforeAll(async () => {
  const config = loadServiceConfig({
    PORT: '0',
    DATABASE_PATH: join(tempDir(), 'console.db'),
    KNOWLEDGE_DIR: KNOWLEDGE,
    ADVISORY_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
    CONSOLE_ADMIN_TOKEN: ADMIN_TOKEN,
  });
  service = await startService({ config, logger: pino({ level: 'silent' }), host: '127.0.0.1' });
  base = `http://localhost:${service.port}`;
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

beforeEach(async () => {
  problems = [];
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
});

afterEach(async () => {
  await page.close();
  expect(problems).toEqual([]);
});

async function ask(text: string): Promise<void> {
  const before = await page.locator('#log > li').count();
  await page.locator('#question').fill(text);
  await page.locator('#question').press('Enter');
  await page.locator('#log > li').nth(before).locator('.pair').waitFor();
}

describe('the web console in a browser', () => {
  it('shows an answer as the Slack message and the Teams card side by side, and their choice buttons ask the follow-up', async () => {
    await page.goto(`${base}/`);
    await ask('typhoon');
    const turn = page.locator('#log > li').first();
    const slack = turn.locator('.pane.slack');
    const teams = turn.locator('.pane.teams');
    await expect(slack.locator('.sk-header').textContent()).resolves.toBe('Which one do you mean?');
    expect(await teams.locator('.ac-adaptiveCard').count()).toBe(1);
    await expect(teams.locator('.ac-adaptiveCard').textContent()).resolves.toContain('Which one do you mean?');
    const [slackBox, teamsBox] = [await slack.boundingBox(), await teams.boundingBox()];
    expect(slackBox && teamsBox && Math.abs(slackBox.y - teamsBox.y) < 2 && teamsBox.x >= slackBox.x + slackBox.width).toBe(true);

    await teams.locator('.ac-pushButton', { hasText: 'Flax Typhoon' }).click();
    const followUp = page.locator('#log > li').nth(1);
    await followUp.locator('.pair').waitFor();
    await expect(followUp.locator('.you').textContent()).resolves.toBe('who is Flax Typhoon?');
    await expect(followUp.locator('.sk-header').textContent()).resolves.toContain('Flax Typhoon');
    await expect(followUp.locator('.ac-adaptiveCard').textContent()).resolves.toContain('Integrity Technology Group');
    await expect(followUp.locator('.sk-context a').first().getAttribute('href')).resolves.toMatch(/^https:\/\//);

    await slack.locator('button.sk-button', { hasText: 'Volt Typhoon' }).click();
    const third = page.locator('#log > li').nth(2);
    await third.locator('.pair').waitFor();
    await expect(third.locator('.sk-header').textContent()).resolves.toContain('Volt Typhoon');
  });

  it('shows what a user typed as text, never as markup', async () => {
    await page.goto(`${base}/`);
    await ask('who is <img src=x onerror="window.injected=1"><b>Evil</b> & co?');
    const turn = page.locator('#log > li').last();
    await expect(turn.locator('.you').textContent()).resolves.toContain('<img src=x');
    expect(await page.locator('#log img, #log b:text("Evil")').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { injected?: number }).injected)).toBeUndefined();
  });

  it('subscribes the console in its chat, lists it in the admin view, and shows its digest in the page', async () => {
    await page.goto(`${base}/`);
    await ask('subscribe daily 09:00');
    await expect(page.locator('#log > li').last().locator('.sk-header').textContent()).resolves.toBe('Subscribed: daily 09:00 UTC');

    await page.getByRole('link', { name: 'Admin' }).click();
    const row = page.locator('tr', { hasText: 'console' }).filter({ hasText: 'daily 09:00 UTC' });
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('web');
    await expect(row.getByRole('button', { name: 'Unsubscribe' }).isDisabled()).resolves.toBe(true);

    const added = await fetch(`${base}/advisories`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}` },
      body: JSON.stringify({
        id: 'console-e2e-advisory',
        title: 'Routers exploited by Volt Typhoon',
        publisher: 'CISA',
        published: '2025-03-01',
        summary: 'Pushed for the console test.',
        entities: ['volt-typhoon'],
        severity: 'high',
        sources: ['mitre-attack-g1017-volt-typhoon'],
      }),
    });
    expect(added.status).toBe(201);
    await page.getByRole('link', { name: 'Preview next digest' }).first().click();
    await expect(page.locator('.sk-message').textContent()).resolves.toContain('Routers exploited by Volt Typhoon');

    // The scheduler's tick, a day on: the subscription is due and its digest is delivered to the page.
    const report = await service.scheduler.runNow(new Date(Date.now() + 25 * 3600_000));
    expect(report?.sent).toBe(1);
    await page.goto(`${base}/`);
    const digest = page.locator('#log > li.digest');
    await digest.locator('.pair').waitFor();
    await expect(digest.locator('.sk-header').textContent()).resolves.toBe('ThreatBrief digest — 1 new advisory');
    await expect(digest.locator('.ac-adaptiveCard').textContent()).resolves.toContain('Routers exploited by Volt Typhoon');
  });

  it('lets the admin token sign in for actions and details, and refuses a form without its CSRF token', async () => {
    await page.goto(`${base}/admin`);
    await expect(page.locator('td', { hasText: 'needs the admin token' }).first().isVisible()).resolves.toBe(true);
    await page.locator('input[name="token"]').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText('Signed in with the admin token.').isVisible()).resolves.toBe(true);
    expect(await page.locator('td', { hasText: 'needs the admin token' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Unsubscribe' }).first().click();
    await page.getByText('No subscriptions.').waitFor();
    await expect(page.locator('tr', { hasText: 'unsubscribe' }).first().textContent()).resolves.toContain('web:admin');

    // A form posted with the signed-in session's cookies but without the page's token, as a forged form would be, is refused.
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const forged = await fetch(`${base}/admin/run-digests`, { method: 'POST', headers: { cookie }, body: new URLSearchParams() });
    expect(forged.status).toBe(403);
  });
});
