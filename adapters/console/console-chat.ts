import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Reply } from '../../src/answer/reply.js';
import type { Bot } from '../../src/chat/bot.js';

export interface ConsoleChatOptions {
  bot: Bot;
  input: Readable;
  output: Writable;
}

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

/** A line-by-line chat on a terminal (or any pair of streams); ends on "quit" or end of input. */
export async function runConsoleChat({ bot, input, output }: ConsoleChatOptions): Promise<void> {
  const rl = createInterface({ input, terminal: false });
  const interactive = (input as { isTTY?: boolean }).isTTY === true;
  const prompt = () => interactive && output.write('\n> ');
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
