import { type Tlp, tlpAllows } from '../base/tlp.js';
import type { FactStore } from '../store/fact-store.js';

/**
 * The store as a conversation with `clearance` may see it: every read that could show marked
 * content drops what is above the clearance, and counts it, so the answer can say that more
 * exists without showing it. Composers read through the view unchanged.
 */
export function withClearance(store: FactStore, clearance: Tlp): { view: FactStore; withheld: () => number } {
  if (clearance === 'RED') return { view: store, withheld: () => 0 };
  const hidden = new Set<string>();
  const keep =
    <T extends { tlp?: Tlp | undefined }>(kind: string, key: (x: T) => string | number) =>
    (items: T[]) =>
      items.filter((x) => {
        if (tlpAllows(clearance, x.tlp)) return true;
        hidden.add(`${kind}:${key(x)}`);
        return false;
      });
  const claims = keep<ReturnType<FactStore['claims']>[number]>('claim', (c) => c.id);
  const advisories = keep<ReturnType<FactStore['latestAdvisories']>[number]>('advisory', (a) => a.id);

  // Prototype delegation: everything not overridden here is the store's own method.
  const view = Object.create(store) as FactStore;
  view.entity = (id) => {
    const e = store.entity(id);
    if (e && !tlpAllows(clearance, e.tlp)) {
      hidden.add(`entity:${id}`);
      return undefined;
    }
    return e;
  };
  view.claims = (id) => claims(store.claims(id));
  view.claimsAbout = (id) => claims(store.claimsAbout(id));
  view.claim = (id) => {
    const c = store.claim(id);
    return c && claims([c]).length ? c : undefined;
  };
  view.sanctionsOf = (id) => keep<ReturnType<FactStore['sanctionsOf']>[number]>('sanction', (s) => s.id)(store.sanctionsOf(id));
  view.latestAdvisories = (limit) => advisories(store.latestAdvisories(limit * 4)).slice(0, limit);
  view.advisoriesAbout = (id, limit) => advisories(store.advisoriesAbout(id, limit * 4)).slice(0, limit);
  view.advisoriesAfter = (seq, limit) => advisories(store.advisoriesAfter(seq, limit));
  return { view, withheld: () => hidden.size };
}

/** The sentence an answer ends with when something was held back. */
export function withheldNote(count: number, clearance: Tlp): string {
  return `${count} more item${count === 1 ? ' is' : 's are'} marked above TLP:${clearance}, the clearance here, and not shown. Ask me in a direct message: I answer there up to your own clearance.`;
}
