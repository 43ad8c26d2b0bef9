import type { LayerBounds, LayerName } from './layers.js'
import type { TokenCounter } from './tokens.js'
import type { AbortOptions, IndexedDoc, SearchHit, SearchOptions } from './interface.js'
import type { MemoryUnit, UnitType } from './units-interface.js'

/** One piece of context, citing the frame it came from. */
export interface ContextItem {
  text: string
  cid?: string
  uri?: string
  time?: number
  role?: string
  title?: string
}

/** What the node gives the assembler: reads over its own replica. */
export interface ContextSources {
  /** Full search (the node's `search`, with its asOf/expiry filtering). */
  search (query: string, options: SearchOptions): Promise<SearchHit[]>
  /** The last `n` messages, oldest first. */
  recent (n: number, options?: AbortOptions): Promise<IndexedDoc[]>
  /** Who the user is: profile notes, name, role (may be empty). */
  identity (options?: AbortOptions): Promise<ContextItem[]>
  /** Typed memory units (see `extractUnits`), best first. */
  units (type: UnitType, options?: AbortOptions): Promise<MemoryUnit[]>
  /** The turns around a frame in its conversation (`before` earlier, `after` later), without it. */
  around? (cid: string, before: number, after: number, options?: AbortOptions): Promise<IndexedDoc[]>
}

/** Options of `assembleContext`. */
export interface AssembleOptions extends AbortOptions {
  /** Total tokens (default `DEFAULT_CONTEXT_BUDGET`). */
  budget?: number
  /** Overrides of `DEFAULT_LAYER_BOUNDS`, as shares of the budget. */
  layers?: Partial<Record<LayerName, Partial<LayerBounds>>>
  /** Order in which spare budget is handed out (default `DEFAULT_PRIORITY`). */
  priority?: readonly LayerName[]
  /** Options passed to `sources.search` (filters, topK). */
  search?: SearchOptions
  /** How many recent messages to consider (default 12). */
  recent?: number
  /** How many top hits' neighbouring turns feed the related layer (default 5). */
  relatedFrom?: number
  /** Token counter (default o200k_base from gpt-tokenizer). */
  counter?: TokenCounter
}

/** A cited frame: `[n]` in the text. */
export interface Citation {
  n: number
  cid: string
  uri?: string
  layer: LayerName
}

/** What each layer got. Token figures are exact counts of the layer's section. */
export interface LayerReport {
  name: LayerName
  tokens: number
  /** The allowance the budget split gave it (≤ max; ≥ min when it had that much content). */
  allocated: number
  /** Tokens its candidate items would take in full. */
  demand: number
  items: number
  min: number
  ideal: number
  max: number
}

export interface ContextResult {
  text: string
  tokens: number
  layers: LayerReport[]
  citations: Citation[]
}
