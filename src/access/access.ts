import { parseTlp, type Tlp } from '../base/tlp.js';
import type { AuditEntry, SharedState } from '../store/shared/state.js';

/**
 * Admin user ids per platform ("slack" → {"U012…"}); the terminal's user is always an admin. A
 * Slack entry may name its workspace, "T0123/U0456": an admin in that workspace only (many-workspace mode).
 */
export type Admins = Readonly<Record<string, ReadonlySet<string>>>;

export type { AuditEntry };

/** Where a message came from, as far as access decisions go. */
export interface Origin {
  platform: string;
  conversation: string;
  user?: string;
  /** Other ids of the same user (Teams: from.id beside the AAD object id); an admin may be listed by any. */
  userIds?: readonly string[];
  /** A one-to-one chat with the bot: the user's own clearance applies there. */
  direct?: boolean;
  /**
   * The Slack installation (workspace) it came from, in many-workspace mode only: admins and
   * clearances are then that workspace's.
   */
  team?: string;
}

/** A Slack workspace (T…) or Enterprise Grid org (E…) id, as a many-workspace subscription names its installation. */
export const SLACK_TEAM_ID = /^[TE][A-Z0-9]{2,}$/;

/** A clearance's subject within its workspace: "T0123/C0456" in many-workspace mode, the bare id otherwise. */
function inTeam(team: string | undefined, id: string): string {
  return team === undefined ? id : `${team}/${id}`;
}

/**
 * Who may do what, what each conversation may be shown, and the audit trail of privileged
 * actions. Public conversations default to TLP:CLEAR; a direct chat gets its user's clearance.
 */
export function createAccess(state: Pick<SharedState, 'clearances' | 'audit'>, admins: Admins) {
  const access = {
    isAdmin(origin: Origin): boolean {
      if (origin.platform === 'console' || origin.platform === 'cli') return true;
      const listed = admins[origin.platform];
      if (!listed) return false;
      // An unqualified entry counts in every workspace; "T…/U…" only in its own.
      return [origin.user, ...(origin.userIds ?? [])].some(
        (id) => id !== undefined && (listed.has(id) || (origin.team !== undefined && listed.has(inTeam(origin.team, id)))),
      );
    },

    /**
     * Whether admins are configured for where the message came from (then only they manage
     * subscriptions and clearances there): any on the platform, or in many-workspace mode, any
     * unqualified one or one of this workspace.
     */
    restricted(origin: Pick<Origin, 'platform' | 'team'>): boolean {
      const listed = admins[origin.platform];
      if (!listed) return false;
      if (origin.team === undefined) return listed.size > 0;
      return [...listed].some((entry) => !entry.includes('/') || entry.startsWith(`${origin.team}/`));
    },

    async clearanceOf(origin: Origin): Promise<Tlp> {
      const level =
        origin.direct && origin.user
          ? await state.clearances.get('user', origin.platform, inTeam(origin.team, origin.user))
          : await state.clearances.get('conversation', origin.platform, inTeam(origin.team, origin.conversation));
      return (level && parseTlp(level)) || 'CLEAR';
    },

    setConversationClearance(platform: string, conversation: string, level: Tlp, by: string, at: Date, team?: string): Promise<void> {
      return state.clearances.set('conversation', platform, inTeam(team, conversation), level, by, at);
    },

    setUserClearance(platform: string, user: string, level: Tlp, by: string, at: Date, team?: string): Promise<void> {
      return state.clearances.set('user', platform, inTeam(team, user), level, by, at);
    },

    audit(entry: { platform: string; actor: string; action: string; place: string; detail?: unknown }, at: Date): Promise<void> {
      return state.audit.append({
        at: at.toISOString(),
        platform: entry.platform,
        actor: entry.actor,
        action: entry.action,
        place: entry.place,
        detail: JSON.stringify(entry.detail ?? {}),
      });
    },
  };
  return access;
}
export type Access = ReturnType<typeof createAccess>;

/** The audit trail, newest first. */
export function readAudit(state: Pick<SharedState, 'audit'>, limit = 100): Promise<AuditEntry[]> {
  return state.audit.recent(limit);
}

/**
 * Reads ADMIN_USERS: "slack:U0123,slack:T0456/U0789,teams:29:1abc…" (a Teams id may contain
 * colons; a Slack id may be preceded by its workspace's id and a slash).
 */
export function parseAdmins(text: string | undefined): Record<string, Set<string>> {
  const out: Record<string, Set<string>> = {};
  for (const item of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = item.indexOf(':');
    if (i <= 0) continue;
    const platform = item.slice(0, i).toLowerCase();
    out[platform] ??= new Set();
    out[platform].add(item.slice(i + 1));
  }
  return out;
}
