import { COMMANDS } from '../../src/answer/commands.js';

/** The Teams command menu: the registry's menu commands, at most 10 (the manifest's limit). */
export function teamsCommands(): { title: string; description: string }[] {
  return COMMANDS.filter((c) => c.menu)
    .slice(0, 10)
    .map((c) => ({ title: c.prompt.slice(0, 32), description: c.summary.slice(0, 128) }));
}

interface TeamsManifest {
  id: string;
  bots: { botId: string; scopes: string[]; commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[] }[];
  validDomains?: string[];
  [key: string]: unknown;
}

/** The package manifest for one bot registration, with the command lists from the registry. */
export function buildTeamsManifest(template: TeamsManifest, appId: string, domain?: string): TeamsManifest {
  const commands = teamsCommands();
  return {
    ...template,
    id: appId,
    bots: template.bots.map((b) => ({ ...b, botId: appId, commandLists: b.commandLists.map((l) => ({ ...l, commands })) })),
    ...(domain ? { validDomains: [domain] } : {}),
  };
}
