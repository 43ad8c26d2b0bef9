import type { AbstractSublevel } from 'abstract-level'

/** Per-call options that can be cancelled. */
export interface AbortOptions {
  signal?: AbortSignal
}

/** One searchable unit: what the node derives from a live frame. */
export interface IndexedDoc {
  /** The frame's CID, as a string. */
  cid: string
  text: string
  title?: string
  uri?: string
  tags: Record<string, string>
  /** When it happened (ms since the epoch). */
  time: number
  /** The capsule id (genesis CID) holding the frame. */
  capsule: string
  /** The frame kind (message, note, document, …). */
  kind: string
  /** Speaker role for messages (user, assistant, or a name). */
  role?: string
  /** Conversation id for messages; neighbouring turns are found through it. */
  conversation?: string
}

/** Options of one search. Every filter narrows; none widens. */
export interface SearchOptions extends AbortOptions {
  /** How many hits to return (default `DEFAULT_TOP_K`). */
  topK?: number
  /** Only these capsule(s). */
  capsule?: string | string[]
  /** Only docs whose tags hold every one of these key/value pairs. */
  tags?: Record<string, string>
  /** Only docs whose `uri` starts with this. */
  uriPrefix?: string
  /** Only docs at or after this time. */
  since?: Date | number
  /** Only docs before this time (exclusive). */
  until?: Date | number
  /** Only docs for which this returns true (the node passes it for `asOf` and for expired capsules). */
  allowed?: (cid: string) => boolean
  /** IANA time zone that natural-language time in the query is read in (default: the process's). */
  timeZone?: string
  /** The instant that "yesterday" is relative to (default: now). */
  now?: Date
  /** Read natural-language time in the query ("last Tuesday") (default true). */
  naturalTime?: boolean
  /** What that time does: `filter` keeps only docs inside it; `boost` ranks them (and the stretch after) higher (default `DEFAULT_TIME_MODE`). */
  timeMode?: 'filter' | 'boost'
  /** Vector and lexical fusion; `false` searches lexically even when an embedder is set (default true). */
  vectors?: boolean
}

/** One search result. */
export interface SearchHit {
  cid: string
  /** Higher is better; only comparable within one result list. */
  score: number
  text: string
  /** A passage of `text` snapped to sentence boundaries around the best-matching terms. */
  snippet: string
  title?: string
  uri?: string
  tags: Record<string, string>
  time: number
  capsule: string
}

/** Options of `embed`. */
export interface EmbedOptions extends AbortOptions {
  /** Whether the texts are queries or documents (some models embed them differently). */
  purpose?: 'query' | 'document'
}

/** Turns texts into vectors. None ships weights: an HTTP provider with the user's key, or a local model folder. */
export interface Embedder {
  /** Model name, recorded in the index; an index never mixes two models. */
  readonly model: string
  /** Vector length, recorded in the index. */
  readonly dimensions: number
  embed (texts: string[], options?: EmbedOptions): Promise<Float32Array[]>
}

/** The level the node gives the index: a sublevel of its own database (any key/value encodings). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type IndexDb = AbstractSublevel<any, any, string, any>

/** Options of `createSearchIndex`. Every field is optional. */
export interface SearchIndexInit {
  /** Where the index persists; without it the index lives in memory only. */
  db?: IndexDb
  /** Adds vector search fused with the lexical ranking. */
  embedder?: Embedder
  /** Snowball stemmer language for Latin/Cyrillic words (default `DEFAULT_LANGUAGE`). */
  language?: StemLanguage
  /** Ranking knobs; the defaults were tuned on LoCoMo's development split. */
  ranking?: Partial<RankingParams>
  /** Called with failures of background work (embedding), which never reject a search. */
  onError?: (err: Error) => void
  /**
   * Where the docs' texts are kept already (a node: in its frames). With it, the index persists
   * each doc without its text and asks for the texts of the docs it returns (undefined: the
   * text is gone, the doc is returned with an empty one). Docs persisted with their text (as
   * before) are read as they are.
   */
  texts?: (docs: Array<{ cid: string, capsule: string }>) => Promise<Array<string | undefined>>
  /**
   * A folder for the snapshots of the in-memory index (created on first use), with `db`: each is
   * a file written once, rather than tens of MB put through LevelDB's compactions. Without it
   * snapshots are kept in `db`. Snapshots already in `db` still load.
   */
  dir?: string
}

/** Languages with a Snowball stemmer. */
export type StemLanguage = 'english' | 'spanish' | 'french' | 'german' | 'italian' | 'portuguese' | 'dutch' | 'russian' | 'swedish' | 'none'

