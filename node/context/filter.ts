import type { InvertedIndex } from './inverted-index.js'
import { StringColumn } from './_doc-keys.js'
import type { SearchOptions } from './interface.js'

/** A doc-number predicate, or undefined when nothing is filtered. */
export type DocFilter = ((n: number) => boolean) | undefined

function ms (t: Date | number | undefined): number | undefined {
  if (t === undefined) return undefined
  const v = typeof t === 'number' ? t : t.getTime()
  if (Number.isNaN(v)) throw new RangeError('since/until: not a valid time')
  return v
}

/**
 * Builds the predicate of a search's filters: capsule, tags, URI prefix, [since, until),
 * and the caller's `allowed` (asOf, expired capsules). Cheap checks run first.
 * Returns null when no doc can pass (an unknown capsule).
 */
export function buildFilter (index: InvertedIndex, opts: SearchOptions, extra?: { since?: number, until?: number }): DocFilter | null {
  let since = ms(opts.since)
  let until = ms(opts.until)
  if (extra?.since !== undefined) since = since === undefined ? extra.since : Math.max(since, extra.since)
  if (extra?.until !== undefined) until = until === undefined ? extra.until : Math.min(until, extra.until)
  let caps: Set<number> | undefined
  if (opts.capsule !== undefined) {
    caps = new Set()
    for (const c of Array.isArray(opts.capsule) ? opts.capsule : [opts.capsule]) {
      const id = index.capsuleIds.get(c)
      if (id !== undefined) caps.add(id)
    }
    if (caps.size === 0) return null
  }
  const tags = opts.tags === undefined ? [] : Object.entries(opts.tags)
  const prefix = opts.uriPrefix
  const allowed = opts.allowed
  if (since === undefined && until === undefined && caps === undefined && tags.length === 0 && prefix === undefined && allowed === undefined) return undefined
  const single = caps !== undefined && caps.size === 1 ? [...caps][0] : undefined
  const { times, capsules, alive } = index
  // Docs share their tags objects: remember each one's answer.
  const tagged = new Map<Record<string, string>, boolean>()
  const tagsMatch = (t: Record<string, string>): boolean => {
    let ok = tagged.get(t)
    if (ok === undefined) { ok = tags.every(([k, v]) => t[k] === v); tagged.set(t, ok) }
    return ok
  }
  // The caller's predicate looks a CID up in a set: ask it once per doc, however many of the
  // query's terms (and feedback passes) reach that doc. 0 unknown, 1 allowed, 2 not.
  const asked = allowed !== undefined ? new Uint8Array(index.size) : undefined
  const prefixBytes = prefix === undefined ? undefined : StringColumn.utf8(prefix)
  return (n: number): boolean => {
    if (since !== undefined && times[n] < since) return false
    if (until !== undefined && times[n] >= until) return false
    if (single !== undefined) { if (capsules[n] !== single) return false } else if (caps !== undefined && !caps.has(capsules[n])) return false
    if (alive[n] !== 1) return false
    if (tags.length > 0 && !tagsMatch(index.tagsOf(n))) return false
    if (prefixBytes !== undefined && !index.uris.startsWith(n, prefixBytes)) return false
    if (allowed !== undefined && asked !== undefined) {
      let a = asked[n]
      if (a === 0) asked[n] = a = allowed(index.cids[n]) ? 1 : 2
      if (a !== 1) return false
    }
    return true
  }
}
