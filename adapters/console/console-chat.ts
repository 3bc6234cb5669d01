import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Reply } from '../../src/answer/reply.js';
import type { Bot } from '../../src/chat/bot.js';

export interface ConsoleChatOptions {
  bot: Bot;
  input: Readable;
  output: Writable;
  /**
   * Line editing, history (Up/Down recall earlier questions) and a prompt; on by default when
   * the input is a terminal. Piped input is read line by line without them.
   */
  terminal?: boolean;
}

/** Earlier questions kept for Up-arrow recall in one chat. */
const HISTORY_SIZE = 200;

/** The terminal rendering of a reply: its plain text, with choices numbered for a quick pick. */
export function renderConsole(reply: Reply): string {
  let text = reply.text.trim() || reply.card.title;
  const choices = reply.card.elements.flatMap((el) => (el.kind === 'choices' ? el.choices : []));
  if (choices.length > 0) text += `\n\nType a number to choose: ${choices.map((c, i) => `${i + 1}) ${c.label}`).join('  ')}`;
  return text;
}

/** "@ThreatBrief who is X", "threatbrief: who is X" → "who is X", as people type out of chat habit. */
export function withoutAddress(line: string): string {
  return line.replace(/^@?threatbrief\b[:,]?\s*/i, '').trim() || line;
}

/** A chat on a terminal (or any pair of streams) through node:readline; ends on "quit" or end of input. */
export async function runConsoleChat({ bot, input, output, terminal }: ConsoleChatOptions): Promise<void> {
  const interactive = terminal ?? (input as { isTTY?: boolean }).isTTY === true;
  const rl = interactive
    ? createInterface({ input, output, terminal: true, historySize: HISTORY_SIZE, removeHistoryDuplicates: true, prompt: '> ' })
    : createInterface({ input, terminal: false });
  const prompt = () => {
    if (interactive) {
      output.write('\n');
      rl.prompt();
    }
  };
  output.write('ThreatBrief — ask about threat actors, sanctions and advisories. Type "help", or "quit" to leave.\n');
  prompt();
  let lastChoices: string[] = [];
  for await (const line of rl) {
    const text = line.trim();
    if (text === 'quit' || text === 'exit') break;
    if (!text) {
      prompt();
      continue;
    }
    const picked = /^\d+$/.test(text) ? lastChoices[Number(text) - 1] : undefined;
    const reply = await bot.handle({
      platform: 'console',
      conversation: 'terminal',
      user: 'local',
      direct: true,
      text: picked ?? withoutAddress(text),
    });
    lastChoices = reply.card.elements.flatMap((el) => (el.kind === 'choices' ? el.choices.map((c) => c.command) : []));
    output.write(`${renderConsole(reply)}\n`);
    prompt();
  }
  rl.close();
}
