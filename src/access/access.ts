import { parseTlp, type Tlp } from '../base/tlp.js';
import type { AuditEntry, SharedState } from '../store/shared/state.js';

/** Admin user ids per platform ("slack" → {"U012…"}); the terminal's user is always an admin. */
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
      return [origin.user, ...(origin.userIds ?? [])].some((id) => id !== undefined && listed.has(id));
    },

    /** Whether this platform has admins configured at all (then only they manage subscriptions). */
    restricted(platform: string): boolean {
      return (admins[platform]?.size ?? 0) > 0;
    },

    async clearanceOf(origin: Origin): Promise<Tlp> {
      const level =
        origin.direct && origin.user
          ? await state.clearances.get('user', origin.platform, origin.user)
          : await state.clearances.get('conversation', origin.platform, origin.conversation);
      return (level && parseTlp(level)) || 'CLEAR';
    },

    setConversationClearance(platform: string, conversation: string, level: Tlp, by: string, at: Date): Promise<void> {
      return state.clearances.set('conversation', platform, conversation, level, by, at);
    },

    setUserClearance(platform: string, user: string, level: Tlp, by: string, at: Date): Promise<void> {
      return state.clearances.set('user', platform, user, level, by, at);
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

/** Reads ADMIN_USERS: "slack:U0123,slack:U0456,teams:29:1abc…" (a Teams id may contain colons). */
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
