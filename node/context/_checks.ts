import { AbortError } from './errors.js'
import type { IndexedDoc } from './interface.js'

export function checkAbort (signal?: AbortSignal): void {
  if (signal?.aborted === true) throw new AbortError()
}

/** Lets other work run (long CPU work yields, so one node in sim/ cannot starve the rest). */
export const tick = async (): Promise<void> => { await new Promise<void>(resolve => setImmediate(resolve)) }

/** Checks a doc's shape at the public entry points. */
export function checkDoc (d: IndexedDoc): void {
  if (d === null || typeof d !== 'object') throw new TypeError('doc: expected an object')
  if (typeof d.cid !== 'string' || d.cid === '') throw new TypeError('doc.cid: expected a non-empty string')
  if (typeof d.text !== 'string') throw new TypeError('doc.text: expected a string')
  if (typeof d.capsule !== 'string') throw new TypeError('doc.capsule: expected a string')
  if (typeof d.time !== 'number' || !Number.isFinite(d.time)) throw new TypeError('doc.time: expected a number of ms')
  if (d.tags === null || typeof d.tags !== 'object') throw new TypeError('doc.tags: expected a string map')
}
