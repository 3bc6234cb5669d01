import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBot } from '../src/chat/bot.js';
import { CLI, KNOWLEDGE, openTestBot, ROOT, seededStore, tempDir } from './helpers.js';

/**
 * The README's examples, read from the README itself: its commands, its transcript and its tour
 * with the words each answer must hold. Change the README or the bot, and this says which
 * example no longer holds.
 */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The fenced blocks of one section (from its "## " heading to the next). */
function blocks(heading: string, lang: string): string[] {
  const start = README.indexOf(`\n## ${heading}\n`);
  expect(start, `README has no "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const end = README.indexOf('\n## ', start + 1);
  const section = README.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);
}

/** A command line's words, with "double-quoted" words kept whole (all the README uses). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/** Runs a README command, by default on a fresh store as a new user would; `store` names one that already holds knowledge/. */
function threatbrief(args: string[], input = 'quit\n', store = join(tempDir(), 'readme.db')) {
  const env = { ...process.env, DATABASE_PATH: store, KNOWLEDGE_DIR: KNOWLEDGE };
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, input });
}

const commands = blocks('Install, run, test', 'sh')[0]!
  .split('\n')
  .map((l) => l.replace(/\s+#.*$/, '').trim())
  .filter(Boolean);

describe('the README', () => {
  it('starts with install, the local bot, the tests and the end-to-end tests, in that order', () => {
    expect(commands).toEqual(['npm install', 'npx threatbrief chat', 'npm test', 'npm run test:e2e']);
  });

  // `npm install` and `npm test` cannot run inside `npm test`; .ci/run runs them for real. Here:
  // each npm command is one package.json defines, and each threatbrief command is run.
  it.each(commands)('`%s` works', (command) => {
    const [tool, ...args] = words(command);
    if (tool === 'npm') {
      if (args[0] === 'install') expect(scripts.prepare).toContain('npm run build');
      else if (args[0] === 'test') expect(scripts.test).toBeDefined();
      else expect(scripts[args[1]!], `package.json has no "${args[1]}" script`).toBeDefined();
      return;
    }
    expect(tool).toBe('npx');
    expect(args[0]).toBe('threatbrief');
    const r = threatbrief(args.slice(1));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ThreatBrief');
  });

  it('shows a transcript that is what `threatbrief ask` prints', () => {
    const transcripts = blocks('A short tour', 'text');
    expect(transcripts.length).toBeGreaterThan(0);
    for (const transcript of transcripts) {
      const [command, ...shown] = transcript.trimEnd().split('\n');
      expect(command).toMatch(/^\$ npx threatbrief /);
      const r = threatbrief(words(command!.slice(2)).slice(2), undefined, seededStore());
      expect(r.status).toBe(0);
      const printed = r.stdout.split('\n');
      // "…" stands for lines left out; a line ending in "…" is shown cut.
      for (const line of shown.filter((l) => l !== '…')) {
        const cut = line.endsWith('…') ? line.slice(0, -1) : undefined;
        expect(
          printed.some((p) => (cut ? p.startsWith(cut) : p === line)),
          line,
        ).toBe(true);
      }
    }
  });

  it('tours questions whose answers hold the quoted words, asked in order in one conversation', async () => {
    const section = README.slice(README.indexOf('\n## A short tour\n'));
    const rows = [...section.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)].map((m) => ({
      question: m[1]!,
      gist: [...m[2]!.matchAll(/“([^”]+)”/g)].map((g) => g[1]!),
    }));
    expect(rows.length).toBeGreaterThanOrEqual(10);
    const { engine, store } = openTestBot();
    await engine.refresh();
    const bot = createBot({ engine, store });
    for (const { question, gist } of rows) {
      expect(gist.length, `the tour row for "${question}" quotes no words to check`).toBeGreaterThan(0);
      const reply = await bot.handle({ platform: 'console', conversation: 'readme-tour', user: 'local', direct: true, text: question });
      for (const words of gist) expect(reply.text, `${question} → “${words}”`).toContain(words);
    }
  });
});
