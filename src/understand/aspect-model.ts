import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../base/paths.js';
import { ASPECTS, type Aspect, PHRASINGS } from './aspect-phrasings.js';
import { MORE_PHRASINGS } from './aspect-phrasings-more.js';
import {
  classifierFromModel,
  classifierFromPacked,
  type Example,
  fitModel,
  NAME_PLACEHOLDER,
  type PackedModel,
  packModel,
  type TextClassifier,
} from './classifier.js';
import { maskedWords } from './masking.js';
import { tokenize } from './tokens.js';

/**
 * The aspect classifier, trained from the phrasings. Training takes a few hundred milliseconds,
 * so the build trains it once and writes the model to dist/aspect-model.json; a process reads
 * that file if it was made from the phrasings it has, and trains afresh otherwise.
 */
const MODEL_FILE = join(packageRoot(), 'dist', 'aspect-model.json');

interface ModelFile {
  /** SHA-256 of the phrasings the model was trained on. */
  phrasings: string;
  model: PackedModel<Aspect>;
}

function phrasingLines(): { aspect: Aspect; line: string }[] {
  return ASPECTS.flatMap((aspect) =>
    `${PHRASINGS[aspect]}\n${MORE_PHRASINGS[aspect]}`
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((line) => ({ aspect, line })),
  );
}

/** The phrasings as training examples: words, with X and Y as the name placeholder. */
export function aspectExamples(): Example<Aspect>[] {
  return phrasingLines().map(({ aspect, line }) => ({
    words: maskedWords(tokenize(line.replace(/\b[XY]\b/g, NAME_PLACEHOLDER)), []),
    label: aspect,
  }));
}

/** Changes with the layout of the model file, so that a file of an older layout is retrained, not misread. */
const MODEL_LAYOUT = 'packed-1';

function fingerprint(): string {
  return createHash('sha256').update(MODEL_LAYOUT).update(JSON.stringify(phrasingLines())).digest('hex');
}

function readModel(): PackedModel<Aspect> | undefined {
  try {
    const file = JSON.parse(readFileSync(MODEL_FILE, 'utf8')) as ModelFile;
    return file.phrasings === fingerprint() ? file.model : undefined;
  } catch {
    return undefined;
  }
}

let classifier: TextClassifier<Aspect> | undefined;

export function aspectClassifier(): TextClassifier<Aspect> {
  if (!classifier) {
    const packed = readModel();
    classifier = packed ? classifierFromPacked(packed) : classifierFromModel(fitModel(aspectExamples()));
  }
  return classifier;
}

/** Trains the model and writes it where `aspectClassifier` looks for it (run by the build). */
export function writeAspectModel(path = MODEL_FILE): void {
  const file: ModelFile = { phrasings: fingerprint(), model: packModel(fitModel(aspectExamples())) };
  writeFileSync(path, JSON.stringify(file));
}
