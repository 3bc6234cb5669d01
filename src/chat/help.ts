import { makeReply, type Reply } from '../answer/reply.js';
import { COMMANDS } from './commands.js';

/** The answer to "help": every command the registry advertises, with an example. */
export function helpReply(): Reply {
  return makeReply('help', {
    title: 'ThreatBrief — what you can ask',
    elements: [
      { kind: 'section', lines: COMMANDS.map((c) => ({ text: `${c.usage} — ${c.summary}. Example: “${c.example}”`, cites: [] })) },
      { kind: 'note', text: 'Every answer comes from reviewed facts and cites its sources. Where I have no record, I say so.' },
    ],
    citations: [],
  });
}
