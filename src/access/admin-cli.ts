import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { CliIo } from '../base/io.js';
import { parseTlp, TLP_LEVELS } from '../base/tlp.js';
import type { SharedState } from '../store/shared/state.js';
import { createAccess, readAudit, SLACK_TEAM_ID } from './access.js';

/** Who runs a CLI command, for the audit trail: shell access to the store is admin access. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

/** Records a privileged CLI action. */
export function auditCli(state: SharedState, action: string, place: string, detail: unknown): Promise<void> {
  return createAccess(state, {}).audit({ platform: 'cli', actor: cliActor(), action, place, detail }, new Date());
}

/** `threatbrief audit [--limit N] [--json]`: the audit trail, newest first. */
export async function auditCommand(state: SharedState, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { limit: { type: 'string', default: '50' }, json: { type: 'boolean', default: false } } });
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) {
    io.err('--limit must be a positive whole number');
    return 2;
  }
  const rows = await readAudit(state, limit);
  if (values.json) {
    for (const r of rows) io.out(JSON.stringify({ ...r, detail: JSON.parse(r.detail) as unknown }));
    return 0;
  }
  if (rows.length === 0) io.out('The audit trail is empty.');
  for (const r of rows)
    io.out(`${r.at}  ${r.actor}  ${r.action}  ${r.platform}:${r.place}  ${r.detail === '{}' ? '' : r.detail}`.trimEnd());
  return 0;
}

/** `threatbrief clearance --platform P (--conversation C | --user U) --level L [--team T]` (--team: a workspace in many-workspace Slack). */
export async function clearanceCommand(state: SharedState, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      platform: { type: 'string' },
      conversation: { type: 'string' },
      user: { type: 'string' },
      level: { type: 'string' },
      team: { type: 'string' },
    },
  });
  const level = values.level ? parseTlp(values.level) : undefined;
  const problems: string[] = [];
  if (!values.platform || !['slack', 'teams', 'console'].includes(values.platform))
    problems.push('--platform must be slack, teams or console');
  if (Boolean(values.conversation) === Boolean(values.user))
    problems.push('give exactly one of --conversation <id> (a channel or chat) or --user <id> (for direct chats)');
  if (values.team !== undefined && (values.platform !== 'slack' || !SLACK_TEAM_ID.test(values.team)))
    problems.push('--team must be a Slack workspace id like T0123ABCD (with --platform slack)');
  if (!level) problems.push(`--level must be one of ${TLP_LEVELS.join(', ')}`);
  if (problems.length) {
    for (const p of problems) io.err(p);
    return 1;
  }
  const access = createAccess(state, {});
  const now = new Date();
  if (values.user) await access.setUserClearance(values.platform!, values.user, level!, cliActor(), now, values.team);
  else await access.setConversationClearance(values.platform!, values.conversation!, level!, cliActor(), now, values.team);
  const place = `${values.team ? `${values.team}/` : ''}${values.user ? `user ${values.user}` : values.conversation!}`;
  await access.audit(
    { platform: 'cli', actor: cliActor(), action: 'clearance-set', place: `${values.platform}:${place}`, detail: { level } },
    now,
  );
  io.out(`Clearance of ${values.platform} ${place} set to TLP:${level}.`);
  return 0;
}
