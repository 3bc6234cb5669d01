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

/** "sanctions", "who is?": words a command menu inserts, sent before the name was typed. */
function bareMenuCommand(raw: string) {
  const typed = raw
    .toLowerCase()
    .replace(/[?!.:,\s]+/g, ' ')
    .trim();
  return COMMANDS.find((c) => c.usage.includes('<name>') && (c.prompt === typed || c.name === typed));
}

/**
 * The answer to a command-menu entry sent as it is (Teams inserts "sanctions" in the compose
 * box for the user to complete): what to add, with the example as a button.
 */
export function menuPromptReply(raw: string): Reply | undefined {
  const command = bareMenuCommand(raw);
  if (!command) return undefined;
  return makeReply('help', {
    title: `${command.summary}`,
    elements: [
      { kind: 'note', text: `Add a name: “${command.usage}”, for example “${command.example}”.` },
      { kind: 'choices', prompt: 'Or try the example:', choices: [{ label: command.example, command: command.example }] },
    ],
    citations: [],
  });
}
