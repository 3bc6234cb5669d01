import type { ConversationReference } from 'botbuilder';
import type { SharedState } from '../../src/store/shared/state.js';

/** What a save did: stored a new reference, changed one, found it unchanged, or refused it. */
export type RefSave = 'created' | 'updated' | 'unchanged' | 'refused';

type Reference = Partial<ConversationReference>;

/** The tenant a reference belongs to (Teams puts it on the conversation). */
function tenantOf(ref: Reference): string | undefined {
  return (ref.conversation as { tenantId?: string } | undefined)?.tenantId;
}

/**
 * Conversation references in the shared state, so proactive digests work after a restart and from
 * any replica. A stored reference is only ever replaced by a message of that same conversation, on
 * the same channel and tenant: an install event (`conversationUpdate`) creates a missing one but
 * never overwrites, so neither it nor an activity claiming another tenant can redirect a
 * conversation's digests.
 */
export function createConversationRefs(state: Pick<SharedState, 'conversationRefs'>) {
  const refs = state.conversationRefs;
  const get = async (conversation: string): Promise<Reference | undefined> => {
    const raw = await refs.get('teams', conversation);
    return raw ? (JSON.parse(raw) as Reference) : undefined;
  };
  return {
    /** Saves the reference of an activity of `conversation`; `mayReplace` only for messages. */
    async save(conversation: string, reference: Reference, mayReplace: boolean): Promise<RefSave> {
      const json = JSON.stringify(reference);
      const at = new Date();
      const stored = await get(conversation);
      if (!stored) return (await refs.insert('teams', conversation, json, at)) ? 'created' : 'unchanged';
      if (JSON.stringify(stored) === json) return 'unchanged';
      if (!mayReplace || stored.channelId !== reference.channelId || tenantOf(stored) !== tenantOf(reference)) return 'refused';
      await refs.update('teams', conversation, json, at);
      return 'updated';
    },
    get,
  };
}
