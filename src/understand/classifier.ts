import { LruCache } from '../base/lru.js';
import { editDistance } from '../base/normalize.js';

/**
 * Text classifiers over word unigrams, bigrams and the first word, with the names of a question
 * masked as `x`: naive Bayes, nearest neighbours, logistic regression, and the ensemble the
 * bot uses (nearest neighbours with logistic regression; docs/aspect-classifier.md compares
 * them, and NLP.js, on the question corpus). Words never seen in training are read as the
 * closest word that was (one typo, two in long words), so "sanctiond" counts as "sanctioned".
 */
export interface Classification<L extends string> {
  label: L;
  /** The winning label's share of the probability mass, 0..1. */
  confidence: number;
  /** Every label's probability, highest first. */
  ranked: { label: L; p: number }[];
}

export interface TextClassifier<L extends string> {
  classify(words: readonly string[]): Classification<L>;
  /** Words the classifier learned, for typo correction and for the question vocabulary. */
  readonly vocabulary: ReadonlySet<string>;
}

export interface Example<L extends string> {
  words: readonly string[];
  label: L;
}

/** The placeholder every name of a question becomes. */
export const NAME_PLACEHOLDER = 'x';

/** Words of a question the classifier reads; past this, a message is not a question but a paste. */
const MAX_WORDS = 60;

/** Unigrams, bigrams (with sentence edges) and the first word. */
export function featuresOf(words: readonly string[]): string[] {
  const out: string[] = [];
  const padded = ['<s>', ...words, '</s>'];
  for (const w of words) out.push(w);
  for (let i = 0; i + 1 < padded.length; i++) out.push(`${padded[i]} ${padded[i + 1]}`);
  if (words[0]) out.push(`first:${words[0]}`);
  return out;
}

// --- typo correction ---------------------------------------------------------------------

/** Words shorter than this are not corrected (too many near neighbours). */
const MIN_CORRECTED = 4;
/** Longer "words" are pastes or noise, not misspelt words (and their deletions would cost too much). */
const MAX_CORRECTED = 24;
/** From this length a word may carry two typos. */
const LONG_WORD = 8;
/** Corrections remembered per classifier (the most recently used). */
const CORRECTION_CACHE = 10_000;

/**
 * The closest known word to each unknown one, found through the words' one- and two-letter
 * deletions (the SymSpell idea), so that a lookup costs a few map reads rather than a scan of
 * the vocabulary. The deletion index is built on the first word that needs it.
 */
function typoCorrector(frequency: ReadonlyMap<string, number>): (w: string) => string {
  let byDeletion: Map<string, string[]> | undefined;
  const index = () => {
    if (byDeletion) return byDeletion;
    const built = new Map<string, string[]>();
    const add = (key: string, word: string) => {
      const list = built.get(key);
      if (!list) built.set(key, [word]);
      else if (!list.includes(word)) list.push(word);
    };
    for (const w of frequency.keys()) {
      if (w.length < MIN_CORRECTED) continue;
      add(w, w);
      for (const d of deletions(w, w.length >= LONG_WORD ? 2 : 1)) add(d, w);
    }
    byDeletion = built;
    return built;
  };
  const cache = new LruCache<string, string>(CORRECTION_CACHE);
  /**
   * Between two words as close to the typo: one at least as long (people drop letters more often
   * than they add them: "happend" is "happened", not "happen"), then the commoner, then the first.
   */
  const preferred = (query: string, a: string, b: string): boolean => {
    const longA = a.length >= query.length;
    const longB = b.length >= query.length;
    if (longA !== longB) return longA;
    const commoner = (frequency.get(a) ?? 0) - (frequency.get(b) ?? 0);
    return commoner !== 0 ? commoner > 0 : a < b;
  };
  return (w) => {
    if (frequency.has(w) || w === NAME_PLACEHOLDER || w.length < MIN_CORRECTED || w.length > MAX_CORRECTED) return w;
    const hit = cache.get(w);
    if (hit !== undefined) return hit;
    const budget = w.length >= LONG_WORD ? 2 : 1;
    let best = w;
    let bestDistance = budget + 1;
    for (const key of [w, ...deletions(w, budget)]) {
      for (const candidate of index().get(key) ?? []) {
        const d = editDistance(w, candidate, budget);
        if (d < bestDistance || (d === bestDistance && preferred(w, candidate, best))) {
          best = candidate;
          bestDistance = d;
        }
      }
    }
    cache.set(w, best);
    return best;
  };
}

