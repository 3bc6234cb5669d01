import type { Writable } from 'node:stream';
import type { ServiceConfig } from '../src/app/config.js';
import type { Bot } from '../src/chat/bot.js';
import type { Poster } from '../src/digest/poster.js';
import type { SharedState } from '../src/store/shared/state.js';
import { renderConsole } from './console/console-chat.js';
import { createConsolePagePoster } from './console/page-poster.js';
import type { Logger } from './log.js';

/** Prints digests for terminal subscriptions (platform "console") to a stream. */
export function createConsolePoster(output: Writable): Poster {
  return {
    platform: 'console',
    async post(_conversation, reply) {
      output.write(`\n${renderConsole(reply)}\n`);
    },
  };
}

/**
 * The posters for `threatbrief digest run`, from the same settings as the service: Slack when
 * SLACK_BOT_TOKEN (or SLACK_CLIENT_ID, many workspaces) is set, Teams when its app credentials are, the terminal and the web console's page always.
 */
export async function createPostersFromConfig(
  config: ServiceConfig,
  deps: { bot: Bot; state: SharedState; logger: Logger; output: Writable },
): Promise<Poster[]> {
  const posters: Poster[] = [createConsolePoster(deps.output), createConsolePagePoster()];
  if (config.slack) {
    const { slackPosterFor } = await import('./slack/poster.js');
    posters.push(slackPosterFor(config.slack, deps.state));
  }
  if (config.teams) {
    const { createTeamsAdapter } = await import('./teams/adapter.js');
    posters.push(createTeamsAdapter({ bot: deps.bot, state: deps.state, logger: deps.logger, config: config.teams }).poster);
  }
  return posters;
}
