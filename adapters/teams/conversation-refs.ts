import type { ConversationReference } from 'botbuilder';
import type { Db } from '../../src/store/open.js';

/** Conversation references in SQLite, so proactive digests work after a restart. */
export function createConversationRefs(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO conversation_refs (platform, conversation, reference, updated_at) VALUES ('teams', ?, ?, ?)
     ON CONFLICT (platform, conversation) DO UPDATE SET reference = excluded.reference, updated_at = excluded.updated_at
     WHERE conversation_refs.reference <> excluded.reference`,
  );
  const select = db.prepare("SELECT reference FROM conversation_refs WHERE platform = 'teams' AND conversation = ?").pluck();
  return {
    save(conversation: string, reference: Partial<ConversationReference>): void {
      upsert.run(conversation, JSON.stringify(reference), new Date().toISOString());
    },
    get(conversation: string): Partial<ConversationReference> | undefined {
      const raw = select.get(conversation) as string | undefined;
      return raw ? (JSON.parse(raw) as Partial<ConversationReference>) : undefined;
    },
  };
}
