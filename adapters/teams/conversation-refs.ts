import type { ConversationReference } from 'botbuilder';
import type { Db } from '../../src/store/open.js';

/** What a save did: stored a new reference, changed one, found it unchanged, or refused it. */
export type RefSave = 'created' | 'updated' | 'unchanged' | 'refused';

type Reference = Partial<ConversationReference>;

/** The tenant a reference belongs to (Teams puts it on the conversation). */
function tenantOf(ref: Reference): string | undefined {
  return (ref.conversation as { tenantId?: string } | undefined)?.tenantId;
}

/**
 * Conversation references in SQLite, so proactive digests work after a restart. A stored reference
 * is only ever replaced by a message of that same conversation, on the same channel and tenant:
 * an install event (`conversationUpdate`) creates a missing one but never overwrites, so neither
 * it nor an activity claiming another tenant can redirect a conversation's digests.
 */
export function createConversationRefs(db: Db) {
  const insert = db.prepare(
    "INSERT INTO conversation_refs (platform, conversation, reference, updated_at) VALUES ('teams', ?, ?, ?) ON CONFLICT DO NOTHING",
  );
  const update = db.prepare("UPDATE conversation_refs SET reference = ?, updated_at = ? WHERE platform = 'teams' AND conversation = ?");
  const select = db.prepare("SELECT reference FROM conversation_refs WHERE platform = 'teams' AND conversation = ?").pluck();
  const get = (conversation: string): Reference | undefined => {
    const raw = select.get(conversation) as string | undefined;
    return raw ? (JSON.parse(raw) as Reference) : undefined;
  };
  return {
    /** Saves the reference of an activity of `conversation`; `mayReplace` only for messages. */
    save(conversation: string, reference: Reference, mayReplace: boolean): RefSave {
      const json = JSON.stringify(reference);
      const at = new Date().toISOString();
      const stored = get(conversation);
      if (!stored) return insert.run(conversation, json, at).changes === 1 ? 'created' : 'unchanged';
      if (JSON.stringify(stored) === json) return 'unchanged';
      if (!mayReplace || stored.channelId !== reference.channelId || tenantOf(stored) !== tenantOf(reference)) return 'refused';
      update.run(json, at, conversation);
      return 'updated';
    },
    get,
  };
}
