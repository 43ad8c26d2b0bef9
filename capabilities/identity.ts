import * as ed from '@noble/ed25519'
import { sha512 } from '@noble/hashes/sha2.js'
import { base58btc } from 'multiformats/bases/base58'
import { InvalidDidError, InvalidKeyError } from './errors.js'

// @noble/ed25519 3's synchronous API needs a SHA-512 implementation.
ed.hashes.sha512 = sha512

/** Multicodec prefix of an Ed25519 public key (0xed, varint-encoded). */
const ED25519_PUB_PREFIX = new Uint8Array([0xed, 0x01])
const DID_KEY_PREFIX = 'did:key:'

/** Anything that can sign as a DID. */
export interface Signer {
  readonly did: string
  sign (message: Uint8Array): Uint8Array
}

/**
 * An Ed25519 key pair named as a `did:key`.
 *
 * @example
 * ```ts
 * const key = Ed25519Key.generate()
 * const sig = key.sign(bytes)
 * verifyDidSignature(key.did, bytes, sig) // true
 * ```
 */
export class Ed25519Key implements Signer {
  readonly did: string
  readonly publicKey: Uint8Array
  readonly #secret: Uint8Array

  private constructor (secret: Uint8Array) {
    if (!(secret instanceof Uint8Array)) throw new TypeError('secret must be a Uint8Array')
    if (secret.length !== 32) throw new InvalidKeyError('Ed25519 secret must be 32 bytes')
    this.#secret = secret.slice()
    this.publicKey = ed.getPublicKey(this.#secret)
    this.did = didFromPublicKey(this.publicKey)
  }

  /** A new random key. */
  static generate (): Ed25519Key {
    return new Ed25519Key(ed.utils.randomSecretKey())
  }

  /** The key for a 32-byte seed (the Ed25519 secret). */
  static fromSecret (secret: Uint8Array): Ed25519Key {
    return new Ed25519Key(secret)
  }

  sign (message: Uint8Array): Uint8Array {
    return ed.sign(message, this.#secret)
  }

  /** The 32-byte secret; handle with care (store encrypted). */
  exportSecret (): Uint8Array {
    return this.#secret.slice()
  }
}

/** `did:key:z6Mk…` for an Ed25519 public key. */
export function didFromPublicKey (publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new InvalidKeyError('Ed25519 public key must be 32 bytes')
  const bytes = new Uint8Array(34)
  bytes.set(ED25519_PUB_PREFIX, 0)
  bytes.set(publicKey, 2)
  return DID_KEY_PREFIX + base58btc.encode(bytes)
}

/**
 * The Ed25519 public key named by a `did:key`.
 *
 * @throws {InvalidDidError} when the DID is not an Ed25519 did:key
 */
export function publicKeyFromDid (did: string): Uint8Array {
  if (typeof did !== 'string' || !did.startsWith(DID_KEY_PREFIX + 'z')) throw new InvalidDidError(`Not a did:key: ${String(did).slice(0, 64)}`)
  let bytes: Uint8Array
  try {
    bytes = base58btc.decode(did.slice(DID_KEY_PREFIX.length))
  } catch {
    throw new InvalidDidError('did:key is not valid base58btc')
  }
  if (bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) throw new InvalidDidError('did:key is not an Ed25519 key')
  return bytes.subarray(2)
}

/** True when `signature` is `did`'s Ed25519 signature of `message`; false for any malformed input. */
export function verifyDidSignature (did: string, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (!(signature instanceof Uint8Array) || signature.length !== 64) return false
    return ed.verify(signature, message, publicKeyFromDid(did))
  } catch {
    return false
  }
}