/** Every string `w` becomes with up to `n` letters left out. */
function deletions(w: string, n: number): string[] {
  const out = new Set<string>();
  let frontier = [w];
  for (let k = 0; k < n; k++) {
    const next: string[] = [];
    for (const x of frontier) {
      for (let i = 0; i < x.length; i++) {
        const d = x.slice(0, i) + x.slice(i + 1);
        if (!out.has(d)) {
          out.add(d);
          next.push(d);
        }
      }
    }
    frontier = next;
  }
  return [...out];
}

/** In how many examples each word appears. */
function frequencyOf(examples: readonly Example<string>[]): Map<string, number> {
  const frequency = new Map<string, number>();
  for (const e of examples) for (const w of new Set(e.words)) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  return frequency;
}

function toDistribution<L extends string>(labels: readonly L[], probability: (label: L, i: number) => number): Classification<L> {
  const ranked = labels.map((label, i) => ({ label, p: probability(label, i) })).sort((a, b) => b.p - a.p);
  return { label: ranked[0]!.label, confidence: ranked[0]!.p, ranked };
}

// --- nearest neighbours ------------------------------------------------------------------

/** How many of the most similar phrasings vote. */
const NEIGHBOURS = 3;

type Scorer<L extends string> = (features: readonly string[]) => Classification<L>;

/**
 * Nearest neighbours over the phrasings: features weighted by how rare they are (idf), cosine
 * similarity, the most similar few vote (their similarity cubed, so that an almost identical
 * phrasing outweighs two loosely similar ones). Phrasings are close to templates of how people
 * ask, so the nearest one is usually the right reading.
 */
function nearestScorer<L extends string>(labels: readonly L[], docs: readonly { label: L; features: readonly string[] }[]): Scorer<L> {
  return nearestScorerOf(labels, nearestIndex(docs));
}

/** What nearest neighbours look up: each phrasing's label and norm, and the phrasings holding each feature. */
interface NearestIndex<L extends string> {
  docLabels: readonly L[];
  norms: Float64Array;
  postings: Map<string, { ids: Int32Array; weight: number }>;
}

function nearestIndex<L extends string>(docs: readonly { label: L; features: readonly string[] }[]): NearestIndex<L> {
  const df = new Map<string, number>();
  for (const d of docs) for (const f of new Set(d.features)) df.set(f, (df.get(f) ?? 0) + 1);
  const weight = (f: string) => (Math.log((docs.length + 1) / ((df.get(f) ?? 0) + 1)) + 1) ** 2;
  const norms = Float64Array.from(docs.map((d) => Math.sqrt([...new Set(d.features)].reduce((sum, f) => sum + weight(f), 0))));
  const lists = new Map<string, number[]>();
  docs.forEach((d, i) => {
    for (const f of new Set(d.features)) {
      const list = lists.get(f);
      if (list) list.push(i);
      else lists.set(f, [i]);
    }
  });
  const postings = new Map([...lists].map(([f, ids]) => [f, { ids: Int32Array.from(ids), weight: weight(f) }]));
  return { docLabels: docs.map((d) => d.label), norms, postings };
}

