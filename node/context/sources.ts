import { extractUnits } from './units.js'
import type { ContextItem, ContextSources } from './context-interface.js'
import type { IndexedDoc, SearchIndex, SearchOptions } from './interface.js'
import type { MemoryUnit, UnitType } from './units-interface.js'

/** Options of `indexSources`. */
export interface IndexSourcesInit {
  /** Filters every read goes through (e.g. the node's `allowed` for asOf and expiry). */
  filter?: SearchOptions
  /** Identity items (the node's profile notes). */
  identity?: () => Promise<ContextItem[]>
  /** Units, if the node keeps them; default: extracted by rules from the most recent docs. */
  units?: (type: UnitType) => Promise<MemoryUnit[]>
  /** How many recent docs the default unit extraction reads (default 500). */
  unitWindow?: number
}

/**
 * `ContextSources` over a search index: search, recent, around come from it; units are
 * extracted by rules from recent docs unless the node gives its own.
 */
export function indexSources (index: SearchIndex, init: IndexSourcesInit = {}): ContextSources {
  const filter = init.filter ?? {}
  let cached: Promise<MemoryUnit[]> | undefined
  const ruleUnits = async (type: UnitType): Promise<MemoryUnit[]> => {
    cached ??= index.recent(init.unitWindow ?? 500, filter).then(docs => extractUnits(docs).reverse())
    return (await cached).filter(u => u.type === type)
  }
  return {
    search: async (q, o) => await index.search(q, { ...filter, ...o }),
    recent: async (n) => await index.recent(n, filter),
    identity: init.identity ?? (async () => []),
    units: init.units ?? ruleUnits,
    around: async (cid, before, after): Promise<IndexedDoc[]> => {
      const docs = await index.around(cid, before, after)
      return filter.allowed === undefined ? docs : docs.filter(d => filter.allowed?.(d.cid) === true)
    }
  }
}
