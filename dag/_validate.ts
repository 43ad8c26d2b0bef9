import { CID } from 'multiformats/cid'
import { MAX_FIELD_LENGTH } from './constants.js'
import { InvalidRecordError } from './errors.js'

// Shape checks shared by the record decoders. Each names the field it refuses.

export function isPlainObject (v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

export function record (v: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(v)) throw new InvalidRecordError(`${what} must be a map`)
  return v
}

export function onlyKeys (obj: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new InvalidRecordError(`${what} has unknown field "${k}"`)
  }
}

export function str (v: unknown, field: string, max = MAX_FIELD_LENGTH): string {
  if (typeof v !== 'string') throw new InvalidRecordError(`${field} must be a string`)
  if (v.length > max) throw new InvalidRecordError(`${field} is longer than ${max} characters`)
  return v
}

export function optStr (v: unknown, field: string, max = MAX_FIELD_LENGTH): string | undefined {
  return v === undefined ? undefined : str(v, field, max)
}

export function int (v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new InvalidRecordError(`${field} must be a non-negative integer`)
  return v
}

export function bytes (v: unknown, field: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new InvalidRecordError(`${field} must be bytes`)
  return v
}

export function cid (v: unknown, field: string): CID {
  const c = CID.asCID(v)
  if (c == null) throw new InvalidRecordError(`${field} must be a CID link`)
  return c
}

export function cidList (v: unknown, field: string): CID[] {
  if (!Array.isArray(v)) throw new InvalidRecordError(`${field} must be a list of CIDs`)
  return v.map((x, i) => cid(x, `${field}[${i}]`))
}

export function tags (v: unknown, field: string): Record<string, string> | undefined {
  if (v === undefined) return undefined
  const obj = record(v, field)
  const out: Record<string, string> = {}
  for (const [k, val] of Object.entries(obj)) {
    if (k.length === 0 || k.length > 256) throw new InvalidRecordError(`${field} key must be 1–256 characters`)
    out[k] = str(val, `${field}.${k}`)
  }
  return out
}

/** `did:…` string check; the signature check proper lives with whoever verifies. */
export function did (v: unknown, field: string): string {
  const s = str(v, field, 512)
  if (!/^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/.test(s)) throw new InvalidRecordError(`${field} must be a DID`)
  return s
}
