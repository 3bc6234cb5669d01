/**
 * The question table: one row per phrasing, with what a correct answer must be. Shared by the
 * behaviour suite (test/questions.test.ts) and the latency benchmark (npm run bench).
 */
export interface QuestionCase {
  q: string;
  intent: string;
  /** The entity the answer is about; null when none may be chosen. */
  entity?: string | null;
  /** Fragments the answer text must contain. */
  says?: string[];
  /** Whether the answer must carry citations (default: yes when an entity is expected). */
  cited?: boolean;
  /** Fragments the answer must never contain. */
  never?: string[];
}

const ITG = 'integrity-technology-group';
const FLAX = 'flax-typhoon';

export const QUESTIONS: QuestionCase[] = [
  // Integrity Tech: sanctions, through every alias and spelling
  { q: 'is Integrity Tech sanctioned?', intent: 'sanctions', entity: ITG, says: ['Yes', 'OFAC', '3 January 2025', 'E.O. 13694'] },
  { q: 'Is Integrity Technology Group sanctioned', intent: 'sanctions', entity: ITG, says: ['Yes', 'OFAC'] },
  { q: 'is integrity technology group inc. sanctioned?', intent: 'sanctions', entity: ITG, says: ['Yes'] },
  { q: 'IS INTEGRITY TECH SANCTIONED', intent: 'sanctions', entity: ITG, says: ['Yes'] },
  { q: 'is Integrity Technology Group, Co., Ltd. under sanctions?', intent: 'sanctions', entity: ITG, says: ['Yes'] },
  { q: 'is integrty tech sanctioned', intent: 'sanctions', entity: ITG, says: ['Yes'] },
  { q: 'is Integrity Tehc sanctioned?', intent: 'sanctions', entity: ITG, says: ['Yes'] },
  { q: 'is Yongxin Zhicheng sanctioned?', intent: 'sanctions', entity: ITG, says: ['Yes'] },
  { q: '永信至诚 sanctioned?', intent: 'sanctions', entity: ITG, says: ['Yes'] },
  { q: 'is 688244 sanctioned', intent: 'sanctions', entity: ITG, says: ['Yes'] },
  { q: 'when was Integrity Tech sanctioned?', intent: 'sanctions', entity: ITG, says: ['3 January 2025'] },
  { q: 'who sanctioned Integrity Tech?', intent: 'sanctions', entity: ITG, says: ['Office of Foreign Assets Control'] },
  { q: 'why was Integrity Tech sanctioned?', intent: 'sanctions', entity: ITG, says: ['Why:', 'Flax Typhoon'] },
  { q: 'what do the sanctions on Integrity Tech mean?', intent: 'sanctions', entity: ITG, says: ['What it means', 'blocked'] },
  { q: '<@U0TBOT> is *Integrity Tech* sanctioned?', intent: 'sanctions', entity: ITG, says: ['Yes'] },
  { q: '<at>ThreatBrief</at> is Integrity Tech sanctioned?', intent: 'sanctions', entity: ITG, says: ['Yes'] },
  { q: 'was integrity tech designated by OFAC?', intent: 'sanctions', entity: ITG, says: ['Yes'] },
  // Integrity Tech: profile and relations
  { q: 'who is Integrity Tech?', intent: 'profile', entity: ITG, says: ['Beijing', 'Integrity Tech'] },
  { q: 'what is Integrity Technology Group', intent: 'profile', entity: ITG, says: ['688244'] },
  { q: 'tell me about integrity tech', intent: 'profile', entity: ITG },
  { q: 'Integrity Tech', intent: 'profile', entity: ITG },
  { q: 'integrity tech?', intent: 'profile', entity: ITG },
  { q: 'who is Integrity Tech linked to?', intent: 'relations', entity: ITG, says: ['Flax Typhoon'] },
  { q: 'what is integrity tech connected to', intent: 'relations', entity: ITG },
  { q: 'who accused Integrity Tech?', intent: 'relations', entity: ITG, says: ['United Kingdom'] },
  // Flax Typhoon
  { q: 'who is Flax Typhoon?', intent: 'profile', entity: FLAX, says: ['Storm-0919', 'ETHEREAL PANDA', 'RedJuliett'] },
  { q: 'who is flax typhoon', intent: 'profile', entity: FLAX },
  { q: 'FLAX TYPHOON', intent: 'profile', entity: FLAX },
  { q: 'who is Flax Typhon?', intent: 'profile', entity: FLAX },
  { q: 'who is flax tyhpoon', intent: 'profile', entity: FLAX },
  { q: 'who is Typhoon Flax?', intent: 'profile', entity: FLAX },
  { q: 'who is Storm-0919?', intent: 'profile', entity: FLAX },
  { q: 'who is storm 0919', intent: 'profile', entity: FLAX },
  { q: 'who is ETHEREAL PANDA?', intent: 'profile', entity: FLAX, says: ['CrowdStrike'] },
  { q: 'what is Ethereal Panda', intent: 'profile', entity: FLAX },
  { q: 'who is RedJuliett', intent: 'profile', entity: FLAX, says: ['Recorded Future'] },
  { q: 'who is Red Juliett?', intent: 'profile', entity: FLAX },
  { q: 'who is behind Flax Typhoon?', intent: 'relations', entity: FLAX, says: ['Integrity Technology Group'] },
  { q: 'who is Flax Typhoon linked to?', intent: 'relations', entity: FLAX, says: ['Integrity'] },
  { q: 'who runs Flax Typhoon', intent: 'relations', entity: FLAX, says: ['Integrity'] },
  {
    q: 'is Flax Typhoon sanctioned?',
    intent: 'sanctions',
    entity: FLAX,
    says: ['I have no record of Flax Typhoon being sanctioned', 'Integrity Technology Group'],
    never: ['Yes — Flax'],
  },
  { q: 'when was Flax Typhoon first reported?', intent: 'dates', entity: FLAX, says: ['Microsoft', '2023'] },
  { q: 'since when is flax typhoon active', intent: 'dates', entity: FLAX, says: ['2021'] },
  { q: 'how long has Flax Typhoon been active?', intent: 'dates', entity: FLAX, says: ['2021'] },
  { q: 'what does Flax Typhoon target?', intent: 'targets', entity: FLAX, says: ['Taiwan'] },
  { q: 'which sectors does flax typhoon go after? targets please', intent: 'targets', entity: FLAX },
  { q: 'who are the victims of Flax Typhoon', intent: 'targets', entity: FLAX },
  { q: 'how does Flax Typhoon get in?', intent: 'access', entity: FLAX, says: ['vulnerabilit'] },
  { q: 'what tools does Flax Typhoon use?', intent: 'access', entity: FLAX, says: ['SoftEther'] },
  { q: 'flax typhoon initial access', intent: 'access', entity: FLAX },
  { q: 'TTPs of ethereal panda', intent: 'access', entity: FLAX },
  { q: 'advisories about Flax Typhoon', intent: 'advisories', entity: FLAX, says: ['2024'] },
  // The botnet and its conflicting sizes
  { q: 'how many devices were in the Flax Typhoon botnet?', intent: 'count', entity: FLAX, says: ['260,000', '200,000', 'side by side'] },
  { q: 'how big is the Raptor Train botnet?', intent: 'count', entity: 'raptor-train-botnet', says: ['260,000', '200,000'] },
  { q: 'how many devices did Integrity Tech compromise?', intent: 'count', entity: ITG, says: ['260,000'] },
  { q: 'what is Raptor Train?', intent: 'profile', entity: 'raptor-train-botnet' },
  { q: 'who operated raptor train', intent: 'relations', entity: 'raptor-train-botnet', says: ['Integrity'] },
  // Salt, Volt, Silk Typhoon and the Treasury breach
  { q: 'who is Salt Typhoon?', intent: 'profile', entity: 'salt-typhoon', says: ['G1045'] },
  { q: 'what is salt typhon', intent: 'profile', entity: 'salt-typhoon' },
  { q: 'who is GhostEmperor?', intent: 'profile', entity: 'salt-typhoon' },
  { q: 'who is Operator Panda', intent: 'profile', entity: 'salt-typhoon' },
  { q: 'is Sichuan Juxinhe sanctioned?', intent: 'sanctions', entity: 'sichuan-juxinhe', says: ['Yes', '17 January 2025'] },
  { q: 'is Sichuan Juxinhe Network Technology Co., LTD. sanctioned', intent: 'sanctions', entity: 'sichuan-juxinhe', says: ['Yes'] },
  { q: 'is Yin Kecheng sanctioned?', intent: 'sanctions', entity: 'yin-kecheng', says: ['Yes'] },
  { q: 'is Kecheng Yin sanctioned?', intent: 'sanctions', entity: 'yin-kecheng', says: ['Yes'] },
  { q: 'who is Volt Typhoon?', intent: 'profile', entity: 'volt-typhoon', says: ['G1017'] },
  { q: 'who is Vanguard Panda', intent: 'profile', entity: 'volt-typhoon' },
  { q: 'what is G1017', intent: 'profile', entity: 'volt-typhoon' },
  { q: 'who is bronze silhouette', intent: 'profile', entity: 'volt-typhoon' },
  { q: 'who is Silk Typhoon', intent: 'profile', entity: 'silk-typhoon' },
  { q: 'who is hafnium?', intent: 'profile', entity: 'silk-typhoon' },
  { q: 'what was the treasury breach?', intent: 'profile', entity: 'us-treasury-breach-2024', says: ['BeyondTrust'] },
  { q: 'who is behind the Treasury breach?', intent: 'relations', entity: 'us-treasury-breach-2024' },
  // People and bodies
  { q: 'who is Bradley T. Smith?', intent: 'profile', entity: 'bradley-t-smith', says: ['Treasury'] },
  { q: 'who is Bradley Smith', intent: 'profile', entity: 'bradley-t-smith' },
  { q: 'who is Christopher Wray?', intent: 'profile', entity: 'christopher-wray', says: ['FBI'] },
  { q: 'who is Wray, Christopher', intent: 'profile', entity: 'christopher-wray' },
  { q: 'who is Paul Abbate?', intent: 'profile', entity: 'paul-abbate' },
  { q: 'what is OFAC?', intent: 'profile', entity: 'ofac', says: ['Office of Foreign Assets Control'] },
  { q: 'what is the Office of Foreign Assets Control', intent: 'profile', entity: 'ofac' },
  { q: 'what is the FBI', intent: 'profile', entity: 'fbi' },
  { q: 'what is the Justice Department?', intent: 'profile', entity: 'us-doj' },
  { q: 'what is the State Department?', intent: 'profile', entity: 'us-state-department' },
  { q: 'what is the US Treasury', intent: 'profile', entity: 'us-treasury' },
  // Advisories
  { q: 'latest', intent: 'latest', entity: null, cited: true },
  { q: "what's new?", intent: 'latest', entity: null, cited: true },
  { q: 'What is new', intent: 'latest', entity: null, cited: true },
  { q: 'latest advisories', intent: 'latest', entity: null, cited: true },
  { q: 'advisories about Volt Typhoon', intent: 'advisories', entity: 'volt-typhoon', says: ['KV'] },
  { q: 'help', intent: 'help', entity: null, cited: false, says: ['is <name> sanctioned?'] },
  { q: 'what can you do', intent: 'help', entity: null, cited: false },
  // Ambiguity, unknown names and out of scope
  { q: 'who is Typhoon?', intent: 'clarify', entity: null, cited: false, says: ['Flax Typhoon', 'Salt Typhoon', 'Volt Typhoon'] },
  { q: 'is Typhoon sanctioned?', intent: 'clarify', entity: null, cited: false, says: ['is Flax Typhoon sanctioned?'] },
  { q: 'who is Acme Widgets Ltd?', intent: 'unknown', entity: null, cited: false, says: ['I have no record of “Acme Widgets Ltd”'] },
  {
    q: 'is Acme Widgets Ltd sanctioned?',
    intent: 'unknown',
    entity: null,
    cited: false,
    says: ['I have no record', 'sanctions data loaded', 'does not rule out'],
    never: ['Yes', 'is not sanctioned'],
  },
  { q: 'is Evgeniy Bogachev sanctioned?', intent: 'unknown', entity: null, cited: false, never: ['Yes'] },
  { q: "what's the weather in Paris?", intent: 'unknown', entity: null, cited: false },
  { q: 'asdkjh qwpeoiu zxcmnb', intent: 'unknown', entity: null, cited: false },
  { q: 'who is Fax?', intent: 'unknown', entity: null, cited: false },
  // Hostile input
  { q: "' OR 1=1; --", intent: 'unknown', entity: null, cited: false },
  { q: 'Robert"); DROP TABLE entities;--', intent: 'unknown', entity: null, cited: false },
  { q: 'flax* NEAR(typhoon OR "salt', intent: 'clarify', entity: null, cited: false, says: ['Flax Typhoon'] },
  { q: 'who is "Flax Typhoon" OR 1=1', intent: 'profile', entity: FLAX },
  { q: '"unbalanced quote who is', intent: 'unknown', entity: null, cited: false },
  { q: 'x'.repeat(10_000), intent: 'too-long', entity: null, cited: false },
  { q: '', intent: 'empty', entity: null, cited: false },
  { q: '?!', intent: 'empty', entity: null, cited: false },
];
