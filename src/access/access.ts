import { parseTlp, type Tlp } from '../base/tlp.js';
import type { Db } from '../store/open.js';

/** Admin user ids per platform ("slack" → {"U012…"}); the terminal's user is always an admin. */
export type Admins = Readonly<Record<string, ReadonlySet<string>>>;

export interface AuditEntry {
  id: number;
  at: string;
  platform: string;
  actor: string;
  action: string;
  place: string;
  detail: string;
}

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
export function createAccess(db: Db, admins: Admins) {
  const getClearance = db.prepare('SELECT level FROM clearances WHERE scope = ? AND platform = ? AND subject = ?').pluck();
  const setClearance = db.prepare(
    `INSERT INTO clearances (scope, platform, subject, level, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (scope, platform, subject) DO UPDATE SET level = excluded.level, set_by = excluded.set_by, set_at = excluded.set_at`,
  );
  const insertAudit = db.prepare('INSERT INTO audit (at, platform, actor, action, place, detail) VALUES (?, ?, ?, ?, ?, ?)');

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

    clearanceOf(origin: Origin): Tlp {
      if (origin.direct && origin.user) {
        const level = getClearance.get('user', origin.platform, origin.user) as string | undefined;
        return (level && parseTlp(level)) || 'CLEAR';
      }
      const level = getClearance.get('conversation', origin.platform, origin.conversation) as string | undefined;
      return (level && parseTlp(level)) || 'CLEAR';
    },

    setConversationClearance(platform: string, conversation: string, level: Tlp, by: string, at: Date): void {
      setClearance.run('conversation', platform, conversation, level, by, at.toISOString());
    },

    setUserClearance(platform: string, user: string, level: Tlp, by: string, at: Date): void {
      setClearance.run('user', platform, user, level, by, at.toISOString());
    },

    audit(entry: { platform: string; actor: string; action: string; place: string; detail?: unknown }, at: Date): void {
      insertAudit.run(at.toISOString(), entry.platform, entry.actor, entry.action, entry.place, JSON.stringify(entry.detail ?? {}));
    },
  };
  return access;
}
export type Access = ReturnType<typeof createAccess>;

/** The audit trail, newest first. */
export function readAudit(db: Db, limit = 100): AuditEntry[] {
  return db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit) as AuditEntry[];
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
