/**
 * @packageDocumentation
 *
 * Local retrieval and context assembly over the node's own replica (DESIGN.md §5).
 *
 * - `createSearchIndex` — BM25 over a Unicode tokenizer (Intl.Segmenter, NFKC, case and
 *   diacritic folding, Snowball stemming, stopwords) with conversation-aware ranking
 *   (speakers, replies, sessions, pseudo-relevance feedback), query expansion (irregular and
 *   derived forms of a word, WordNet hyponyms), filters, natural-language time,
 *   sentence snippets, optional vectors fused by reciprocal rank fusion; persisted in a level
 *   sublevel and rebuildable from the DAG.
 * - `assembleContext` — layered prompt context under an enforced token budget, with citations.
 * - `extractUnits` — typed memory units (fact, preference, project, person, code, idea) by rules.
 * - `httpEmbedder`, `localFolderEmbedder` — embedders with the user's own provider or model folder.
 *
 * @example
 * ```ts
 * import { createSearchIndex, assembleContext, indexSources } from './node/context/index.js'
 * const index = createSearchIndex({ db: level.sublevel('search') })
 * await index.open()
 * await index.add([{ cid, text: 'We moved to Lisbon in May 2023', tags: {}, time: Date.now(), capsule, kind: 'note' }])
 * const hits = await index.search('where did we move in May 2023?', { topK: 5, timeZone: 'Europe/Lisbon' })
 * const ctx = await assembleContext('Plan my week', { budget: 2000 }, indexSources(index))
 * ```
 */

/**
 * Creates a search index. State lives on the returned object, so many nodes can share a process.
 * `open()` returns at once and loads a persisted index in the background; searches wait for it,
 * and throw `IndexStaleError` when the persisted index needs `rebuild` (another format, an
 * unfinished rebuild, a doc count that does not match, another embedding model).
 *
 * @param init - `{ db?, embedder?, language?, ranking?, onError? }` (see `SearchIndexInit`)
 * @returns a `SearchIndex`
 * @throws {IndexClosedError} from its methods before `open()` or after `close()`
 * @throws {IndexStaleError} from `add`/`search` while the persisted index must be rebuilt
 * @example
 * const index = createSearchIndex({ db: db.sublevel('search') })
 * await index.open()
 * if (index.status().state === 'stale') await index.rebuild(liveFrames())
 */
export { createSearchIndex } from './search-index.js'

/**
 * Builds the context for a message in layers under an enforced budget.
 *
 * @param message - the user's message
 * @param options - `{ budget?, layers?, priority?, search?, recent?, counter?, signal? }`
 * @param sources - reads over the node's replica (`indexSources(index)` gives a default)
 * @returns `{ text, tokens, layers, citations }`
 * @throws {BudgetError} when the layer minimums exceed the budget
 * @example
 * const { text, citations } = await assembleContext('What did I decide about the trip?', { budget: 1500 }, indexSources(index))
 */
export { assembleContext } from './assembler.js'

/**
 * `ContextSources` over a `SearchIndex` (search, recent, around; rule-extracted units).
 * @example
 * const sources = indexSources(index, { filter: { allowed: cid => visible(cid) } })
 */
export { indexSources, type IndexSourcesInit } from './sources.js'

/**
 * Extracts typed memory units from docs by rules; `ruleUnitExtractor` and `llmUnitExtractor`
 * (the user's own chat model) implement `UnitExtractor`.
 * @example
 * const prefs = extractUnits(docs).filter(u => u.type === 'preference')
 */
export { extractUnits, ruleUnitExtractor, llmUnitExtractor } from './units.js'

/**
 * Embedding over HTTP with the user's own provider: OpenAI-compatible `/v1/embeddings` or Ollama `/api/embed`.
 * @throws {EmbedderResponseError} from `embed` on a failed or malformed answer
 * @example
 * const embedder = httpEmbedder({ api: 'openai', baseUrl: 'https://api.openai.com', apiKey, model: 'text-embedding-3-small', dimensions: 1536 })
 */
export { httpEmbedder, type HttpEmbedderInit } from './embedders/http.js'

/**
 * Embedding with a model folder the user points to, through a runtime the application passes in.
 * @throws {EmbedderUnavailableError} when no runtime is given or the folder is not a model folder
 * @example
 * await localFolderEmbedder({ folder: '/models/e5-small' }) // throws EmbedderUnavailableError without a runtime
 */
export { localFolderEmbedder, type LocalFolderEmbedderInit } from './embedders/local-folder.js'

/**
 * Reads natural-language time in a query ("last Tuesday", "in May 2023") in a time zone.
 * @example
 * parseQueryTime('notes from last week', 'Europe/Paris', new Date()) // { text: 'notes from', since, until }
 */
export { parseQueryTime, type ParsedQuery } from './query-time.js'

/**
 * The tokenizer the index uses (for callers that highlight or count terms).
 * @example
 * createTokenizer('english').terms('Running to the café ☕') // ['run', 'cafe', '☕']
 */
export { createTokenizer, type Tokenizer, type TokenizerOptions, type TokenSpan } from './tokenizer.js'

/**
 * The o200k_base token counter the assembler uses by default (loaded on first use).
 * @example
 * const counter = await o200kCounter(); counter.count('hello world') // 2
 */
export { o200kCounter, type TokenCounter } from './tokens.js'

/** Layer names, default bounds and priority, and the budget split. */
export { LAYER_NAMES, DEFAULT_LAYER_BOUNDS, DEFAULT_PRIORITY, allocate, type LayerName, type LayerBounds, type Allocation } from './layers.js'

export * from './errors.js'
export * from './constants.js'
export type * from './interface.js'
export type * from './context-interface.js'
export type * from './units-interface.js'
