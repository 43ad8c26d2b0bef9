// Small byte and IPLD-shape helpers shared by capabilities/ (internal: not exported by index.ts).

const encoder = new TextEncoder()

/** UTF-8 bytes of a string. */
export function utf8 (s: string): Uint8Array {
  return encoder.encode(s)
}

/** `n` bytes from the platform CSPRNG (crypto.getRandomValues, in every runtime). */
export function randomBytes (n: number): Uint8Array {
  const out = new Uint8Array(n)
  // getRandomValues fills at most 65,536 bytes per call.
  for (let i = 0; i < n; i += 65_536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65_536)))
  return out
}

/** The concatenation of byte arrays. */
export function concat (...parts: Uint8Array[]): Uint8Array {
  let len = 0
  for (const p of parts) len += p.length
  const out = new Uint8Array(len)
  let off = 0
  for (const p of parts) { out.set(p, off); off += p.length }
  return out
}

/** Byte equality (not constant-time: for public data only). */
export function bytesEqual (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** True for a Uint8Array (from any realm). */
export function isBytes (x: unknown): x is Uint8Array {
  return x instanceof Uint8Array || (ArrayBuffer.isView(x) && x.constructor.name === 'Uint8Array')
}

/** True for an IPLD map as @ipld/dag-cbor decodes it: a plain object (not an array, bytes, or CID). */
export function isMap (x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || isBytes(x)) return false
  const proto = Object.getPrototypeOf(x)
  return proto === Object.prototype || proto === null
}

/** Own-property lookup (never reaches the prototype: a map key "constructor" is just a key). */
export function own (m: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(m, key) ? m[key] : undefined
}

/** True for an integer that survives a round trip through a JS number. */
export function isSafeInt (x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x)
}

/** The keys of `m` that are not in `allowed`. */
export function unknownKeys (m: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(m).filter(k => !allowed.includes(k))
}

const B32 = 'abcdefghijklmnopqrstuvwxyz234567'

/**
 * The string form of a CID, as `cid.toString()` gives it (base32 for CIDv1), but
 * several times faster: token ids and proof lookups compute it on every decode.
 */
export function cidString (cid: { readonly version: number, readonly bytes: Uint8Array, toString: () => string }): string {
  if (cid.version !== 1) return cid.toString()
  const bytes = cid.bytes
  let out = 'b'
  let buffer = 0
  let bits = 0
  for (let i = 0; i < bytes.length; i++) {
    buffer = (buffer << 8) | bytes[i]
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out += B32[(buffer >>> bits) & 31]
    }
    buffer &= (1 << bits) - 1
  }
  if (bits > 0) out += B32[(buffer << (5 - bits)) & 31]
  return out
}
