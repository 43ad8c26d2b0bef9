// Content encryption for private capsules: XChaCha20-Poly1305 (192-bit random
// nonces, so random nonces are safe for any number of messages under one key).
//
// Layout: version (1 byte, = 1) ‖ nonce (24) ‖ ciphertext ‖ tag (16).
// The version byte is authenticated together with the caller's associated data.

import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { CONTENT_VERSION, KEY_BYTES, TAG_BYTES, XNONCE_BYTES } from './constants.js'
import { DecryptionError, InvalidKeyError, MalformedEnvelopeError } from './errors.js'
import { concat, isBytes, randomBytes } from './_bytes.js'

const EMPTY = new Uint8Array(0)

function checkKey (key: unknown): asserts key is Uint8Array {
  if (!isBytes(key) || key.length !== KEY_BYTES) throw new InvalidKeyError('a content key is 32 bytes')
}

function aadOf (aad: Uint8Array | undefined): Uint8Array {
  if (aad !== undefined && !isBytes(aad)) throw new TypeError('aad must be bytes')
  return concat(Uint8Array.of(CONTENT_VERSION), aad ?? EMPTY)
}

/** A fresh random 256-bit content key. */
export function generateContentKey (): Uint8Array {
  return randomBytes(KEY_BYTES)
}

/**
 * Encrypts and authenticates `plaintext` (and authenticates `aad`, which is not stored).
 *
 * @throws {InvalidKeyError} when the key is not 32 bytes
 * @example
 * ```ts
 * const key = generateContentKey()
 * const box = encryptContent(key, utf8('hello'), utf8(capsuleId))
 * decryptContent(key, box, utf8(capsuleId)) // 'hello' bytes
 * ```
 */
export function encryptContent (key: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
  checkKey(key)
  if (!isBytes(plaintext)) throw new TypeError('plaintext must be bytes')
  const nonce = randomBytes(XNONCE_BYTES)
  const out = new Uint8Array(1 + XNONCE_BYTES + plaintext.length + TAG_BYTES)
  out[0] = CONTENT_VERSION
  out.set(nonce, 1)
  xchacha20poly1305(key, nonce, aadOf(aad)).encrypt(plaintext, out.subarray(1 + XNONCE_BYTES))
  return out
}

/**
 * Decrypts what {@link encryptContent} produced.
 *
 * @throws {MalformedEnvelopeError} when the bytes are too short or of another version
 * @throws {DecryptionError} for a wrong key, wrong `aad`, or any tampering
 */
export function decryptContent (key: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array {
  checkKey(key)
  if (!isBytes(sealed) || sealed.length < 1 + XNONCE_BYTES + TAG_BYTES) throw new MalformedEnvelopeError('ciphertext too short')
  if (sealed[0] !== CONTENT_VERSION) throw new MalformedEnvelopeError('unknown ciphertext version')
  const nonce = sealed.subarray(1, 1 + XNONCE_BYTES)
  try {
    return xchacha20poly1305(key, nonce, aadOf(aad)).decrypt(sealed.subarray(1 + XNONCE_BYTES))
  } catch {
    throw new DecryptionError()
  }
}
