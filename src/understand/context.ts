import * as z from 'zod';
import type { SharedState } from '../store/shared/state.js';
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
  get(key: string): Promise<ConversationContext | undefined>;
  set(key: string, context: ConversationContext): Promise<void>;
}

export function createContextStore(
  state: Pick<SharedState, 'contexts'>,
  now: () => number = Date.now,
  ttlMs = CONTEXT_TTL_MS,
): ContextStore {
  let lastPurge = 0;
  return {
    async get(key) {
      const row = await state.contexts.get(key);
      if (!row || now() - row.updatedAt > ttlMs) return undefined;
      const parsed = ConversationContextSchema.safeParse(JSON.parse(row.context));
      return parsed.success ? parsed.data : undefined;
    },
    async set(key, context) {
      const t = now();
      await state.contexts.set(key, JSON.stringify(context), t);
      if (t - lastPurge > ttlMs) {
        lastPurge = t;
        await state.contexts.purgeBefore(t - ttlMs);
      }
    },
  };
}
