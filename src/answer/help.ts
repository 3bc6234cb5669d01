import { COMMANDS } from './commands.js';
import { makeReply, type Reply } from './reply.js';

/** The answer to "help": every command the registry advertises, with an example. */
export function helpReply(): Reply {
  return makeReply('help', {
    title: 'ThreatBrief — what you can ask',
    elements: [
      { kind: 'section', lines: COMMANDS.map((c) => ({ text: `${c.usage} — ${c.summary}. Example: “${c.example}”`, cites: [] })) },
      { kind: 'note', text: 'Every answer comes from reviewed facts and cites its sources; where the facts are silent, I say so plainly.' },
    ],
    citations: [],
  });
}
