import { pino, type DestinationStream, type Logger } from 'pino';
import type { CoreConfig } from '../src/config.js';

export type { Logger };

/** The service's structured log (JSON lines on stdout unless a destination is given). */
export function createLogger(level: CoreConfig['logLevel'], destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'threatbrief' },
    redact: ['token', '*.token', 'headers.authorization', '*.headers.authorization'],
  };
  return destination ? pino(options, destination) : pino(options);
}
