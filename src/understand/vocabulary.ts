/**
 * The words people wrap a name in when they ask about it: function words, chat filler and the
 * vocabulary of the questions the bot answers. A run of other words is "name-like" and worth
 * matching against the names the bot knows; a run of these words never is, so that filler
 * ("hey quick one", "pls", "itself") can neither become a name nor count against one.
 */
const WORDS = `
a an the this that these those there here it its itself they them their theirs themselves he him his she her hers
i me my mine we us our ours you your yours someone anyone anybody somebody everyone something anything nothing
is are was were be been being am do does did done doing has have had having will would shall should can could may might must
not no nor yes yeah yep nope ok okay so than then too very just also again still ever even only really actually
basically exactly already yet now currently today recently lately ago soon
who whom whose what which when where why how whats whos hows wheres whens whys wat wht waht wen
of in on at to for by from with about into onto over under between against among through during before after since until
and or but if as because though although while whether either neither both each every all any some many much more most
other another same different such own
hi hey hello thanks thank thx ty pls please plz quick question q one ones sorry folks guys team all anyone lol btw fyi
asap urgent tldr summary summarise summarize brief short version need want wondering curious know tell show give find
check look see saw seen hear heard mean means meant think thought say says said stated claim claims claimed told call called
get got gets getting go goes went gone going come came take took taken make made use uses used using work works worked
run runs ran running control controls controlled happen happens happened
right correct true wrong sure real
new latest recent news update updates anything else
sanction sanctions sanctioned sanctioning designate designated designation designations list listed listing lists blocked
block embargo embargoed blacklist blacklisted sdn ofac treasury entity entities lifted delisted removed still
pay paying payment wire business deal dealing trade allowed ok safe legal transact transaction transactions vendor supplier
who behind responsible attributed attribution blame blamed accused accuse linked link links tied ties connected connection
connections associated affiliated related relation relations relationship between
hack hacked hacking hackers hacker breach breached attack attacked attacks intrusion compromise compromised incident
target targets targeted targeting victim victims sector sectors industry industries region regions country countries hit
go after
first reported seen identified discovered found spotted named active since long start started began begin date when
how many much number size big large count figure figures total scale devices device infected bots bot
technique techniques tactic tactics ttp ttps tool tools tooling malware method methods initial access exploit exploited
exploits vulnerability vulnerabilities vuln vulns cve cves persistence get in
mitigate mitigation mitigations protect defend defence defense patch patching remediate remediation advice recommend
recommendation recommendations should we do
say said statement statements quote quotes comment comments respond responded response reaction
where based located location headquartered headquarters from
aka alias aliases name names called known also other
advisory advisories report reports alert alerts bulletin bulletins publication publications published publish
help commands usage
profile describe explain info information details detail overview
group groups company companies firm actor actors organisation organization person people guy
botnet botnets network kev catalog catalogue
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
out off up down back away
learn learned learnt notice noticed realise realised realize realized aware
`;

export const QUESTION_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));

/** Question words this long are also recognised with one typo ("advisores", "sanctons"); shorter ones are too close to names. */
const TYPO_TOLERANT_LENGTH = 7;

function deletions(word: string): string[] {
  return [...word].map((_c, i) => word.slice(0, i) + word.slice(i + 1));
}

/** Each long question word and its one-letter deletions, for matching a word typed with one edit. */
const NEAR_QUESTION_WORDS: ReadonlySet<string> = new Set(
  [...QUESTION_WORDS].filter((w) => w.length >= TYPO_TOLERANT_LENGTH).flatMap((w) => [w, ...deletions(w)]),
);

/** Whether a normalised word is part of how people ask, not of what they ask about. */
export function isQuestionWord(word: string): boolean {
  if (QUESTION_WORDS.has(word)) return true;
  // One letter dropped, added or changed in a long question word.
  if (word.length < TYPO_TOLERANT_LENGTH - 1 || /\d/.test(word)) return false;
  return NEAR_QUESTION_WORDS.has(word) || deletions(word).some((d) => NEAR_QUESTION_WORDS.has(d));
}
