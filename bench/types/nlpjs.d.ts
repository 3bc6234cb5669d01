// NLP.js ships no type declarations; the bench uses a few calls, typed where it calls them.
declare module '@nlpjs/core';
declare module '@nlpjs/nlp';
declare module '@nlpjs/lang-en-min';