/** Ranking parameters (see constants.ts for the defaults). */
export interface RankingParams {
  /** BM25 term-frequency saturation. */
  k1: number
  /** BM25 length normalisation. */
  b: number
  /** Share of a turn's score passed to the next turn of its conversation (a reply). */
  next: number
  /** The same when the turn asked a question. */
  nextQuestion: number
  /** Share passed to the previous turn. */
  prev: number
  /** Share passed to the turns two away, either side. */
  twoAway: number
  /** Share of the best score in a conversation added to its other matching turns. */
  session: number
  /** Boost for docs whose speaker is named in the query. */
  speaker: number
  /** Boost for what a turn inherits from its neighbours when its speaker is named in the query. */
  speakerInherited: number
  /**
   * Multiplier of what a turn inherits when the query names speakers, but not the turn's. 1 (off)
   * by default: 0.5 gains ~1 point of recall@10 on LoCoMo cats 1-4 but loses ~17 on questions
   * that name the wrong person (cat. 5).
   */
  unnamedInherited: number
  /** Share of the speaker boosts for speakers named after the first. */
  otherSpeaker: number
  /** Weight of a speaker's name as a plain query term (names mostly appear in the other speaker's turns). */
  speakerText: number
  /** Pseudo-relevance feedback: how many top docs to read, how many terms to add, and their weight. */
  prfDocs: number
  prfTerms: number
  prfWeight: number
  /** Weight of narrower words (WordNet hyponyms, English) added to each query term; 0 turns it off. */
  hyponyms: number
  /**
   * Weight of the other forms of a query word that stemming cannot join (irregular English verbs
   * and nouns: "buy" / "bought", "child" / "children"; informal forms: "fam" / "family"); 0 turns it off.
   */
  inflections: number
  /**
   * Weight of the index's words that differ from a query word by a short ending after stemming
   * ("writer" for "write", "competition" for "compete"); 0 turns it off.
   */
  derivations: number
  /** Boost for docs inside the time the query names (`timeMode: 'boost'`). */
  time: number
  /** Reciprocal rank fusion constant. */
  rrfK: number
  /**
   * Boost for turns holding a time word ("yesterday", "last week", "2022") when the query asks
   * when ("When…", "How long…", "What year…"): 82% of the evidence turns of LoCoMo's temporal
   * questions hold one, against 19% of all turns.
   */
  when: number
  /**
   * Share of the top turn's score added to every candidate turn, scaled by its conversation's
   * BM25 score (the conversation's turns read as one document) over the best conversation's:
   * the passage-plus-document evidence of passage retrieval (Callan 1994). Replaces `session`.
   */
  sessionDoc: number
}

/** Where the index is. */
export interface IndexStatus {
  /** `loading`: reading the persisted index (searches wait); `stale`: needs `rebuild` (searches throw). */
  state: 'closed' | 'loading' | 'ready' | 'stale'
  docs: number
  /** The embedding model and dimensions the vectors were built with, if any. */
  model?: { name: string, dimensions: number }
  /** Vectors still missing (embedder failed or not yet run). */
  pendingVectors: number
  /** An opaque mark the node stored with the last `add` (e.g. the capsule heads indexed). */
  mark?: string
  /** Why the index is `stale`. */
  reason?: string
}

/** Options of `add`. */
export interface AddOptions extends AbortOptions {
  /** Stored atomically with the docs; read back from `status().mark`. */
  mark?: string
}

/** Options of `rebuild`. */
export interface RebuildOptions extends AbortOptions {
  mark?: string
  onProgress?: (done: number) => void
}

/** A local search index: BM25 (+ vectors when an embedder is set), persisted in level. */
export interface SearchIndex {
  /** Opens the persisted index; returns at once and loads in the background (searches wait for it). */
  open (): Promise<void>
  /** Indexes docs (a doc with a known CID is replaced). Searchable as soon as this resolves. */
  add (docs: IndexedDoc[], options?: AddOptions): Promise<void>
  /** Removes docs by CID; unknown CIDs are ignored. */
  remove (cids: string[], options?: AddOptions): Promise<void>
  search (query: string, options?: SearchOptions): Promise<SearchHit[]>
  /** Drops everything and indexes these docs. */
  rebuild (docs: AsyncIterable<IndexedDoc> | Iterable<IndexedDoc>, options?: RebuildOptions): Promise<void>
  /** The stored doc, if indexed. */
  get (cid: string): Promise<IndexedDoc | undefined>
  /** The turns around a doc in its conversation (`before` earlier, `after` later), oldest first, without it. */
  around (cid: string, before: number, after: number): Promise<IndexedDoc[]>
  /** The newest `n` docs (optionally only those passing `options`' filters), oldest first. */
  recent (n: number, options?: SearchOptions): Promise<IndexedDoc[]>
  status (): IndexStatus
  /** Resolves once a background load (or rebuild) has finished, with the status then (`stale` if it must be rebuilt). */
  loaded (): Promise<IndexStatus>
  close (): Promise<void>
}
