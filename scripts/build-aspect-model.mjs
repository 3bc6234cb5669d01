// Trains the aspect classifier once at build time and writes dist/aspect-model.json, which every
// process then reads instead of training (see src/understand/aspect-model.ts).
import { writeAspectModel } from '../dist/src/understand/aspect-model.js';

writeAspectModel();
