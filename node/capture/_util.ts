/** Small shape guards and time parsing shared by the importers. */
import { createHash } from 'node:crypto'
import { InvalidRecordShapeError } from './errors.js'

export type Obj = Record<string, unknown>

export function isObj (v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function obj (v: unknown): Obj | undefined {
  return isObj(v) ? v : undefined
}

export function arr (v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

/** A string, or a number turned into one; anything else is undefined. */
export function str (v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  return undefined
}

/** A non-empty string or undefined. */
export function nonEmpty (v: unknown): string | undefined {
  const s = str(v)
  return s !== undefined && s.trim() !== '' ? s : undefined
}

export function num (v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

/** Requires a plain object record; throws InvalidRecordShapeError otherwise. */
export function requireObj (v: unknown, what: string): Obj {
  if (!isObj(v)) throw new InvalidRecordShapeError(`${what} is not an object`)
  return v
}

// Epoch seconds below this are seconds, above are ms (year 2286 in seconds).
const SECONDS_LIMIT = 1e10
const MIN_MS = -8.64e15
const MAX_MS = 8.64e15

/**
 * Time in ms UTC from the shapes providers use: epoch seconds (float),
 * epoch ms, ISO-8601 strings (any offset), numeric strings, and Mongo
 * `{"$date": …}` / `{"$numberLong": …}` wrappers. Undefined when unknown.
 */
export function toMs (v: unknown): number | undefined {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined
    const ms = Math.abs(v) < SECONDS_LIMIT ? v * 1000 : v
    return ms > MIN_MS && ms < MAX_MS ? Math.round(ms) : undefined
  }
  if (typeof v === 'string') {
    const s = v.trim()
    if (s === '') return undefined
    if (/^-?\d+(\.\d+)?$/.test(s)) return toMs(Number(s))
    // ISO-8601 without zone is taken as UTC (providers write UTC)
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s) ? s + 'Z' : s
    if (!/^\d{4}-\d{2}-\d{2}/.test(iso)) return undefined
    const t = Date.parse(iso)
    return Number.isFinite(t) ? t : undefined
  }
  if (isObj(v)) {
    if ('$date' in v) return toMs(v.$date)
    if ('$numberLong' in v) return toMs(str(v.$numberLong) !== undefined ? Number(v.$numberLong) : undefined)
  }
  return undefined
}

export function sha256Hex (data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/** A short stable id derived from content, for records that carry none. */
export function stableId (...parts: unknown[]): string {
  return sha256Hex(JSON.stringify(parts)).slice(0, 24)
}

export function lowerRole (v: unknown): string | undefined {
  const s = str(v)?.toLowerCase()
  if (s === undefined) return undefined
  if (s === 'human' || s === 'user') return 'user'
  if (s === 'assistant' || s === 'model' || s === 'bot' || s === 'ai') return 'assistant'
  return s
}

/** Keeps small provider facts as strings. */
export function metaOf (entries: Record<string, unknown>): Record<string, string> | undefined {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(entries)) {
    if (v === undefined || v === null) continue
    const s = typeof v === 'string' ? v : (typeof v === 'number' || typeof v === 'boolean') ? String(v) : undefined
    if (s !== undefined && s !== '') out[k] = s
  }
  return Object.keys(out).length > 0 ? out : undefined
}

export function jsonOrString (v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v === 'string') return v
  try { return JSON.stringify(v) } catch { return undefined }
}

/** Returns a function that yields to the event loop once every `tickMs` of CPU work. */
export function yielder (tickMs: number): () => Promise<void> {
  let last = Date.now()
  return async () => {
    const now = Date.now()
    if (now - last >= tickMs) {
      last = now
      await new Promise<void>(resolve => setImmediate(resolve))
    }
  }
}
