import type { RankingParams, StemLanguage } from './interface.js'

/** Hits returned when `topK` is not given. */
export const DEFAULT_TOP_K = 10
/** Largest `topK` accepted. */
export const MAX_TOP_K = 10_000
/** Stemmer language when none is given. */
export const DEFAULT_LANGUAGE: StemLanguage = 'english'
/** Snippet length aimed at, in characters (sentences are never cut unless one alone is longer). */
export const DEFAULT_SNIPPET_CHARS = 240
/** Persisted layout version; a different one on disk makes the index `stale`. */
export const INDEX_FORMAT = 1
/** Tokenizer version; bumped whenever tokens change, so a persisted index is rebuilt. */
export const TOKENIZER_VERSION = 1
/** Texts sent to an embedder per request. */
export const DEFAULT_EMBED_BATCH = 64
/** Time limit of one embedder request, when the caller gives no signal. */
export const DEFAULT_EMBED_TIMEOUT_MS = 30_000
/** Docs written to level per batch during `rebuild`. */
export const REBUILD_BATCH = 1000
/** Docs read from level per step when loading a persisted index. */
export const LOAD_BATCH = 1000
/** Yield to the event loop every this many ms during long CPU work. */
export const ASYNC_TICK_MS = 10

/**
 * Ranking defaults, tuned on LoCoMo's development split only
 * (test/bench/retrieval.bench.ts prints the effect of each).
 */
export const DEFAULT_RANKING: RankingParams = {
  k1: 0.9,
  b: 0.4,
  next: 0.4,
  nextQuestion: 0.7,
  prev: 0.4,
  twoAway: 0.2,
  session: 0,
  speaker: 1,
  speakerInherited: 2,
  unnamedInherited: 1,
  speakerText: 0.3,
  otherSpeaker: 0.2,
  prfDocs: 5,
  prfTerms: 8,
  prfWeight: 0.3,
  hyponyms: 0.3,
  inflections: 0.7,
  derivations: 0.7,
  time: 2,
  rrfK: 60,
  when: 0.6,
  sessionDoc: 0.4
}

/** What natural-language time in a query does by default. */
export const DEFAULT_TIME_MODE: 'filter' | 'boost' = 'boost'

/** Default context budget in tokens. */
export const DEFAULT_CONTEXT_BUDGET = 4000
