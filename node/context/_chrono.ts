import { createRequire } from 'node:module'
import type * as Chrono from 'chrono-node'

let loaded: typeof Chrono | undefined

/**
 * chrono-node, loaded on first use: loading it takes about 15 MB that a node which never reads a
 * date out of text (most searches name none, most exports give epoch times) does not need. Loaded
 * through require (its CommonJS build) so that callers stay synchronous; every caller shares it.
 */
export function chrono (): typeof Chrono {
  loaded ??= createRequire(import.meta.url)('chrono-node') as typeof Chrono
  return loaded
}
