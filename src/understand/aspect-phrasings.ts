/**
 * How people ask each aspect, one phrasing per line: the training data of the aspect
 * classifier. `X` and `Y` stand for any name (the classifier sees every name in a question as
 * `X`), so the phrasings teach the wording around names, not the names. Written for this file;
 * the held-out questions in eval/ are never copied here.
 */
export const ASPECTS = [
  'profile',
  'aliases',
  'attribution',
  'sanctions',
  'targets',
  'when',
  'count',
  'techniques',
  'mitigation',
  'statements',
  'location',
  'relation',
  'latest',
  'advisories',
  'help',
  'used-by',
  'kev',
] as const;
export type Aspect = (typeof ASPECTS)[number];

export const PHRASINGS: Record<Aspect, string> = {
  profile: `
who is X
who is X?
who are X
whos X
who's X
what is X
whats X
what's X
what is the X
X?
X
tell me about X
tell me more about X
what do you know about X
what do we know about X
info on X
any info on X
give me the rundown on X
background on X
brief me on X
quick summary of X
summarise X
overview of X
explain X
describe X
what exactly is X
what does X do
what kind of company is X
what happened with X
what happened in X
what was X
what was the X in september 2024
what was the X in 2024
what was the X last year
what was the X about
what is the X about
what went down with X
can you explain the X
X profile
who the heck is X
never heard of X who are they
X - who is that
what is X exactly
what does X mean
what is X and why does it matter
is X a hacking group
is X a company or a group
what sort of outfit is X
`,
  aliases: `
X aka
X aka?
what is X also known as
other names for X
X other names
X aliases
aliases of X
what are X's aliases
what else is X called
what do other vendors call X
what does crowdstrike call X
what does microsoft call X
what does mitre call X
mitre id for X
att&ck id of X
attack group id for X
is X the same as Y
is X the same group as Y
are X and Y the same
are X and Y the same group
is X Y
X = Y?
X vs Y same thing
is X another name for Y
is X an alias of Y
does X go by other names
what names does X use
X full name
X chinese name
X ticker
stock ticker of X
what is X's legal name
X former name
what was X called before
is X also called Y
which vendor calls it X
X - is that Y
X is that Y?
is that Y
X, that's Y right?
`,
  attribution: `
who is behind X
who's behind X
who was behind X
who is responsible for X
who did X
who hacked X
who carried out X
who was X attributed to
who is X attributed to
X attribution
who runs X
who ran X
who operates X
who operated X
who controls X
who controlled X
who built X
who does X work for
who is X working for
which country is behind X
which government is behind X
is X state sponsored
is X chinese
who took down X
who disrupted X
who shut down X
who found X
who discovered X
who named X
who came up with the name X
who wrote X
who published X
who authored X
who is blamed for X
who is officially blamed for X
who wrote the X
who wrote the X on Y
who published the X about Y
who authored the X
who issued the X
who put out the X
was X behind Y
did X do Y
was Y done by X
X was Y right
the X was done by Y right
who's responsible for the X
who attacked X
who broke into X
who pulled off X
`,
  sanctions: `
is X sanctioned
is X sanctioned?
X sanctioned?
was X sanctioned
has X been sanctioned
is X under sanctions
is X under us sanctions
is X on the sdn list
is X on the ofac list
is X ofac listed
X ofac listed
is X on any sanctions list
is X designated
was X designated by ofac
has ofac designated X
did ofac sanction X
did treasury sanction X
can we pay X
can we do business with X
can our bank do business with X
is it ok to do business with X
are we allowed to pay X
can we accept a wire from X
can we trade with X
is it legal to work with X
can we buy from X
can we sell to X
is X blocked
is X blacklisted
is X still sanctioned
are X and Y both sanctioned
were X and Y sanctioned
when was X sanctioned
when did ofac sanction X
why was X sanctioned
why did treasury sanction X
what is X sanctioned for
what was X sanctioned for
under which executive order was X designated
what authority was used for X
which program is X listed under
what are the effects of the sanctions on X
what do the sanctions on X mean
who sanctioned X
who has ofac sanctioned over X
was anyone sanctioned for X
who got sanctioned for X
what did treasury sanction
was X sanctioned for Y
was X sanctioned over Y
X press release
sanctions on X
X sanctions status
X sanctioned yet
is X sanctioned yet
has X been sanctioned yet
X - is that sanctioned
X is that company sanctioned
is that ticker sanctioned
X sanctioned? asking for compliance
what's the press release for X
whats the ofac press release for X
which press release designated X
X was designated by Y right
X was designated by Y wasn't it
X was sanctioned by Y, right?
did Y sanction X too
did Y sanction X as well
did X sanction anyone tied to Y
did the us sanction anyone over Y
has anyone been sanctioned over X
who got sanctioned
who got sanctioned in this one
who was designated in this press release
is that still current
is X still on the list
`,
  targets: `
who does X target
what does X target
X targets
X's targets
who did X go after
what does X go after
who are X's victims
victims of X
who did X hit
what did X hit
which sectors does X target
which sectors did X hit
which industries does X attack
which countries does X target
which regions has X compromised
where does X attack
what got hit in X
what parts of X got hit
did X hit anyone in Y
is X going after Y
what was X used against
who has X compromised
which organisations did X breach
what did X hack
which companies did X get into
`,
  when: `
when was X
when did X happen
when was X first reported
when was X first seen
when was X discovered
when did X start
when did X begin
how long has X been active
X active since when
since when is X active
X active since
when was X taken down
when was X disrupted
when did X get disrupted
when was X published
when did X publish
when was X added
when did X find out
when did X notice
when did X respond
when were X charged
when was X indicted
when did X tell congress
what date was X
what year did X start
first report on X
timeline of X
X timeline
dates for X
how old is X
`,
  count: `
how many X
how many devices were in X
how many devices did X compromise
how many devices did X infect
how many bots does X have
how big is X
how big was X
how large is X
size of X
X size
X botnet size
how many victims did X have
how many orgs did X target
how many countries X
how many employees does X have
how many shares does X have
how much is the reward for X
how much is the bounty on X
bounty on X
reward for X
number of devices in X
X device count
peak size of X
how many infected devices in the us
how many in Y
figures for X
X numbers
X stats
is 260k the right figure
which figure is right
X infections in Y
X infections by country
how many infections in Y
how many bots in Y
peak number of X
X peak number of active devices
`,
  techniques: `
which software is X known to use
what ttps are associated with X
X ttps
ttps of X
what ttps does X use
what malware does X use
what tools does X use
which software does X use
how does X get in
how did X get in
how does X gain access
X initial access
what tools does X use
what malware does X use
X tools
X malware
X ttps
ttps of X
X techniques
what techniques does X use
how does X operate
how does X work
how does X keep persistence
how does X stay in
what devices were in X
what kinds of devices were in X
what devices does X infect
what routers were in X
what malware did X run
what runs on X devices
how was X controlled
how is X controlled
what software does X abuse
what vulnerabilities does X exploit
which vulns were exploited in X
which cves did X use
how did the X hackers get in
how did they break into X
what exploits did X use
does X use malware
what is Y in X
how did X customers control the bots
how did X take down Y
how was X taken down
how did they disrupt X
how did the takedown of X work
`,
  mitigation: `
what should we do about X
how do we protect against X
how to defend against X
mitigations for X
X mitigations
mitigation advice for X
any mitigation advice for X
how do we protect our routers from X
how to stop X
how do i detect X
detection for X
what should we patch for X
which X cves should we patch
patch deadline for X
remediation due date for X
when do we have to patch X
what is the required action for X
should we block X
how do we harden against X
recommended actions for X
what do we need to do about X
how do companies defend against X
`,
  statements: `
what did X say
what did X say about Y
what has X said about Y
what does X say about Y
X quote
X quote on Y
X statement on Y
X's statement
what was X's statement
how did X respond
how did X react
how did X respond to Y
what did X say in response
X response to Y
what did X tell Y
what did X warn
what did X announce
did X say Y
did X comment on Y
any quote from X
what did X say at Y
what was said about X
what did officials say about X
`,
  location: `
where is X based
where is X
where is X located
where are X based
where is X from
wheres X from
where's X located
X location
X headquarters
where is X headquartered
which city is X in
where does X operate from
where was X controlled from
where are X's servers
what country is X in
`,
  relation: `
how is X linked to Y
how is X connected to Y
how is X related to Y
how are X and Y related
how are X and Y connected
what's the link between X and Y
what is the connection between X and Y
X and Y connection
X and Y link
is X linked to Y
is X connected to Y
is X related to Y
any link between X and Y
what does X have to do with Y
what's X got to do with Y
X and Y
who is X linked to
who are X linked to
who is X connected to
what is X connected to
what is X tied to
X ties
X links
`,
  latest: `
latest
what's new
whats new
what is new
anything new
any news
news
latest news
latest advisories
recent advisories
new advisories
updates
any updates
what's the latest
latest on X
what's the latest with X
any news on X
anything new on X
recent news about X
what's new with X
`,
  advisories: `
advisories about X
advisories on X
any advisories on X
X advisories
reports on X
any reports on X
what reports are there on X
alerts about X
X alerts
what did X publish on Y
what has X published about Y
is there an advisory on X
is there a joint advisory on X
press releases about X
X press releases
publications on X
bulletins about X
X tldr
summarise this link
`,
  help: `
help
what can you do
how do i use this
how do i use you
how does this bot work
what can i ask
what can i ask you
commands
usage
what do you know
what questions can you answer
help me
hi
hello
`,
  'used-by': `
what actors are known for X
which apts have used X
which groups use X
which groups use X?
who uses X
who uses X?
what groups use X
what threat actors use X
which actors use X
which apts use X
which threat groups have used X
who has used X
groups using X
actors known to use X
what groups are known to use X
which adversaries use X
who else uses X
who is known for X
which gangs use X
`,
  kev: `
is X in KEV
is X in KEV?
is X on the KEV list
is X in the known exploited vulnerabilities catalog
is X known exploited
is X actively exploited
is X exploited in the wild
has X been exploited
when was X added to KEV
X kev
X kev due date
what is the KEV due date for X
when is X due
what's the required action for X
does CISA list X as exploited
is X on CISA's list
`,
};
