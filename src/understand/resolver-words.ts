/**
 * The words a resolver reads around names: which never start or end a name, which end the name
 * asked about when screening, and which are too generic to identify anything alone.
 */

/** Words that never start or end a name span: question words and the vocabulary of intents. */
export const IGNORED_WORDS = new Set(
  `a an the of in on at to for by from with about and or but is are was were be been being am do does did done has have had
  who whom whose what which when where why how whats whos hows wheres any anything all some me my i you your we our us it its
  this that these those there here please tell show give know find get can could would should will shall may might must
  latest new news recent update updates advisory advisories alert alerts report reports bulletin bulletins
  sanction sanctions sanctioned sanctioning designated designation designations listed list blocked embargo embargoed blacklisted sdn
  linked link links tied ties connected connection connections associated affiliated related relation relations relationship behind
  works work run runs running operate operates operated operator operators control controls controlled attributed attribution
  many much number size big large count how long since active first reported seen identified discovered appear appeared start started
  target targets targeted targeting victim victims sector sectors industry industries region regions country countries attack attacks attacked hit hits compromise compromised
  access initial gain gains break breaks into in hack hacks hacked tool tools tooling ttp ttps technique techniques method methods tradecraft use uses used using
  profile describe explain info information summary details detail mean means meaning
  help commands
  did does doing devices device
  under currently still now ever subject against placed put added
  company firm person entity individual vessel ship aircraft organization organisation`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * When screening, the words that end the name asked about ("is … sanctioned?"): question words
 * and the vocabulary of sanctions. Everything else next to a match ("industries", "group",
 * "of") may be part of the name, unlike in other questions ("which industries does X target?").
 */
export const SCREENING_STOP = new Set(
  `a an the is are was were be been being am do does did has have had who whom whose what which when where why how whats whos
  any anything me my i you your we our us it its this that these those there here please tell show give know find check screen
  can could would should will shall may might must sanction sanctions sanctioned sanctioning designated designation designations
  listed list lists blocked embargo embargoed blacklisted under currently still now ever subject against placed put added
  on by ofac treasury name named called company firm person entity individual vessel ship aircraft organization organisation
  mean means meaning effect effects impact status why reason about with from for to at into since yet ok okay pls`.split(/\s+/),
);

/** Generic words that cannot identify an entity on their own in a partial match. */
export const WEAK_TOKENS = new Set(
  `group technology tech network networks department office us united states national security cyber company government
  bureau agency china chinese foreign service services international information systems system co inc ltd
  airlines airline airways trading trade shipping bank industries industrial enterprise enterprises investment investments
  general global logistics import export commercial development ministry`.split(/\s+/),
);
