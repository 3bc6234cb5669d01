import { clip, LIMITS } from '../model/limits.js';
import type { ParsedFeed, ParseResult } from './types.js';

/**
 * Shortens a feed's over-long text to the caps in model/limits.ts, in place, and notes how many
 * fields it shortened: one absurd row (a 100,000-character name) must not sink a catalogue of
 * good ones, nor later swallow an answer or a digest.
 */
export function capFeed(result: ParseResult): ParseResult {
  if (!result.ok) return result;
  const feed: ParsedFeed = result.feed;
  let shortened = 0;
  const cap = (text: string, max: number): string => {
    if (text.length <= max) return text;
    shortened++;
    return clip(text, max);
  };
  for (const r of feed.records) {
    r.label = cap(r.label, LIMITS.entityName);
    if (r.entity) {
      r.entity.name = cap(r.entity.name, LIMITS.entityName);
      r.entity.summary = cap(r.entity.summary, LIMITS.entitySummary);
    }
    for (const a of r.aliases) a.name = cap(a.name, LIMITS.aliasName);
    for (const c of r.claims) c.text = cap(c.text, LIMITS.claimText);
    if (r.sanction) {
      r.sanction.reason = cap(r.sanction.reason, LIMITS.sanctionText);
      r.sanction.referenceTitle = cap(r.sanction.referenceTitle, LIMITS.sourceTitle);
      r.sanction.list.listedName = cap(r.sanction.list.listedName, LIMITS.entityName);
    }
    if (r.advisory) {
      r.advisory.title = cap(r.advisory.title, LIMITS.advisoryTitle);
      r.advisory.summary = cap(r.advisory.summary, LIMITS.advisorySummary);
      r.advisory.publisher = cap(r.advisory.publisher, LIMITS.publisher);
      if (r.advisory.url && r.advisory.url.length > LIMITS.url) {
        delete r.advisory.url;
        shortened++;
      }
    }
  }
  feed.title = cap(feed.title, LIMITS.sourceTitle);
  feed.publisher = cap(feed.publisher, LIMITS.publisher);
  if (shortened > 0)
    feed.notes = [
      ...(feed.notes ?? []),
      `${shortened} over-long field(s) shortened to the length caps (e.g. titles to ${LIMITS.advisoryTitle} characters, names to ${LIMITS.entityName}).`,
    ];
  return result;
}
