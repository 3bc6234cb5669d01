/**
 * The commands people can give the bot, in the order `help` lists them. Plain questions go
 * through the same path; these are the forms worth advertising. The Slack manifest and the
 * Teams command list are checked against this registry by tests.
 */
export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  example: string;
  /** What a command menu (Teams) inserts in the compose box for the user to complete. */
  prompt: string;
  /** Shown in command menus; Teams allows 10 commands per list. */
  menu: boolean;
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'who',
    usage: 'who is <name>',
    summary: 'Profile of an actor, company, person or body, with aliases',
    example: 'who is Flax Typhoon?',
    prompt: 'who is',
    menu: true,
  },
  {
    name: 'sanctioned',
    usage: 'is <name> sanctioned?',
    summary: 'Sanctions designations: who, when, why, what they mean',
    example: 'is Integrity Tech sanctioned?',
    prompt: 'sanctions',
    menu: true,
  },
  {
    name: 'linked',
    usage: 'who is <name> linked to?',
    summary: 'Relations: operators, attributions, accusations',
    example: 'who is behind Flax Typhoon?',
    prompt: 'linked to',
    menu: true,
  },
  {
    name: 'how-many',
    usage: 'how many … <name>?',
    summary: 'Figures, each with its source; conflicting figures side by side',
    example: 'how many devices were in the Flax Typhoon botnet?',
    prompt: 'how many',
    menu: true,
  },
  {
    name: 'targets',
    usage: 'what does <name> target?',
    summary: 'Targeted sectors, regions and victims',
    example: 'what does Flax Typhoon target?',
    prompt: 'targets of',
    menu: true,
  },
  {
    name: 'access',
    usage: 'how does <name> get in?',
    summary: 'Initial access and tooling',
    example: 'how does Flax Typhoon get in?',
    prompt: 'initial access',
    menu: true,
  },
  {
    name: 'when',
    usage: 'when was <name> first reported?',
    summary: 'First reports, activity dates, timeline',
    example: 'when was Flax Typhoon first reported?',
    prompt: 'when was',
    menu: false,
  },
  {
    name: 'advisories',
    usage: 'advisories about <name>',
    summary: 'Advisories that mention an entity',
    example: 'advisories about Volt Typhoon',
    prompt: 'advisories about',
    menu: true,
  },
  { name: 'latest', usage: 'latest', summary: 'The newest advisories ("what\'s new?")', example: 'latest', prompt: 'latest', menu: true },
  {
    name: 'subscribe',
    usage: 'subscribe daily 09:00 <zone> [about <name>]',
    summary: 'Digests of new advisories here, on a schedule (daily, weekly, weekdays or cron)',
    example: 'subscribe daily 09:00 Europe/London',
    prompt: 'subscribe daily 09:00',
    menu: true,
  },
  {
    name: 'subscriptions',
    usage: 'subscriptions',
    summary: "This conversation's digest subscriptions",
    example: 'subscriptions',
    prompt: 'subscriptions',
    menu: false,
  },
  {
    name: 'unsubscribe',
    usage: 'unsubscribe [<number>]',
    summary: 'Stop one or all digest subscriptions here',
    example: 'unsubscribe 1',
    prompt: 'unsubscribe',
    menu: false,
  },
  {
    name: 'clearance',
    usage: 'clearance [<tlp level>]',
    summary: "This conversation's TLP clearance; admins can change it",
    example: 'clearance amber',
    prompt: 'clearance',
    menu: false,
  },
  { name: 'help', usage: 'help', summary: 'This list', example: 'help', prompt: 'help', menu: true },
];