function nearestScorerOf<L extends string>(labels: readonly L[], index: NearestIndex<L>): Scorer<L> {
  const { docLabels, norms, postings } = index;
  // Scratch space for one classification: a dot product per phrasing, and which ones were touched.
  const dot = new Float64Array(docLabels.length);
  const touched = new Int32Array(docLabels.length);
  return (features) => {
    const found = [...new Set(features)].flatMap((f) => postings.get(f) ?? []);
    const qNorm = Math.sqrt(found.reduce((sum, p) => sum + p.weight, 0)) || 1;
    let n = 0;
    for (const p of found) {
      for (const i of p.ids) {
        if (dot[i] === 0) touched[n++] = i;
        dot[i] = dot[i]! + p.weight;
      }
    }
    // The few most similar phrasings, kept in order as the dot products are read.
    const nearest: { label: L; sim: number }[] = [];
    for (let t = 0; t < n; t++) {
      const i = touched[t]!;
      const sim = dot[i]! / (qNorm * norms[i]!);
      dot[i] = 0;
      if (nearest.length === NEIGHBOURS && sim <= nearest[NEIGHBOURS - 1]!.sim) continue;
      let at = nearest.length;
      while (at > 0 && nearest[at - 1]!.sim < sim) at--;
      nearest.splice(at, 0, { label: docLabels[i]!, sim });
      if (nearest.length > NEIGHBOURS) nearest.pop();
    }
    const votes = new Map<L, number>(labels.map((l) => [l, 0]));
    for (const x of nearest) votes.set(x.label, votes.get(x.label)! + x.sim ** 3);
    const total = [...votes.values()].reduce((a, b) => a + b, 0) || 1;
    return toDistribution(labels, (l) => votes.get(l)! / total);
  };
}

// --- logistic regression -----------------------------------------------------------------

/** Passes over the examples when fitting the logistic model. */
const EPOCHS = 30;
/** Step size of the gradient updates, and the L2 penalty that keeps weights small. */
const LEARNING_RATE = 0.5;
const L2 = 1e-4;

/** A fitted multinomial logistic model: a weight per feature and label, a bias per label. */
interface LogisticWeights {
  features: string[];
  weights: number[];
  bias: number[];
}

/** Fits multinomial logistic regression by stochastic gradient descent, in a fixed order (deterministic). */
function fitLogistic<L extends string>(labels: readonly L[], docs: readonly { label: L; features: readonly string[] }[]): LogisticWeights {
  const index = new Map<string, number>();
  const rows = docs.map((d) => ({
    ids: [...new Set(d.features)].map((f) => {
      let i = index.get(f);
      if (i === undefined) {
        i = index.size;
        index.set(f, i);
      }
      return i;
    }),
    y: labels.indexOf(d.label),
  }));
  const k = labels.length;
  const w = new Float64Array(index.size * k);
  const b = new Float64Array(k);
  const p = new Float64Array(k);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const rate = LEARNING_RATE / (1 + epoch);
    for (let n = 0; n < rows.length; n++) {
      const r = rows[(n * 7919 + epoch * 104729) % rows.length]!;
      softmax(w, b, r.ids, k, p);
      for (let c = 0; c < k; c++) {
        const g = p[c]! - (c === r.y ? 1 : 0);
        b[c] = b[c]! - rate * g;
        for (const i of r.ids) w[i * k + c] = w[i * k + c]! * (1 - rate * L2) - rate * g;
      }
    }
  }
  return { features: [...index.keys()], weights: [...w], bias: [...b] };
}

function softmax(w: ArrayLike<number>, b: ArrayLike<number>, ids: readonly number[], k: number, out: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    let s = b[c]!;
    for (const i of ids) s += w[i * k + c]!;
    out[c] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let c = 0; c < k; c++) {
    out[c] = Math.exp(out[c]! - max);
    sum += out[c]!;
  }
  for (let c = 0; c < k; c++) out[c] = out[c]! / sum;
}

