import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runConsoleChat } from '../adapters/console/console-chat.js';
import { type Bot, createBot, type IncomingMessage } from '../src/chat/bot.js';
import { CLI, openTestBot, tempDir } from './helpers.js';

const UP = '\x1b[A';
const LEFT = '\x1b[D';
const BACKSPACE = '\x7f';
const ENTER = '\r';

/** Everything written to a stream, and a way to wait until some text has appeared in it. */
function screen(stream: NodeJS.ReadableStream) {
  let text = '';
  const waiters: { needle: string; from: number; resolve: () => void }[] = [];
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const w of [...waiters])
      if (text.indexOf(w.needle, w.from) >= 0) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  });
  return {
    get text() {
      return text;
    },
    /** Resolves when `needle` appears after everything seen so far (the next prompt, the next answer). */
    next(needle: string): Promise<void> {
      const from = text.length;
      return new Promise((resolve) => waiters.push({ needle, from, resolve }));
    },
  };
}

/** The real bot over a real store, recording the questions that reached it. */
async function questionsBot() {
  const b = openTestBot();
  await b.engine.refresh();
  const real = createBot({ engine: b.engine, store: b.store });
  const asked: string[] = [];
  const bot: Bot = {
    handle(m: IncomingMessage) {
      asked.push(m.text);
      return real.handle(m);
    },
  };
  return { bot, asked };
}

describe('the terminal chat (node:readline)', () => {
  it('recalls the previous question with the Up arrow and lets a typo be erased before sending', async () => {
    const { bot, asked } = await questionsBot();
    const input = new PassThrough();
    const output = new PassThrough();
    const shown = screen(output);
    let prompt = shown.next('> ');
    const done = runConsoleChat({ bot, input, output, terminal: true });
    await prompt;
    prompt = shown.next('> ');
    input.write(`who is Flax Typhoonx${BACKSPACE}?${ENTER}`);
    await prompt;
    prompt = shown.next('> ');
    input.write(`${UP}${ENTER}`);
    await prompt;
    input.end(`quit${ENTER}`);
    await done;

    expect(asked).toEqual(['who is Flax Typhoon?', 'who is Flax Typhoon?']);
    expect(shown.text).not.toMatch(/(?<!\x1b)\[A/);
    expect(shown.text.match(/Chinese state-sponsored cyber group/g)?.length).toBe(2);
  });

  it('reads piped input line by line, without prompts or escape sequences', async () => {
    const { bot, asked } = await questionsBot();
    const input = new PassThrough();
    const output = new PassThrough();
    const shown = screen(output);
    const done = runConsoleChat({ bot, input, output });
    input.end('who is Flax Typhoon?\nquit\n');
    await done;
    expect(asked).toEqual(['who is Flax Typhoon?']);
    expect(shown.text).not.toContain('\x1b');
    expect(shown.text).not.toContain('> ');
  });

  it('in a real pseudo-terminal, `threatbrief chat` answers the question the Up arrow brings back and a line edited in the middle', async () => {
    // util-linux `script` runs the CLI on a pseudo-terminal and relays our keystrokes to it.
    const child = spawn('script', ['-qfec', `node ${CLI} chat`, '/dev/null'], {
      env: { ...process.env, DATABASE_PATH: `${tempDir()}/store.db`, TERM: 'xterm' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const shown = screen(child.stdout);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await shown.next('> ');
    let answer = shown.next('Sources:');
    child.stdin.write(`who is Flax Typhoon?${ENTER}`);
    await answer;
    answer = shown.next('Sources:');
    child.stdin.write(`${UP}${ENTER}`);
    await answer;
    // Editing in the middle of the line: "Volt" typed into the gap nine places back from the end.
    answer = shown.next('Sources:');
    child.stdin.write(`who is  Typhoon?${LEFT.repeat(9)}Volt${ENTER}`);
    await answer;
    child.stdin.write(`quit${ENTER}`);
    expect(await exited).toBe(0);
    expect(shown.text.match(/Chinese state-sponsored cyber group/g)?.length).toBe(2);
    expect(shown.text).not.toContain('^[[A');
    expect(shown.text).toContain('Volt Typhoon is a People');
    expect(shown.text).not.toMatch(/no record of/i);
  });
});
