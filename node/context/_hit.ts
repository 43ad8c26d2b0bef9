import type { IndexedDoc, SearchHit } from './interface.js'

/**
 * A search hit for a doc. The snippet is made on first read (callers often read a few of the
 * hits they ask for); it is an enumerable property, so JSON and spreads include it.
 */
export function toHit (d: IndexedDoc, score: number, snippet: () => string): SearchHit {
  const h = { cid: d.cid, score, text: d.text } as SearchHit
  let value: string | undefined
  Object.defineProperty(h, 'snippet', {
    get: () => (value ??= snippet()),
    set: (v: string) => { value = v },
    enumerable: true,
    configurable: true
  })
  h.tags = d.tags
  h.time = d.time
  h.capsule = d.capsule
  if (d.title !== undefined) h.title = d.title
  if (d.uri !== undefined) h.uri = d.uri
  return h
}
