import { afterAll, afterEach, beforeEach } from 'vitest';
import { testScope } from './helpers.js';

// Run for every test file (vitest.config.ts setupFiles): each file's temporary folders and
// stores are removed after the test or the file that made them, though the files of a worker
// share one copy of helpers.ts.
beforeEach(() => testScope.enterTest());
afterEach(() => testScope.leaveTest());
afterAll(() => testScope.leaveFile());
