import { runSlackBench } from './dist/bench/slack.js';
await runSlackBench({ requests: 500 });