function logisticScorer<L extends string>(
  labels: readonly L[],
  model: { features: readonly string[]; weights: ArrayLike<number>; bias: ArrayLike<number> },
): Scorer<L> {
  const index = new Map(model.features.map((f, i) => [f, i]));
  const w = Float64Array.from(model.weights);
  const b = Float64Array.from(model.bias);
  const p = new Float64Array(labels.length);
  return (features) => {
    const ids = [...new Set(features)].map((f) => index.get(f)).filter((i): i is number => i !== undefined);
    softmax(w, b, ids, labels.length, p);
    return toDistribution(labels, (_l, i) => p[i]!);
  };
}

// --- naive Bayes (for comparison) --------------------------------------------------------

/** Additive smoothing of feature counts. */
const SMOOTHING = 0.5;

function bayesScorer<L extends string>(labels: readonly L[], docs: readonly { label: L; features: readonly string[] }[]): Scorer<L> {
  const counts = new Map<L, Map<string, number>>(labels.map((l) => [l, new Map()]));
  const totals = new Map<L, number>(labels.map((l) => [l, 0]));
  const known = new Set<string>();
  for (const d of docs) {
    const perLabel = counts.get(d.label)!;
    for (const f of d.features) {
      perLabel.set(f, (perLabel.get(f) ?? 0) + 1);
      totals.set(d.label, totals.get(d.label)! + 1);
      known.add(f);
    }
  }
  return (features) => {
    const logs = labels.map((label) => {
      const c = counts.get(label)!;
      const denominator = Math.log(totals.get(label)! + SMOOTHING * known.size);
      let score = 0;
      for (const f of features) if (known.has(f)) score += Math.log((c.get(f) ?? 0) + SMOOTHING) - denominator;
      return score;
    });
    const top = Math.max(...logs);
    const mass = logs.reduce((sum, l) => sum + Math.exp(l - top), 0);
    return toDistribution(labels, (_l, i) => Math.exp(logs[i]! - top) / mass);
  };
}

// --- putting it together ------------------------------------------------------------------

/** What a trained aspect classifier is made of, as plain data (the build writes it to a file). */
export interface ClassifierModel<L extends string> {
  labels: L[];
  /** Words of the training examples and how many examples hold each (typo correction). */
  frequency: [string, number][];
  /** The examples' features, for nearest neighbours. */
  docs: { label: L; features: string[] }[];
  logistic: LogisticWeights;
}

function prepared<L extends string>(examples: readonly Example<L>[]) {
  const labels = [...new Set(examples.map((e) => e.label))];
  const docs = examples.map((e) => ({ label: e.label, features: featuresOf(e.words) }));
  return { labels, docs, frequency: frequencyOf(examples) };
}

function classifier<L extends string>(frequency: ReadonlyMap<string, number>, scorers: readonly Scorer<L>[]): TextClassifier<L> {
  const correct = typoCorrector(frequency);
  return {
    vocabulary: new Set(frequency.keys()),
    classify(words) {
      const features = featuresOf(words.slice(0, MAX_WORDS).map(correct));
      const results = scorers.map((s) => s(features));
      const sum = new Map<L, number>();
      for (const r of results) for (const x of r.ranked) sum.set(x.label, (sum.get(x.label) ?? 0) + x.p / results.length);
      return toDistribution([...sum.keys()], (l) => sum.get(l)!);
    },
  };
}

/** Trains the model the bot uses: nearest neighbours and logistic regression, averaged. */
export function fitModel<L extends string>(examples: readonly Example<L>[]): ClassifierModel<L> {
  const { labels, docs, frequency } = prepared(examples);
  return { labels, frequency: [...frequency], docs, logistic: fitLogistic(labels, docs) };
}

/** The classifier of a model (trained now, or read from the file the build wrote). */
export function classifierFromModel<L extends string>(model: ClassifierModel<L>): TextClassifier<L> {
  return classifier(new Map(model.frequency), [nearestScorer(model.labels, model.docs), logisticScorer(model.labels, model.logistic)]);
}

