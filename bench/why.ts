/**
 * Development aid: how one question is read and which facts rank for it.
 *   node dist/bench/why.js "who does integrity tech work for" [--after "earlier question"]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createKnowledgeView } from '../src/access/knowledge-view.js';
import { rankClaims } from '../src/answer/rank.js';
import { packageRoot } from '../src/base/paths.js';
import { syncKnowledge } from '../src/knowledge/sync.js';
import { FactStore } from '../src/store/fact-store.js';
import { openDatabase } from '../src/store/open.js';
import { Resolver } from '../src/understand/resolve.js';
import { understand } from '../src/understand/understand.js';

const { positionals } = parseArgs({ allowPositionals: true });
const store = new FactStore(openDatabase(':memory:'));
await syncKnowledge(store, join(packageRoot(), 'knowledge'), () => new Date());
const view = createKnowledgeView(store, 'CLEAR');
const resolver = new Resolver(view.names());
for (const q of positionals) {
  const r = understand(q, { view, resolver });
  console.log(
    `\n${q}\n  aspect ${r.aspect} (${r.confidence.toFixed(2)}), subjects ${r.subjects.join(', ') || '-'}${r.choice ? `, choice ${r.choice.candidates.join('/')}` : ''}${r.unknownName ? `, unknown “${r.unknownName.typed}”` : ''}`,
  );
  for (const s of r.steps) console.log(`  · ${s}`);
  for (const id of r.subjects.slice(0, 2)) {
    for (const x of rankClaims(view, id, r.aspect, []).slice(0, 5))
      console.log(`  ${x.score.toFixed(2)} ${x.inverse ? '←' : ' '} [${x.claim.predicate}] ${x.claim.text.slice(0, 110)}`);
  }
}
store.db.close();
