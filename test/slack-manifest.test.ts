import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { SLACK_EVENTS_PATH, SLACK_REDIRECT_PATH } from '../adapters/http-server.js';
import { BOT_SCOPES, SLASH_COMMAND } from '../adapters/slack/app.js';
import { COMMANDS } from '../src/answer/commands.js';
import { ROOT } from './helpers.js';

const manifest: unknown = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
const https = z.url({ protocol: /^https$/ });

/** The parts of Slack's app manifest schema this app uses, with Slack's documented limits (@slack/web-api Manifest). */
const ManifestSchema = z.strictObject({
  _metadata: z.strictObject({ major_version: z.literal([1, 2]), minor_version: z.number().int().min(0) }),
  display_information: z.strictObject({
    name: z.string().min(1).max(35),
    description: z.string().min(1).max(140),
    long_description: z.string().min(175).max(4000),
    background_color: z.string().regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i),
  }),
  features: z.strictObject({
    app_home: z.strictObject({
      home_tab_enabled: z.boolean(),
      messages_tab_enabled: z.literal(true),
      messages_tab_read_only_enabled: z.literal(false),
    }),
    bot_user: z.strictObject({ display_name: z.string().regex(/^[a-z0-9._-]{1,80}$/), always_online: z.boolean() }),
    slash_commands: z
      .array(
        z.strictObject({
          command: z.string().regex(/^\/[a-z0-9_-]{1,31}$/),
          url: https,
          description: z.string().min(1).max(2000),
          usage_hint: z.string().max(1000),
          should_escape: z.boolean(),
        }),
      )
      .max(50),
  }),
  oauth_config: z.strictObject({ redirect_urls: z.array(https).max(1000), scopes: z.strictObject({ bot: z.array(z.string()).max(255) }) }),
  settings: z.strictObject({
    event_subscriptions: z.strictObject({ request_url: https, bot_events: z.array(z.string()).max(100) }),
    interactivity: z.strictObject({ is_enabled: z.literal(true), request_url: https }),
    org_deploy_enabled: z.boolean(),
    socket_mode_enabled: z.boolean(),
    token_rotation_enabled: z.boolean(),
  }),
});

describe('manifest.json', () => {
  const m = ManifestSchema.parse(manifest);

  it('is a valid Slack app manifest within Slack limits', () => {
    expect(m.display_information.name).toBe('ThreatBrief');
  });

  it('has /threat as its only slash command, with a usage hint under 100 characters that names registry commands and help', () => {
    expect(m.features.slash_commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    const hint = m.features.slash_commands[0]!.usage_hint;
    // Slack shows the hint on one line under the command as it is typed: the whole list belongs to `help`.
    expect(hint.length).toBeLessThan(100);
    const usages = COMMANDS.map((c) => c.usage);
    for (const part of hint.split(' · '))
      expect(
        usages.some((u) => u.startsWith(part)),
        `"${part}" is not a registry command`,
      ).toBe(true);
    expect(hint.endsWith('help')).toBe(true);
  });

  it('subscribes to mentions, direct messages and its own uninstalling, with the fewest scopes that allows', () => {
    expect([...m.settings.event_subscriptions.bot_events].sort()).toEqual([
      'app_mention',
      'app_uninstalled',
      'message.im',
      'tokens_revoked',
    ]);
    expect([...m.oauth_config.scopes.bot].sort()).toEqual(['app_mentions:read', 'chat:write', 'commands', 'im:history', 'im:read']);
    // The install flow asks each workspace for the manifest's scopes, and sends it back to the one redirect path.
    expect([...BOT_SCOPES].sort()).toEqual([...m.oauth_config.scopes.bot].sort());
    expect(m.oauth_config.redirect_urls.map((u) => new URL(u).pathname)).toEqual([SLACK_REDIRECT_PATH]);
  });

  it('sends commands, events and interactivity to the one path Bolt serves', () => {
    const urls = [m.features.slash_commands[0]!.url, m.settings.event_subscriptions.request_url, m.settings.interactivity.request_url];
    for (const u of urls) expect(new URL(u).pathname).toBe(SLACK_EVENTS_PATH);
    expect(new Set(urls).size).toBe(1);
  });
});

describe('service code style', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
    });

  it('logs through pino: no console.* and no empty catch in the adapters', () => {
    for (const file of files(join(ROOT, 'adapters')).filter((f) => !f.includes(`${join('adapters', 'console')}`))) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/\bconsole\.(log|info|warn|error|debug)\(/);
      expect(text, file).not.toMatch(/catch\s*(\([^)]*\))?\s*\{\s*\}/);
    }
  });

  it('reads Slack settings only in src/app/config.ts', () => {
    for (const file of [...files(join(ROOT, 'adapters')), ...files(join(ROOT, 'src'))]) {
      if (file.endsWith(join('src', 'app', 'config.ts'))) continue;
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/process\.env/);
    }
  });
});
