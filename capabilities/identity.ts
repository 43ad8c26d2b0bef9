import * as ed from '@noble/ed25519'
import { ed25519, x25519 } from '@noble/curves/ed25519.js'
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
 * A holder of an X25519 secret that can run key agreement without handing the
 * secret out (used to unwrap content keys).
 */
export interface KeyAgreement {
  readonly did: string
  /** The X25519 public key that matches `did` (see {@link x25519PublicKeyFromDid}). */
  readonly x25519PublicKey: Uint8Array
  /** X25519(own secret, peer public key): the raw 32-byte shared secret. */
  agree (peerPublicKey: Uint8Array): Uint8Array
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
export class Ed25519Key implements Signer, KeyAgreement {
  readonly did: string
  readonly publicKey: Uint8Array
  readonly #secret: Uint8Array
  #xSecret: Uint8Array | undefined
  #xPublic: Uint8Array | undefined

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

  /** The 32-byte secret; handle with care (store encrypted, see `sealSecret`). */
  exportSecret (): Uint8Array {
    return this.#secret.slice()
  }

  /**
   * The X25519 public key for encryption to this identity. It is the birational
   * (Edwards to Montgomery) image of the Ed25519 public key, so anyone can compute
   * it from the DID alone: sharing with a DID needs no extra key exchange.
   */
  get x25519PublicKey (): Uint8Array {
    this.#xPublic ??= ed25519.utils.toMontgomery(this.publicKey)
    return this.#xPublic.slice()
  }

  /**
   * The X25519 secret derived from the same Ed25519 secret: the clamped lower half
   * of SHA-512(seed), the scalar Ed25519 itself uses (RFC 8032 §5.1.5), as libsodium's
   * `crypto_sign_ed25519_sk_to_curve25519` and @noble/curves' `toMontgomerySecret` do.
   * Handle with care.
   */
  exportX25519Secret (): Uint8Array {
    return this.#x25519Secret().slice()
  }

  agree (peerPublicKey: Uint8Array): Uint8Array {
    if (!(peerPublicKey instanceof Uint8Array) || peerPublicKey.length !== 32) throw new InvalidKeyError('X25519 public key must be 32 bytes')
    return x25519.getSharedSecret(this.#x25519Secret(), peerPublicKey)
  }

  #x25519Secret (): Uint8Array {
    this.#xSecret ??= ed25519.utils.toMontgomerySecret(this.#secret)
    return this.#xSecret
  }
}

/**
 * The X25519 public key of an Ed25519 `did:key` (Edwards to Montgomery map of its key).
 *
 * @throws {InvalidDidError} when the DID is not an Ed25519 did:key
 * @throws {InvalidKeyError} when its key is not a valid curve point
 */
export function x25519PublicKeyFromDid (did: string): Uint8Array {
  const pub = publicKeyFromDid(did)
  try {
    return ed25519.utils.toMontgomery(pub)
  } catch {
    throw new InvalidKeyError('did:key is not a valid Ed25519 point')
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

/** True when `signature` is `did`'s Ed25519 signature of `message` (strict RFC 8032); false for any malformed input. */
export function verifyDidSignature (did: string, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (!(signature instanceof Uint8Array) || signature.length !== 64) return false
    // Strict RFC 8032 acceptance (no ZIP-215 leniency), as OpenSSL and WebCrypto verify.
    return ed.verify(signature, message, publicKeyFromDid(did), { zip215: false })
  } catch {
    return false
  }
}
