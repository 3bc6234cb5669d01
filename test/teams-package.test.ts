import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTeamsManifest, teamsCommands } from '../adapters/teams/app-manifest.js';

import { COMMANDS } from '../src/answer/commands.js';
import { ROOT } from './helpers.js';

const PACKAGE_DIR = join(ROOT, 'adapters', 'teams', 'app-package');
const template = JSON.parse(readFileSync(join(PACKAGE_DIR, 'manifest.json'), 'utf8'));

function pngSize(file: string): [number, number] {
  const b = readFileSync(join(PACKAGE_DIR, file));
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('the Teams app package', () => {
  it('is a current-schema manifest for a bot in personal, team and group chats', () => {
    expect(template.$schema).toContain(`/v${template.manifestVersion}/MicrosoftTeams.schema.json`);
    expect(template.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(template.name.short.length).toBeLessThanOrEqual(30);
    expect(template.description.short.length).toBeLessThanOrEqual(80);
    expect(pngSize(template.icons.color)).toEqual([192, 192]);
    expect(pngSize(template.icons.outline)).toEqual([32, 32]);
  });

  it('lists commands from the registry, within Teams limits, each one the bot understands', () => {
    const manifest = buildTeamsManifest(template, '11111111-2222-3333-4444-555555555555');
    const commands = manifest.bots[0]!.commandLists[0]!.commands;
    expect(commands).toEqual(teamsCommands());
    expect(commands.length).toBeLessThanOrEqual(10);
    for (const c of commands) {
      const spec = COMMANDS.find((s) => s.prompt === c.title);
      expect(spec, c.title).toBeDefined();
      expect(c.title.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeLessThanOrEqual(128);
    }
    expect(manifest.id).toBe('11111111-2222-3333-4444-555555555555');
    expect(manifest.bots[0]!.botId).toBe('11111111-2222-3333-4444-555555555555');
  });

  it('npm run teams:package builds a valid zip, and needs the app id', () => {
    const env = { ...process.env, MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555' };
    execFileSync(process.execPath, ['scripts/teams-package.mjs'], { cwd: ROOT, env });
    // Python's zipfile (python3 is on every machine that builds better-sqlite3) checks every CRC.
    const check =
      'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); bad = z.testzip(); print("\\n".join(z.namelist())); sys.exit(1 if bad else 0)';
    const listing = execFileSync('python3', ['-c', check, join(ROOT, 'dist', 'threatbrief-teams.zip')], { encoding: 'utf8' });
    expect(listing.trim().split('\n')).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const missing = spawnSync(process.execPath, ['scripts/teams-package.mjs'], {
      cwd: ROOT,
      env: { ...process.env, MICROSOFT_APP_ID: '' },
      encoding: 'utf8',
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('MICROSOFT_APP_ID');
  });
});
