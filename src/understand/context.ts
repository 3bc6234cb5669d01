import * as z from 'zod';
import type { Db } from '../store/open.js';
import { ASPECTS } from './aspect-phrasings.js';

/**
 * What a conversation was about, so that a follow-up ("when was that?", "and its aliases?",
 * "the flax one") can be read against it. Kept in the store per conversation and user (one
 * thread, one DM, one terminal session), and forgotten after a spell of silence.
 */
export const ConversationContextSchema = z.object({
  /** The entities the last answer was about, main one first. */
  entities: z.array(z.string()),
  /** What the last question asked. */
  aspect: z.enum(ASPECTS).optional(),
  /** When the last answer asked "which one?": the entities it offered. */
  choices: z.array(z.string()).optional(),
});
export type ConversationContext = z.infer<typeof ConversationContextSchema>;

/** A conversation idle this long starts afresh. */
export const CONTEXT_TTL_MS = 30 * 60 * 1000;

export interface ContextStore {
  get(key: string): ConversationContext | undefined;
  set(key: string, context: ConversationContext): void;
}

export function createContextStore(db: Db, now: () => number = Date.now, ttlMs = CONTEXT_TTL_MS): ContextStore {
  const select = db.prepare('SELECT context, updated_at FROM conversation_context WHERE key = ?');
  const upsert = db.prepare(
    `INSERT INTO conversation_context (key, context, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET context = excluded.context, updated_at = excluded.updated_at`,
  );
  const purge = db.prepare('DELETE FROM conversation_context WHERE updated_at < ?');
  let lastPurge = 0;
  return {
    get(key) {
      const row = select.get(key) as { context: string; updated_at: number } | undefined;
      if (!row || now() - row.updated_at > ttlMs) return undefined;
      const parsed = ConversationContextSchema.safeParse(JSON.parse(row.context));
      return parsed.success ? parsed.data : undefined;
    },
    set(key, context) {
      const t = now();
      upsert.run(key, JSON.stringify(context), t);
      if (t - lastPurge > ttlMs) {
        purge.run(t - ttlMs);
        lastPurge = t;
      }
    },
  };
}