/**
 * A model as the build writes it: what the classifier derives from the examples (the
 * nearest-neighbour index, the logistic weights) already computed, and its numbers as the base64
 * of their float64/int32 bytes, so a process reads them exactly and without parsing ~100,000
 * numbers of text.
 */
export interface PackedModel<L extends string> {
  labels: L[];
  frequency: [string, number][];
  nearest: { docLabels: number[]; norms: string; features: string[]; weights: string; offsets: string; ids: string };
  logistic: { features: string[]; weights: string; bias: string };
}

const toBase64 = (a: Float64Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
// Copied into a fresh buffer: typed arrays need their alignment, which a decoded Buffer may lack.
const bytesOf = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64')).buffer;
const float64s = (b64: string) => new Float64Array(bytesOf(b64));
const int32s = (b64: string) => new Int32Array(bytesOf(b64));

export function packModel<L extends string>(model: ClassifierModel<L>): PackedModel<L> {
  const index = nearestIndex(model.docs);
  const features = [...index.postings.keys()];
  const postings = [...index.postings.values()];
  const offsets = new Int32Array(postings.length + 1);
  postings.forEach((p, i) => {
    offsets[i + 1] = offsets[i]! + p.ids.length;
  });
  const ids = new Int32Array(offsets[postings.length]!);
  postings.forEach((p, i) => {
    ids.set(p.ids, offsets[i]!);
  });
  return {
    labels: model.labels,
    frequency: model.frequency,
    nearest: {
      docLabels: index.docLabels.map((l) => model.labels.indexOf(l)),
      norms: toBase64(index.norms),
      features,
      weights: toBase64(Float64Array.from(postings.map((p) => p.weight))),
      offsets: toBase64(offsets),
      ids: toBase64(ids),
    },
    logistic: {
      features: model.logistic.features,
      weights: toBase64(Float64Array.from(model.logistic.weights)),
      bias: toBase64(Float64Array.from(model.logistic.bias)),
    },
  };
}

/** The classifier of a packed model: the same as `classifierFromModel` of the model it was packed from. */
export function classifierFromPacked<L extends string>(packed: PackedModel<L>): TextClassifier<L> {
  const { labels, nearest } = packed;
  const weights = float64s(nearest.weights);
  const offsets = int32s(nearest.offsets);
  const ids = int32s(nearest.ids);
  const postings = new Map(
    nearest.features.map((f, i) => [f, { ids: ids.subarray(offsets[i]!, offsets[i + 1]!), weight: weights[i]! }] as const),
  );
  const index: NearestIndex<L> = { docLabels: nearest.docLabels.map((i) => labels[i]!), norms: float64s(nearest.norms), postings };
  const logistic = { features: packed.logistic.features, weights: float64s(packed.logistic.weights), bias: float64s(packed.logistic.bias) };
  return classifier(new Map(packed.frequency), [nearestScorerOf(labels, index), logisticScorer(labels, logistic)]);
}

/** Each method alone, for the comparison in bench/aspect-classifiers.ts. */
export function trainNearest<L extends string>(examples: readonly Example<L>[]): TextClassifier<L> {
  const { labels, docs, frequency } = prepared(examples);
  return classifier(frequency, [nearestScorer(labels, docs)]);
}

export function trainLogistic<L extends string>(examples: readonly Example<L>[]): TextClassifier<L> {
  const { labels, docs, frequency } = prepared(examples);
  return classifier(frequency, [logisticScorer(labels, fitLogistic(labels, docs))]);
}

export function trainBayes<L extends string>(examples: readonly Example<L>[]): TextClassifier<L> {
  const { labels, docs, frequency } = prepared(examples);
  return classifier(frequency, [bayesScorer(labels, docs)]);
}

export function trainEnsemble<L extends string>(examples: readonly Example<L>[]): TextClassifier<L> {
  return classifierFromModel(fitModel(examples));
}
