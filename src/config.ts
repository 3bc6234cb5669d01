import { join } from 'node:path';
import * as z from 'zod';
import { packageRoot } from './paths.js';

/**
 * The only reader of process.env. Every variable is validated at start; a bad value is named
 * with what is wrong, so the service fails fast instead of misbehaving later.
 */
const EnvSchema = z.object({
  DATABASE_PATH: z.string().min(1).optional(),
  KNOWLEDGE_DIR: z.string().min(1).optional(),
  MATCH_THRESHOLD: z.coerce.number().min(0.5).max(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface CoreConfig {
  databasePath: string;
  knowledgeDir: string;
  matchThreshold: number | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`);
}

export function loadCoreConfig(env: NodeJS.ProcessEnv = process.env): CoreConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(problemsOf(parsed.error));
  const root = packageRoot();
  return {
    databasePath: parsed.data.DATABASE_PATH ?? join(root, 'data', 'threatbrief.db'),
    knowledgeDir: parsed.data.KNOWLEDGE_DIR ?? join(root, 'knowledge'),
    matchThreshold: parsed.data.MATCH_THRESHOLD,
    logLevel: parsed.data.LOG_LEVEL,
  };
}
