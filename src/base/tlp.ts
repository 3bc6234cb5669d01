/**
 * Traffic Light Protocol 2.0 markings, from least to most restricted. A conversation's
 * clearance is the highest marking it may be shown.
 */
export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export function tlpRank(t: Tlp): number {
  return TLP_LEVELS.indexOf(t);
}

/** Whether content marked `marking` may be shown where the clearance is `clearance`. */
export function tlpAllows(clearance: Tlp, marking: Tlp | undefined): boolean {
  return tlpRank(marking ?? 'CLEAR') <= tlpRank(clearance);
}

/** Reads "amber", "TLP:AMBER", "amber+strict", "white" (TLP 1.0's name for CLEAR). */
export function parseTlp(text: string): Tlp | undefined {
  const t = text
    .trim()
    .toUpperCase()
    .replace(/^TLP:\s*/, '')
    .replace(/\s+/g, '');
  if (t === 'WHITE') return 'CLEAR';
  return (TLP_LEVELS as readonly string[]).includes(t) ? (t as Tlp) : undefined;
}

/**
 * The STIX 2.x TLP marking-definition ids (the same in 2.0 and 2.1 for TLP 1.0; 2.1 adds the
 * TLP 2.0 definitions), mapped onto TLP 2.0.
 */
export const STIX_TLP_MARKINGS: Readonly<Record<string, Tlp>> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'CLEAR', // TLP:WHITE
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'GREEN',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'AMBER',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'RED',
  'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487': 'CLEAR', // TLP 2.0 CLEAR
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb': 'GREEN', // TLP 2.0 GREEN
  'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421': 'AMBER', // TLP 2.0 AMBER
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003': 'AMBER+STRICT',
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1': 'RED', // TLP 2.0 RED
};

/** The most restrictive marking among STIX `object_marking_refs` (CLEAR when none is TLP). */
export function tlpFromStixMarkings(refs: readonly string[] | undefined): Tlp {
  let out: Tlp = 'CLEAR';
  for (const r of refs ?? []) {
    const t = STIX_TLP_MARKINGS[r];
    if (t && tlpRank(t) > tlpRank(out)) out = t;
  }
  return out;
}
