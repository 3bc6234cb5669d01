import type { Aspect } from './aspect-phrasings.js';

/**
 * More ways people ask each aspect, one phrasing per line, in the same format as PHRASINGS in
 * aspect-phrasings.ts: `X` and `Y` stand for any name. Written as Slack/Teams-style chat
 * (lowercase, terse, filler words, a few typos in the question words); none repeats a line of
 * PHRASINGS.
 */
export const MORE_PHRASINGS: Record<Aspect, string> = {
  profile: `
hey who is X
who is X exactly
who r X
who tf is X
sorry who is X again
quick one, who is X
can someone tell me who X is
anyone know who X is
anyone know what X is
what even is X
wat is X
waht is X
whos teh X
who are the X
what's the deal with X
whats the story with X
what's the story behind X
what's X all about
what is X all about
X who?
X what is it
X - what is that
X? never heard of it
never heard of X
never heard of X, what is it
never heard of the X before
i keep seeing X, what is it
i keep hearing about X, who are they
X keeps coming up, what is it
X background
background on the X
some background on X pls
need background on X for a slide
can i get a quick overview of X
quick overview of the X
short summary of X pls
give me a summary of X
summary of X
summarize X
summarise the X
explain the X to me
explain X like im 5
eli5 X
can you describe X
describe the X
describe the X incident
what happened at X
what happened to X
what happened during X
what happened in the X
what was the X incident
what was the X breach
what was the X hack
what was the X about again
what went on with X
so what is X
ok so who is X
X explain pls
X info
X info pls
info about X
information on X
any background on X
what can you tell me about X
can you tell me about X
tell me abt X
tell me about the X
tell me something about X
tell me everything about X
pls tell me about X
fill me in on X
brief on X
briefing on X
give me a profile of X
profile of X
X actor profile
X group profile
X company profile
threat actor profile for X
what type of group is X
what kind of group is X
what kind of malware is X
what kind of threat is X
what type of threat actor is X
is X a threat actor
is X a person or a group
is X a botnet
is X malware
is X a ransomware gang
is X a real company
is X a government agency
what is X known for
what's X known for
why is X important
what does the X do
what does X actually do
what does X sell
what is the X botnet
what is the X malware
what is the X campaign
what is the X operation
who is the X group
definition of X
X whats that
hey what's X
hey quick q what is X
quick q: who is X
sorry, what is X?
sorry what's the X again
what is X again
who was X
who were X
what was X again
remind me who X is
remind me what X is
refresh my memory on X
can u explain X
do you know about X
heard of X?
ever heard of X
context on X
need a primer on X
primer on X
X in a nutshell
X overview pls
X summary
who or what is X
is X a group or a malware
X is what exactly
`,
  aliases: `
X a.k.a.
X aka what
aka X?
X also known as
X alises
X aliasses
alises for X
aliases for X
alias of X
X alias
any aliases for X
does X have aliases
does X have any other names
does X have another name
is X known by other names
is X known by any other name
what else is X known as
what other names does X go by
what other names does the X have
other names of X
other names for the X
list X's aliases
list aliases for X
all aliases of X
full list of X aliases
X naming
X names across vendors
vendor names for X
what do vendors call X
what do other security vendors call X
what does Y call X
what does vendor Y call X
what's Y's name for X
Y name for X
what is X called by Y
what is X called in Y's taxonomy
what's X in Y's naming
X in Y naming
who calls X Y
is Y the same thing as X
is X same as Y
X same as Y?
same as Y? X
X == Y
X is Y?
is X = Y
X and Y same group?
X and Y same actor?
X and Y - same?
are X and Y one and the same
are X and Y the same actor
are X and Y the same thing
are X and Y the same malware
is X the same actor as Y
is X just Y under a different name
is X just another name for Y
X is just Y right?
X is another name for Y right
X is an alias of Y right?
X alias of Y?
is X an alias for Y
is X a Y alias
is X one of Y's aliases
is X one of the names for Y
does Y also go by X
does X also go by Y
X vs Y
X vs Y - same group?
X versus Y same actor
X or Y - same thing?
is X aka Y
X aka Y?
X also called Y?
is X also known as Y
is X the new name of Y
what was X's old name
X old name
X previous name
X formerly known as
what was X formerly called
did X change its name
did X rename itself
X renamed?
what is X now called
what's X called now
X new name
X's full name
full name of X
X full legal name
legal name of X
X registered name
official name of X
X official name
what's X's chinese name
X name in chinese
X russian name
X name in russian
X native name
X ticker symbol
X stock ticker
ticker for X
what's X's ticker
what ticker does X trade under
X mitre id
X mitre att&ck id
mitre att&ck group id for X
X att&ck id
X group id in att&ck
X g-number in mitre
what's the mitre id of X
X attack id?
att&ck software id for X
X mitre software id
X mitre group number
X naming across vendors for a slide
waht are X's aliases
what are teh aliases for X
X aliases pls
X aka list pls
hey what's X aka
quick one: X aka?
sorry what do vendors call X
what's X called elsewhere
what is X tracked as
what is X tracked as by Y
X tracked as?
what name does Y track X under
which cluster name does Y use for X
is X tracked as Y
which alias does Y use for X
`,
  attribution: `
whos behind X
who is behind the X
who was behind the X
who was behind the X attack
who's behind the X botnet
who was really behind X
who is really behind X
whos responsible for X
who was responsible for X
who was responsible for the X breach
who is responsible for the X hack
who did the X hack
who did the X attack
X who did it
who pulled X off
who's to blame for X
who is to blame for the X
who is blamed for the X breach
who got blamed for X
who hacked the X
who breached X
who compromised X
who attacked the X
who is the actor behind X
which actor is behind X
which group is behind X
which apt is behind X
what group is behind X
which gang is behind X
which crew is behind X
what actor is X attributed to
X attributed to who
X attributed to?
who is X attributed too
attribution of X
attribution for X
what's the attribution on X
attribution on the X breach
has X been attributed
has X been attributed to anyone
was X attributed to Y
is X attributed to Y
is X state backed
is X nation state
is X a nation-state actor
is X government backed
is X russian
is X north korean
what country is behind X
which country is X working for
which nation is behind X
which state sponsors X
who sponsors X
who is X's sponsor
which government runs X
which agency runs X
which intelligence service runs X
which unit is behind X
who does X work for really
who is the operator of X
who's the operator of X
who operates the X botnet
who runs the X botnet
who ran the X operation
who ran X before the takedown
who controls the X botnet
who made X
who created X
who developed X
who developed the X malware
who is the author of X
author of X
X author
who wrote the X malware
who wrote the X report
who wrote the X advisory
who published the X advisory
who published the X report on Y
who issued the X advisory
who put out X
which agency published X
which vendor found X
who found the X vuln
who reported X
who first reported X
who discovered the X botnet
who uncovered X
who gave X its name
who took X down
who took down the X botnet
who dismantled X
who disrupted the X botnet
who shut X down
who was behind the X takedown
which agencies took down X
who led the X takedown
was it Y behind X
was Y behind the X
was Y responsible for X
is Y behind X
is Y responsible for X
did Y do X
did Y hack X
did Y carry out X
did Y pull off X
X was Y?
X was done by Y?
X was Y wasn't it
it was Y behind X right
pretty sure X was Y, correct?
wasnt X done by Y
hey who's behind X
quick q who is behind X
sorry, who's behind X
who's behind X asap
whos behnd X
who is responsibel for X
waht group did X
who runs teh X botnet
can someone tell me who did X
any idea who is behind X
do we know who is behind X
do we know who did X
who claimed X
who claimed responsibility for X
did anyone claim responsibility for X
who is suspected in X
suspected actor behind X
`,
  sanctions: `
X sanctiond?
is X sanctiond
sanctioned? X
is X sanctioned or not
is X sanctioned by the us
is X sanctioned by ofac
is X sanctioned by treasury
is X sanctioned by the eu
is X sanctioned by the uk
X ofac?
X sdn?
X on the sdn list?
is X an sdn
sdn check X
ofac check on X
quick ofac check on X pls
can you check X against the sdn list
X sdn listing
X ofac designation
X designated?
is X a designated entity
is X a specially designated national
has X been designated
was X ever sanctioned
has X ever been sanctioned
was X designated under the cyber program
which sanctions program is X on
what program was X designated under
under what eo was X designated
under which authority was X sanctioned
which eo was used to sanction X
is X listed under eo 13694
was X sanctioned under eo 14024
when was X designated
when did treasury designate X
when did the us sanction X
what date was X sanctioned
X sanctions date
why is X sanctioned
why was X designated
reason X was sanctioned
what's X sanctioned for
is X still on the sdn list
is X still on the ofac list
were sanctions on X lifted
were X's sanctions lifted
has X been delisted
was X delisted
did ofac delist X
are the X sanctions still in place
are sanctions on X still active
X still sanctioned?
can we pay the X invoice
can we pay a ransom to X
is paying X legal
is it legal to pay X
would paying X violate sanctions
can we wire money to X
can we send money to X
can i transfer money to X
can we accept payment from X
can we accept money from X
can we onboard X as a customer
can we onboard X as a vendor
can we use X as a supplier
can we buy X's products
can we partner with X
can we do business w X
ok to do business with X?
can a us company work with X
are we allowed to deal with X
is X safe to do business with sanctions wise
X blocked person?
is X a blocked person
is X blocked by ofac
are X's assets frozen
what sanctions are on X
what are the sanctions on X
sanctions against X
X sanctions
any sanctions on X
what do the X sanctions mean for us
what does the X designation mean
what happens now that X is sanctioned
effects of the X sanctions
impact of the X designation
X designation press release
ofac press release on X
treasury press release on X
link to the press release designating X
who was sanctioned over X
who got sanctioned over X
who was designated over X
who was sanctioned in connection with X
were any people sanctioned over X
which individuals were sanctioned for X
what did ofac sanction on 3 january 2025
what did treasury sanction in march 2025
who did ofac designate on 12 june 2024
who did treasury sanction in 2024
ofac designations in march 2025
what did ofac designate last week
was X sanctioned because of Y
was X sanctioned in connection with Y
is X sanctioned over Y
X and Y both sanctioned?
both X and Y sanctioned?
is X or Y sanctioned
are both X and Y on the sdn list
were X and Y designated together
did the uk sanction X too
did the eu sanction X as well
did Y also sanction X
was X sanctioned by Y too
asking for compliance: is X sanctioned
compliance q: is X sanctioned
for compliance - X sanctioned?
hey is X sanctioned
quick one is X sanctioned
sorry, is X on the sdn list
can someone check if X is sanctioned
pls check X sanctions asap
is X sanctoned
is X on teh sdn list
is X sactioned
`,
  targets: `
X targts
X targets pls
X victims
X victimology
victimology of X
X victim list
list of X victims
who are the X victims
who were X's victims
who were the victims of X
who got hit by X
who was hit by X
who was affected by X
who was impacted by X
which orgs were affected by X
which companies were hit by X
which companies got hit by X
which companies did X target
which firms did X compromise
which organisations has X targeted
which organizations did X breach
what organizations has X hit
who has X targeted
who is X targeting
who's X targeting
who is X going after
who's X going after
who did X attack
who does X attack
who did X target
what did X target
what did X go after
what was X aimed at
what is X aimed at
what's X after
what does X hit
what did X compromise
what has X compromised
what got compromised by X
what systems did X compromise
X target sectors
X targeted sectors
sectors targeted by X
sectors X targets
what sectors does X target
what sectors has X hit
what sectors did X go after
which sector does X target most
which industries does X target
which industries did X hit
which industries are targeted by X
industries targeted by X
what industries is X after
does X target healthcare
does X target finance
does X target banks
does X go after hospitals
does X target critical infrastructure
does X target our sector
is X targeting our industry
does X target governments
does X go after defense contractors
is X targeting telecoms
which countries does X hit
which countries has X targeted
what countries did X target
countries targeted by X
X target countries
target countries of X
which regions does X target
what regions does X hit
X geographic targeting
X targeting
X target profile
does X target Y
did X target Y
did X hit Y
has X hit anyone in Y
did X compromise anyone in Y
any X victims in Y
X victims in Y
X targets in Y
who did X hit in Y
who in Y did X target
is X targeting Y
is X after Y
is Y a target of X
was Y targeted by X
was Y a victim of X
was Y hit by X
did X go after Y
has X gone after Y
is X attacking Y
what was X used to attack
who was X used against
what was the X botnet used against
what did X attack
who did the X malware hit
what kind of orgs does X target
what kind of victims does X go for
typical X targets
usual targets of X
main targets of X
X's main targets
X's victims
who are X's targets
waht does X target
who does X targt
who dose X target
who does X go afer
hey who does X target
quick one, who does X target
sorry who did X hit
can someone tell me X's victims
X victims for a slide
targets of the X campaign
who did the X campaign target
what did the X campaign hit
who was targeted in X
what was targeted in X
who were the targets in X
which agencies did X breach
which government bodies did X hit
which us agencies were hit by X
did X hit any us companies
did X hit any banks
does X target us
are we a target of X
`,
  when: `
wen was X
wen did X happen
when did the X happen
when did the X breach happen
when did the X attack happen
when did X take place
when did X occur
when was the X incident
when was the X breach
when was the X hack
X date
date of X
date of the X
what date did X happen
what day did X happen
on what date was X
which year was X
what year was X
what year did X happen
X year?
X when
when X
when did X first appear
when did X appear
when did X emerge
when did X show up
when did X surface
when did X first show up
when did X come out
when was X released
when did X start operating
when did X kick off
when did the X campaign start
when did the X campaign begin
when did X end
when did X stop
when did the X campaign end
how long did X last
how long was X active
how long has X been around
how long has X been operating
how long have X been active
X been around how long
active since? X
X first seen
X first seen date
first seen date for X
first sighting of X
when was X first spotted
when was X first observed
when was X first identified
when was X first detected
when was X first disclosed
when was X disclosed
when was X made public
when did X become public
when was X announced
when was X revealed
when was X uncovered
when was X found
when was X first discovered
when was X first documented
first reported when? X
when did X get discovered
when did X get taken down
when did X get shut down
when was X shut down
when was X dismantled
when was X seized
when was the X takedown
date of the X takedown
X takedown date
when did the X takedown happen
when did Y take down X
when did Y disrupt X
X publication date
X published when
when was the X advisory published
when did the X advisory come out
when did Y publish X
when was X added to the kev catalog
when was X added to kev
X kev date added
when was X added to the catalog
date X was added to kev
when was X patched
when was X fixed
when were X indicted
when was X charged
when did Y charge X
when was the X indictment
X indictment date
when was X arrested
when did X get arrested
when was X extradited
when did X find out about Y
when did X learn of Y
when did X first notice
when did X detect Y
when did X disclose Y
when did X go public about Y
timeline for X
timeline of the X
X timeline pls
X timeline for a slide
chronology of X
X chronology
X key dates
key dates for X
sequence of events in X
X age
how recent is X
is X new or old
did X happen in 2024
did X happen in march 2025
was X in 2023 or 2024
was X before or after Y
which came first X or Y
when exactly did X start
when did X start, roughly
when'd X start
wen did X start
when did X strat
when was X first reprted
hey when did X happen
quick one: when was X
sorry, when was X discovered
can someone tell me when X started
`,
  count: `
how many devices in X
how many devices are in X
how many devices are in the X botnet
how many devices did X have
how many devices were infected by X
how many infected devices does X have
how many infections does X have
how many infections did X cause
how many infected hosts in X
how many hosts did X infect
how many machines did X infect
how many computers did X compromise
how many routers did X compromise
how many routers were in X
how many iot devices in X
how many cameras were in X
how many bots in X
how many bots did X have
X bot count
bot count for X
number of bots in X
number of X bots
number of infected devices in X
number of X infections
number of victims of X
X victim count
how many victims X
how many victims were there
how many people were affected by X
how many people did X affect
how many customers were affected by X
how many customers did X impact
how many users affected by X
how many records were stolen in X
how much data did X steal
how much data was taken in X
how many companies did X hit
how many organizations did X compromise
how many orgs were hit by X
how many companies were affected by X
how many countries did X hit
how many countries were affected by X
in how many countries is X
how many countries has X targeted
how many countries were involved in X
how many agencies were involved in X
how many people work at X
how many staff does X have
X headcount
X employee count
number of employees at X
how big is X as a company
how many shares outstanding does X have
X shares outstanding
how many shares of X
how many members does X have
how many people are in X
how many people were charged over X
how many people were indicted in X
how many were arrested in X
how many domains were seized in X
how many servers were seized in X
how many c2 servers did X have
how big is the X botnet
how big was the X botnet at its peak
how large was X
how large is the X botnet
how big was the X breach
X scale
scale of X
scale of the X
size of the X botnet
size of the X breach
hw many devices in X
how mnay bots in X
how meny infections X
X peak
X peak size
X at its peak
X peak devices
peak bots in X
peak infections of X
what was X's peak
what was the peak of X
at its peak how many devices did X have
max size of X
X reward
X reward amount
reward amount for X
how much is the reward on X
how big is the reward for X
how much is the bounty for X
X bounty
X bounty amount
how much money for info on X
how much did X make
how much money did X make
how much did X steal
how much ransom did X collect
X revenue
X figures
key figures for X
X numbers pls
X numbers for a slide
X stats pls
stats on X
statistics on X
X statistics
some numbers on X
what are the numbers on X
is that figure right for X
which number is right for X
which figure is correct
which figure is correct for X
is it 65k or 260k
how many X infections in Y
how many X bots in Y
how many X devices in Y
X devices in Y
number of X infections in Y
how many devices in Y
how many in the us
how many infected devices in Y
X infections per country
X infection count by country
X count by country
breakdown of X by country
`,
  techniques: `
ttps for X
ttps used by X
what ttps does X use
what are X's ttps
X tactics techniques procedures
X tradecraft
X's tradecraft
how does the X botnet work
how does the X malware work
how does X attack
how does X break in
how did X get into Y
how does X get initial access
X initial access vector
initial access for X
how did X gain access to Y
how did X compromise Y
how did X hack Y
how did the X breach happen
how did attackers get into X
entry point for X
X infection vector
how does X infect devices
how does X spread
how does X propagate
how does X move laterally
X lateral movement
X persistence
X persistence mechanism
how does X persist
how does X maintain access
how does X stay hidden
how does X evade detection
X evasion techniques
X defense evasion
how does X exfiltrate data
X c2
X c2 infrastructure
how does X communicate with c2
how is X's c2 set up
how was the X botnet controlled
how did X control the bots
how did the operators control X
X tooling
X toolset
tools used by X
what tools did X use in Y
which tools does X use
X malware families
malware used by X
what malware did X use
what malware does X deploy
which malware does X use
X implants
what implants does X use
X backdoors
what backdoor does X use
does X use Y
is Y one of X's tools
is Y used by X
X exploits
what exploits does X use
which exploits does X use
X exploited cves
what vulns does X exploit
what vulnerabilities did X exploit
which cves does X exploit
which cve did X use to get in
what cve was used in X
what vulnerability was exploited in X
which flaw was exploited in X
does X exploit Y
did X exploit Y
did X use Y to get in
did X use a zero day
does X use zero days
does X use phishing
how does X phish
does X use living off the land
X lotl
does X use stolen credentials
how did X get credentials
what kind of devices does X infect
which devices were in X
which routers were in X
what routers does X infect
what routers did X compromise
which iot devices does X infect
what devices made up X
X device types
what kind of routers are in the X botnet
what runs on the X devices
what malware runs on X devices
what was running on the X bots
what's Y in X
what is Y in the X
what role does Y play in X
what does Y do in X
what is the Y component of X
X components
how did they take down X
how did Y take down X
how was X disrupted
how did the X takedown work
how was X dismantled
what method was used to take down X
how did Y disrupt X
how does X encrypt files
X attack chain
X kill chain
X infection chain
walk me through the X attack chain
X mitre techniques
X att&ck techniques
att&ck mapping for X
waht tools does X use
X tehcniques
how dose X get in
hey how does X get in
quick q: X ttps
sorry, what malware does X use
can someone explain how X works
X ttps for a slide
`,
  mitigation: `
what should we do re X
what do we do about X
what do we do about the X
what can we do about X
what should i do about X
what should our team do about X
what should we do if we are hit by X
what to do about X
what to do if X hits us
how to protect against X
how to protect from X
how can we protect against X
how do i protect against X
how do we protect ourselves from X
how do we protect our network from X
how do we protect our devices from X
how to protect routers from X
protection against X
protect against X
protection from X
how do we defend against X
how can we defend against X
defending against X
defense against X
defenses for X
how to mitigate X
how do we mitigate X
how can we mitigate X
X mitigation
X mitigation steps
mitigation steps for X
mitigations against X
recommended mitigations for X
X recommended mitigations
what are the mitigations for X
what mitigations are recommended for X
any mitigations for X
mitigaton for X
mitgations for X
X remediation
remediation for X
remediation steps for X
how do we remediate X
how to remediate X
how to clean up X
how to remove X
how do we get rid of X
how to clean X off our routers
how do we recover from X
X recovery steps
how to detect X
how do we detect X
how can we detect X
X detection
X detections
detection rules for X
detection guidance for X
X detection guidance
should we block the X iocs
should we block X's domains
should we block X ips
do we need to block X
block X?
is blocking X enough
how to block X
how do we block X
how do we stop X
how can we stop X attacks
how to prevent X
how do we prevent X
prevention for X
how to harden against X
hardening against X
hardening guidance for X
X hardening guide
how do we harden our routers against X
how to harden devices against X
is there a patch for X
is there a fix for X
is there a workaround for X
X workaround
how to fix X
how do we fix X
should we patch X
do we need to patch X
which patch fixes X
what patch do we need for X
what should we patch against X
which vulns should we patch for X
which X vulnerabilities should we patch
which X vulns to patch first
what to patch for X
X patch deadline
X patch due date
X kev due date
X due date
due date for X
when do we need to patch X by
whats the deadline to patch X
what's the remediation deadline for X
what's the required action for X
X required action
required action for X
what does kev say to do about X
what does Y recommend against X
what does Y recommend for X
recommendations for X
X recommendations
best practices against X
what controls stop X
what controls help against X
are we protected against X
are we safe from X
are we vulnerable to X
is our edr enough for X
does mfa stop X
will a reboot get rid of X
does rebooting the router clear X
should we reset our routers because of X
should we replace end of life routers because of X
X mitigation for a slide
hey how do we protect against X
quick one what should we do about X
sorry, mitigations for X?
pls send mitigations for X asap
can someone tell me how to defend against X
waht should we do about X
how to protcet against X
`,
  statements: `
what did X say abt Y
wat did X say about Y
what did X have to say
what did X have to say about Y
what did X say on Y
what did X say regarding Y
what did X say about the Y
what did X just say about Y
what is X saying about Y
what's X saying about Y
what are X saying
what does X say
what has X said
what has X said so far
has X said anything
has X said anything about Y
did X say anything about Y
did X say anything
X said what about Y
X said what?
X comment
X comment on Y
X comments on Y
X's comment
X's comments on Y
any comment from X
any comment from X on Y
did X comment
has X commented on Y
has X commented
did X decline to comment
X quotes
X quotes on Y
quotes from X
quote from X on Y
any quotes from X about Y
give me a quote from X
X quote for a slide
what's X's quote
X statement
X statement about Y
X's statement on Y
X official statement
official statement from X
X's official statement on Y
did X issue a statement
did X put out a statement on Y
has X released a statement
statement by X on Y
X press statement
X response
X's response
X's response to Y
what was X's response
what was X's response to Y
how has X responded to Y
how did X react to Y
X reaction
X's reaction
X reaction to Y
what was X's reaction to Y
how did X take Y
X's take on Y
what's X's take on Y
what is X's position on Y
X position on Y
what is X's stance on Y
X stance on Y
did X deny Y
did X deny it
did X admit Y
did X confirm Y
did X acknowledge Y
did X apologize
did X apologise for Y
what did X admit
what did X confirm
what did X deny
what did X claim
what did X claim about Y
what did X tell reporters
what did X tell the press
what did X tell congress
what did X testify
X testimony
what did X say in the hearing
what did X say at the press conference
what did X post about Y
what did X tweet
what did X warn about
what did X warn about Y
X warning about Y
what did X announce about Y
what did us officials say about X
what did the officials say about X
what have officials said about X
what did authorities say about X
what did the government say about X
what did the company say about X
what did the ceo say about X
what did the spokesperson say
what did X's spokesperson say
X spokesperson statement
what did X's ceo say about Y
did X speak about Y
did X really say Y
what exactly did X say
X's words on Y
hey what did X say about Y
quick one, X's statement on Y?
sorry what did X say
can someone find what X said about Y
waht did X say about Y
what did X sya about Y
how did X respnd to Y
X staement on Y
what's X been saying about Y
did X make a statement about Y
X said anything re Y?
what did X say publicly about Y
what was the official response from X
X public statement on Y
did X respond to Y
X responded how
`,
  location: `
where's X
wheres X
X based where
where X based
where's X based
wheres X based
where r X based
where are X located
where are X from
where are the X from
where is the X from
where does X come from
where does X originate
where do X operate from
where does X operate
where is X operating from
X operates from where
where does X work from
where is X run from
where was X run from
where was X operated from
where was X based
where were X based
where was X located
where does X operate out of
where is X physically
where is X physically located
X's location
location of X
location of the X
X locaton
where is X headquarted
X hq
X hq location
where's X hq
where is X's hq
where is X's headquarters
X headquarters location
where are X's headquarters
headquarters of X
X head office
where is X's head office
where is X's main office
X offices
where are X's offices
where does X have offices
X address
X's address
what is X's address
X registered address
where is X registered
where is X incorporated
X country of incorporation
X country
what country is X from
what country is X based in
which country is X based in
which country is X in
which country is X from
which country does X operate from
what country does X operate from
country of X
X country of origin
country of origin of X
what city is X in
what city is X based in
which city is X based in
X city
which city is X from
which city was X run from
what region is X in
is X based in Y
is X in Y
is X located in Y
is X from Y
does X operate from Y
does X operate out of Y
is X headquartered in Y
is X's hq in Y
was X run from Y
was X controlled from Y
where was X's c2
where was X's c2 located
where were X's c2 servers
where are X's c2 servers
where were X's servers
where are the X servers
where are X's servers hosted
where is X hosted
X hosting location
where was the X infrastructure
where is X's infrastructure
X infrastructure location
where were the X operators
where are the X operators
where are X's operators based
where do the X operators live
where does X live
where is X hiding
where was X arrested
where are X's members based
where is X's data center
where are X's data centers
hey where is X based
quick one where's X from
sorry where is X located
can someone tell me where X is based
where is X basd
were is X based
wher is X located
X based in?
X from where
X from?
X where
X geolocation
geolocation of X
where is X based out of
X based out of where
where in the world is X
X operating location
which country hosts X
X based in Y?
X located where
`,
  relation: `
how is X linked with Y
how's X linked to Y
hows X related to Y
how is X tied to Y
how is X associated with Y
how is X connected with Y
how does X connect to Y
how does X relate to Y
how does X tie into Y
how do X and Y relate
how do X and Y connect
how are X and Y linked
how are X and Y tied
how are X and Y associated
what links X and Y
what links X to Y
what ties X to Y
what connects X and Y
what connects X to Y
whats the connection between X and Y
what is the link between X and Y
what's the relationship between X and Y
what is the relationship between X and Y
relationship between X and Y
relation between X and Y
connection between X and Y
link between X and Y
links between X and Y
ties between X and Y
overlap between X and Y
any overlap between X and Y
is there overlap between X and Y
do X and Y overlap
X Y overlap
X and Y overlap
X and Y relationship
X and Y relation
X and Y ties
X & Y link
X <> Y
X - Y link?
X / Y connection
X Y connection
X linked to Y?
X connected to Y?
X related to Y?
X tied to Y?
is X tied to Y
is X associated with Y
is X affiliated with Y
is X part of Y
is X a part of Y
is X a subsidiary of Y
is X owned by Y
is X a front for Y
is X a front company for Y
is X a spin off of Y
is X a subgroup of Y
is X an offshoot of Y
is X a splinter of Y
did X split from Y
did X work with Y
does X work with Y
does X cooperate with Y
does X collaborate with Y
is X working with Y
is X partnered with Y
is X in business with Y
do X and Y work together
did X and Y work together
are X and Y connected
are X and Y related
are X and Y linked
are X and Y tied
are X and Y associated
are X and Y affiliated
are X and Y partners
does X have anything to do with Y
what has X got to do with Y
whats X got to do with Y
what does X have to do w Y
X has to do with Y?
what role did X play in Y
how was X involved in Y
how is X involved in Y
does X share infrastructure with Y
does X share code with Y
does X share tooling with Y
X and Y shared infrastructure
who is X associated with
who is X affiliated with
who is X tied to
who's X linked to
who's X connected to
who does X work with
who does X partner with
who are X's partners
who are X's associates
X associates
X affiliates
X connections
X's connections
X's links
X relationships
what is X linked to
what is X related to
what's X tied to
what's X connected to
what's X linked to
what groups is X linked to
which groups is X connected to
which companies is X linked to
what other groups is X tied to
hey how is X linked to Y
quick one: X and Y connected?
sorry how are X and Y related
can someone explain the link between X and Y
how is X lnked to Y
waht's the link between X and Y
how is X conected to Y
X and Y - whats the link
`,
  latest: `
latest pls
the latest
latest stuff
latest updates
latest update
latest intel
latest threat intel
latest threats
latest alerts
latest reports
latest headlines
latest news pls
latst news
lastest news
latets
whats the latest
whats teh latest
what's latest
what is the latest
wats new
waht's new
what's new today
what's new this week
whats new this morning
anything new today
anything new this week
anything new since yesterday
anything new since friday
anything new i should know about
anything i should know about today
any news today
any news this week
any new news
news pls
news today
today's news
this week's news
news roundup
daily roundup
weekly roundup
daily digest
daily brief
morning brief
give me the daily brief
give me today's brief
what happened today
what happened this week
what happened overnight
what did i miss
what did i miss this week
catch me up
catch me up on X
fill me in on the latest
update?
update pls
any update
new stuff
recent news
recent stuff
recent updates
recent alerts
recent reports
recent activity
what's been happening
whats been going on
what's going on
whats going on today
what's happening
what's trending
trending threats
top stories
top news
headlines
today's headlines
any new advisories
any new alerts
new alerts
any new reports
new reports?
latest on the X
the latest on X
X latest
X news
X updates
X update
any updates on X
any update on X
anything new about X
anything new with X
any news about X
any news re X
news on X
news about X
latest news on X
latest news about X
latest re X
whats the latest on X
what's the latest on the X
what is the latest on X
what's new on X
whats new with X
what's new about X
any new info on X
anything recent on X
recent news on X
most recent news on X
any developments on X
new developments on X
latest developments on X
what's happening with X
what's going on with X
any movement on X
has anything changed with X
X anything new?
hey any news
hey what's new
morning, anything new?
quick one, any updates on X
sorry, what's the latest
pls give me the latest
`,
  advisories: `
X advisorys
advisories for X
advisorys on X
any advisorys about X
any advisory on X
any advisories about X?
is there an advisory about X
is there an advisory for X
is there a government advisory on X
is there a joint advisory about X
joint advisory on X
X joint advisory
X cybersecurity advisory
cybersecurity advisory on X
X advisory
X advisory link
link to the X advisory
link to X advisory pls
where is the X advisory
where can i find the X advisory
send me the X advisory
can you send the X advisory
X report
X reports
report on X
reports about X
any reports about X
any report on X
is there a report on X
is there a report about X
what reports mention X
which reports cover X
which advisories mention X
which advisories cover X
what advisories mention X
what advisories are out on X
what has been published on X
what has been published about X
what's been published on X
anything published on X
any publications about X
publications about X
X publications
any alerts on X
alerts on X
alert about X
is there an alert on X
X alert
X bulletin
X bulletins
bulletin on X
any bulletins on X
security bulletin for X
any press releases on X
press release about X
press releases on X
what press releases mention X
official publications on X
government reports on X
vendor reports on X
threat reports on X
threat intel reports on X
intel reports about X
X writeups
X write-up
writeups on X
any writeups on X
blog posts about X
research on X
X whitepaper
X fact sheet
fact sheet on X
X flash
X psa
what did X publish about Y
what has X put out on Y
what did X release about Y
what did X put out about Y
did X publish anything on Y
has X published anything about Y
did X publish an advisory on Y
did X release a report on Y
X publications on Y
X reports on Y
X advisories on Y
X's advisory on Y
X's report on Y
what does X's report on Y say
summarize the X advisory
summarise the X report
summary of the X advisory
summarise this report
summarize this advisory
summarise this
summarize this
summarize this link
summarise this pls
tldr this
tldr?
tldr pls
tl;dr
X tl;dr
X tldr pls
tldr of the X advisory
tldr on the X report
can you tldr this
give me the tldr of X
key points of the X advisory
key takeaways from the X report
main points of this report
what does this advisory say
what does this report say
what does the X advisory say
what's in the X advisory
what's in this report
read this and summarise
sum up this article
X link tldr
hey any advisories on X
quick one, is there an advisory on X
sorry, any reports on X?
can someone send me advisories on X
advisories on X for a slide
X advisorys pls
any adviosries on X
reprots on X
is there an advsory on X
`,
  help: `
help pls
help please
halp
hlep
/help
help me out
can you help
can you help me
can u help
can you help me with something
i need help
need help
how does this work
how do i use this bot
how do i use this thing
how do i use it
how do i talk to you
how do i ask you things
how should i ask questions
how should i phrase my question
how do i phrase questions
how do i search
how do i look something up
how to use
how to use this
how to use this bot
usage pls
instructions
instructions pls
manual
docs
documentation
user guide
getting started
how do i get started
where do i start
what can u do
what can you do for me
what do you do
what are you
who are you
what is this bot
what is this
what's this bot
what is this thing
what are you for
what are you good for
what are you capable of
what are your capabilities
capabilities
features
what features do you have
what can i ask about
what can i ask you about
what should i ask
what kind of questions can i ask
what kind of questions can you answer
what questions can i ask
what questions do you answer
what topics do you cover
what do you cover
what data do you have
what sources do you use
where does your data come from
what can you tell me
what can you help with
what can you help me with
what do you support
what commands are there
what commands do you support
list commands
command list
show commands
show me what you can do
give me some examples
examples
example questions
examples pls
any examples
sample questions
what's the syntax
syntax
how do i ask about an actor
how do i check if something is sanctioned
how do i look up an actor
can i ask you about sanctions
can you do sanctions checks
hi there
hey
hey there
hello there
hiya
yo
sup
good morning
morning
good afternoon
hi bot
hello bot
hey bot
ping
you there?
are you there
anyone there
i'm new here, what can you do
new here how does this work
first time using this, how does it work
how do i get the most out of you
tips
any tips on using this
whats this bot for
what is this bot for
wat can you do
waht can you do
what cna you do
hw do i use this
what are you able to do
how can you help me
how can i use you
what can this bot do
what does this bot do
can you explain what you do
hey, what can you do
hello, how does this work
`,
  'used-by': `
anyone know which groups use X
what apt groups have been seen using X
which ransomware gangs use X
who's been using X
list groups that use X
groups associated with X
`,
  kev: `
is X in the kev catalog
X on kev?
is X under active exploitation
cisa kev X
kev status of X
X exploited? kev?
`,
};
