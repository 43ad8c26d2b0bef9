/**
 * Decoder for the turbo-stream payloads React Router puts in server-rendered
 * pages (`streamController.enqueue("…")`): a flat array where objects are
 * `{"_<keyIndex>": <valueIndex>}`, arrays list value indices, `["D", ms]`
 * is a Date, `["P", id]` a promise sent later, and negative numbers are
 * constants (-5 null, -7 undefined, …). Cycles and shared references are
 * resolved once through a memo.
 */
import { isObj } from './_util.js'

const MAX_NODES = 5_000_000

export function decodeTurboStream (flat: unknown[]): unknown {
  const memo = new Map<number, unknown>()
  let budget = MAX_NODES
  const val = (i: unknown): unknown => {
    if (typeof i !== 'number' || !Number.isInteger(i)) return undefined
    if (i < 0) return i === -4 ? -0 : i === -6 ? Infinity : i === -3 ? -Infinity : i === -2 ? NaN : null
    if (i >= flat.length) return undefined
    if (memo.has(i)) return memo.get(i)
    if (--budget < 0) return undefined
    const v = flat[i]
    if (Array.isArray(v)) {
      if (typeof v[0] === 'string') {
        const tag = v[0]
        const out = tag === 'D' && typeof v[1] === 'number' ? v[1] : undefined
        memo.set(i, out)
        return out
      }
      const out: unknown[] = []
      memo.set(i, out)
      for (const x of v) out.push(val(x))
      return out
    }
    if (isObj(v)) {
      const out: Record<string, unknown> = {}
      memo.set(i, out)
      for (const [k, vi] of Object.entries(v)) {
        const keyIndex = Number(k.slice(1))
        const key = k.startsWith('_') && Number.isInteger(keyIndex) ? flat[keyIndex] : k
        if (typeof key === 'string') out[key] = val(vi)
      }
      return out
    }
    memo.set(i, v)
    return v
  }
  return val(0)
}
