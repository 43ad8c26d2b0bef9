// Wrapping a content key for one reader's X25519 key (a sealed box, HPKE-style):
//
//   esk ← random; epk = X25519(esk, 9)
//   shared = X25519(esk, rpk)                      (all-zero results are refused)
//   kek ‖ nonce = HKDF-SHA256(ikm = shared, salt = ∅,
//                 info = "vivim/key-wrap/v1" ‖ epk ‖ rpk ‖ context, 32 + 24)
//   ct = XChaCha20-Poly1305(kek, nonce, aad = context).encrypt(key)
//
// Both public keys in the info bind the wrap to this sender key and this reader
// (RFC 9180 §4.1 does the same with its kem_context); the context (capsule id and
// epoch) binds it to where it belongs, so a wrapped key cannot be moved elsewhere.
// The ephemeral key is fresh per wrap, so the derived nonce never repeats.

import * as dagCbor from '@ipld/dag-cbor'
import { x25519 } from '@noble/curves/ed25519.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { KEY_BYTES, TAG_BYTES, WRAP_INFO, WRAPPED_KEY_TAG, XNONCE_BYTES } from './constants.js'
import { DecryptionError, InvalidKeyError, MalformedEnvelopeError } from './errors.js'
import { x25519PublicKeyFromDid, type KeyAgreement } from './identity.js'
import { concat, isBytes, isMap, utf8 } from './_bytes.js'

/** A content key wrapped for one reader. */
export interface WrappedKey {
  /** The sender's ephemeral X25519 public key (32 bytes). */
  readonly epk: Uint8Array
  /** The wrapped key and its tag (48 bytes). */
  readonly ct: Uint8Array
}

const EMPTY = new Uint8Array(0)
const WRAPPED_BYTES = KEY_BYTES + TAG_BYTES

function derive (shared: Uint8Array, epk: Uint8Array, rpk: Uint8Array, context: Uint8Array): { kek: Uint8Array, nonce: Uint8Array } {
  const okm = hkdf(sha256, shared, undefined, concat(utf8(WRAP_INFO), epk, rpk, context), KEY_BYTES + XNONCE_BYTES)
  return { kek: okm.subarray(0, KEY_BYTES), nonce: okm.subarray(KEY_BYTES) }
}

/**
 * Wraps `key` for a reader, named by DID or by X25519 public key.
 *
 * @throws {InvalidKeyError} for a key that is not 32 bytes or an unusable public key
 * @example
 * ```ts
 * const w = wrapKey(contentKey, bob.did, context)
 * unwrapKey(w, bob, context) // contentKey
 * ```
 */
export function wrapKey (key: Uint8Array, recipient: string | Uint8Array, context: Uint8Array = EMPTY): WrappedKey {
  if (!isBytes(key) || key.length !== KEY_BYTES) throw new InvalidKeyError('a content key is 32 bytes')
  const rpk = typeof recipient === 'string' ? x25519PublicKeyFromDid(recipient) : recipient
  if (!isBytes(rpk) || rpk.length !== 32) throw new InvalidKeyError('an X25519 public key is 32 bytes')
  const esk = x25519.utils.randomSecretKey()
  const epk = x25519.getPublicKey(esk)
  let shared: Uint8Array
  try {
    shared = x25519.getSharedSecret(esk, rpk)
  } catch {
    throw new InvalidKeyError('unusable X25519 public key (low order)')
  } finally {
    esk.fill(0)
  }
  const { kek, nonce } = derive(shared, epk, rpk, context)
  const ct = xchacha20poly1305(kek, nonce, context).encrypt(key)
  kek.fill(0); shared.fill(0)
  return Object.freeze({ epk, ct })
}

/**
 * Unwraps a key wrapped for `reader`.
 *
 * @throws {MalformedEnvelopeError} when the wrapped key has the wrong shape
 * @throws {DecryptionError} when it was not wrapped for this reader and context, or was tampered with
 */
export function unwrapKey (wrapped: WrappedKey, reader: KeyAgreement, context: Uint8Array = EMPTY): Uint8Array {
  checkWrapped(wrapped)
  let shared: Uint8Array
  try {
    shared = reader.agree(wrapped.epk)
  } catch {
    throw new DecryptionError('key agreement failed')
  }
  const { kek, nonce } = derive(shared, wrapped.epk, reader.x25519PublicKey, context)
  try {
    return xchacha20poly1305(kek, nonce, context).decrypt(wrapped.ct)
  } catch {
    throw new DecryptionError('wrapped key does not open for this reader')
  } finally {
    kek.fill(0); shared.fill(0)
  }
}

function checkWrapped (w: unknown): asserts w is WrappedKey {
  if (w === null || typeof w !== 'object') throw new MalformedEnvelopeError('wrapped key must be an object')
  const { epk, ct } = w as Record<string, unknown>
  if (!isBytes(epk) || epk.length !== 32 || !isBytes(ct) || ct.length !== WRAPPED_BYTES) throw new MalformedEnvelopeError('wrapped key has the wrong shape')
}

/** The wrapped key as plain IPLD (for embedding in other blocks). */
export function wrappedKeyToIpld (w: WrappedKey): { epk: Uint8Array, ct: Uint8Array } {
  return { epk: w.epk, ct: w.ct }
}

/** A wrapped key from IPLD, strictly: exactly `epk` (32 bytes) and `ct` (48 bytes). */
export function wrappedKeyFromIpld (x: unknown): WrappedKey {
  if (!isMap(x) || Object.keys(x).length !== 2) throw new MalformedEnvelopeError('wrapped key must be {epk, ct}')
  checkWrapped(x)
  return Object.freeze({ epk: x.epk as Uint8Array, ct: x.ct as Uint8Array })
}

/** Encodes a wrapped key as a standalone dag-cbor block `{ "vivim/wrapped-key@1": { epk, ct } }`. */
export function encodeWrappedKey (w: WrappedKey): Uint8Array {
  checkWrapped(w)
  return dagCbor.encode({ [WRAPPED_KEY_TAG]: wrappedKeyToIpld(w) })
}

/**
 * Decodes a wrapped-key block strictly.
 *
 * @throws {MalformedEnvelopeError} on anything but the exact shape
 */
export function decodeWrappedKey (bytes: Uint8Array): WrappedKey {
  if (!isBytes(bytes) || bytes.length > 256) throw new MalformedEnvelopeError('wrapped key block size out of bounds')
  let v: unknown
  try { v = dagCbor.decode(bytes) } catch { throw new MalformedEnvelopeError('not dag-cbor') }
  if (!isMap(v) || Object.keys(v).length !== 1 || !Object.hasOwn(v, WRAPPED_KEY_TAG)) throw new MalformedEnvelopeError('not a wrapped key block')
  return wrappedKeyFromIpld(v[WRAPPED_KEY_TAG])
}
