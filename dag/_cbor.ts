import { CID } from 'multiformats/cid'

/**
 * A fast path for dag-cbor encoding of the values the node writes in bulk (frames, commits):
 * maps with string keys, strings, safe integers, bytes, CIDs, arrays, booleans and null. It
 * writes the bytes @ipld/dag-cbor writes (keys sorted by length then bytes, shortest integer
 * heads, CIDs as tag 42 over 0x00 ‖ CID bytes), which the differential tests check on random
 * values. Anything else (floats, Maps, undefined, class instances) returns undefined and the
 * caller hands the value to @ipld/dag-cbor, which encodes it or names what is wrong.
 *
 * Why: cborg builds a token per key and sorts them by their encoded bytes on every map, which
 * makes encoding a 430-byte frame cost as much as hashing it. This writes once into a reused
 * buffer and copies the result out.
 */
export function encodeFast (value: unknown): Uint8Array | undefined {
  pos = 0
  const ok = write(value, 0)
  // A copy of its own (Buffer#slice would be a view of the reused buffer).
  const out = ok ? new Uint8Array(buf.subarray(0, pos)) : undefined
  // One large value must not keep a large buffer alive for the life of the process.
  if (buf.length > KEEP_BYTES) buf = Buffer.allocUnsafe(KEEP_BYTES)
  return out
}

const MAX_DEPTH = 64
/** The reused buffer's size: a commit of 4,096 frames is about 170 KB. */
const KEEP_BYTES = 256 * 1024
let buf = Buffer.allocUnsafe(KEEP_BYTES)
let pos = 0
/**
 * Key orders of recently seen map shapes (their keys in insertion order): the node encodes a few
 * shapes over and over, and comparing key lists (interned strings, so mostly pointer checks) is
 * cheaper than sorting them each time.
 */
const recent: Array<{ own: string[], order: string[] }> = []
const RECENT = 16
let next = 0

function ensure (n: number): void {
  if (pos + n <= buf.length) return
  const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, pos + n))
  buf.copy(bigger, 0, 0, pos)
  buf = bigger
}

function head (major: number, n: number): void {
  ensure(9)
  const m = major << 5
  if (n < 24) {
    buf[pos++] = m | n
  } else if (n < 0x100) {
    buf[pos++] = m | 24; buf[pos++] = n
  } else if (n < 0x10000) {
    buf[pos++] = m | 25; buf.writeUInt16BE(n, pos); pos += 2
  } else if (n < 0x100000000) {
    buf[pos++] = m | 26; buf.writeUInt32BE(n, pos); pos += 4
  } else {
    buf[pos++] = m | 27
    buf.writeUInt32BE(Math.floor(n / 0x100000000), pos)
    buf.writeUInt32BE(n >>> 0, pos + 4)
    pos += 8
  }
}

function string (s: string): void {
  // Short ASCII strings (map keys, kinds, roles, DIDs) are copied by a loop, which beats the
  // native call; the rest go through Buffer#write, whose byte length Buffer.byteLength gives.
  if (s.length < 128) {
    let i = 0
    while (i < s.length && s.charCodeAt(i) < 0x80) i++
    if (i === s.length) {
      head(3, s.length)
      ensure(s.length)
      for (let j = 0; j < s.length; j++) buf[pos + j] = s.charCodeAt(j)
      pos += s.length
      return
    }
  }
  const n = Buffer.byteLength(s, 'utf8')
  head(3, n)
  ensure(n)
  pos += buf.write(s, pos, n, 'utf8')
}

function bytes (b: Uint8Array): void {
  head(2, b.length)
  ensure(b.length)
  buf.set(b, pos)
  pos += b.length
}

function write (v: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false
  switch (typeof v) {
    case 'string':
      string(v)
      return true
    case 'number':
      if (!Number.isSafeInteger(v)) return false
      if (v >= 0) head(0, v)
      else head(1, -1 - v)
      return true
    case 'boolean':
      ensure(1); buf[pos++] = v ? 0xf5 : 0xf4
      return true
    case 'object':
      break
    default:
      return false
  }
  if (v === null) { ensure(1); buf[pos++] = 0xf6; return true }
  if (v instanceof Uint8Array) { bytes(v); return true }
  if (Array.isArray(v)) {
    head(4, v.length)
    for (let i = 0; i < v.length; i++) if (!write(v[i], depth + 1)) return false
    return true
  }
  const cid = CID.asCID(v)
  if (cid != null) {
    ensure(2); buf[pos++] = 0xd8; buf[pos++] = 42
    head(2, cid.bytes.length + 1)
    ensure(cid.bytes.length + 1)
    buf[pos++] = 0
    buf.set(cid.bytes, pos)
    pos += cid.bytes.length
    return true
  }
  const proto = Object.getPrototypeOf(v)
  if (proto !== Object.prototype && proto !== null) return false
  const obj = v as Record<string, unknown>
  const keys = sortedKeys(obj)
  if (keys == null) return false
  head(5, keys.length)
  for (const k of keys) {
    string(k)
    if (!write(obj[k], depth + 1)) return false
  }
  return true
}

/** The map's keys in dag-cbor order; undefined when a value is undefined (dag-cbor refuses it). */
function sortedKeys (obj: Record<string, unknown>): string[] | undefined {
  const own = Object.keys(obj)
  for (let i = 0; i < own.length; i++) if (obj[own[i]] === undefined) return undefined
  outer: for (const r of recent) {
    if (r.own.length !== own.length) continue
    for (let i = 0; i < own.length; i++) if (r.own[i] !== own[i]) continue outer
    return r.order
  }
  const order = own.map(k => ({ k, b: Buffer.from(k, 'utf8') }))
    .sort((a, b) => a.b.length - b.b.length || Buffer.compare(a.b, b.b))
    .map(e => e.k)
  recent[next] = { own, order }
  next = (next + 1) % RECENT
  return order
}
