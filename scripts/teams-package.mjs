// npm run teams:package — writes dist/threatbrief-teams.zip (manifest.json + icons) to upload
// in Teams ("Upload a custom app"). The bot id comes from MICROSOFT_APP_ID; the command list
// from the same registry as `help` and the Slack manifest.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTeamsManifest } from '../dist/adapters/teams/app-manifest.js';
import { zip } from '../dist/adapters/teams/zip.js';

const appId = process.env.MICROSOFT_APP_ID;
if (!appId || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(appId)) {
  console.error("MICROSOFT_APP_ID: set it to your Azure Bot's Microsoft App ID (a GUID) before packaging");
  process.exit(1);
}
const dir = 'adapters/teams/app-package';
const template = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const manifest = buildTeamsManifest(template, appId, process.env.TEAMS_BOT_DOMAIN);
mkdirSync('dist', { recursive: true });
const out = 'dist/threatbrief-teams.zip';
writeFileSync(
  out,
  zip([
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2)) },
    { name: 'color.png', data: readFileSync(join(dir, 'color.png')) },
    { name: 'outline.png', data: readFileSync(join(dir, 'outline.png')) },
  ]),
);
console.log(`wrote ${out} for bot ${appId}`);
