// Secret keys at rest.
//
// sealSecret: scrypt (RFC 7914; N = 2^17, r = 8, p = 1 by default) turns the
// passphrase and a random 16-byte salt into a key; XChaCha20-Poly1305 encrypts the
// secret. The KDF parameters and salt are authenticated as associated data, so a
// file whose cost was lowered or whose salt was changed fails to open like a wrong
// passphrase does. Sealed bytes are a dag-cbor map:
//
//   { "vivim/sealed@1": { kdf: "scrypt", N, r, p, salt, nonce, ct } }
//
// The keystore file wraps that (or, when the user set no passphrase, the plain
// secret) with a version and the DID, so `vivim id` can print the DID without
// unlocking:
//
//   { "vivim/keystore": 1, did, type: "ed25519", sealed | secret }

import * as dagCbor from '@ipld/dag-cbor'
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { KEYSTORE_TAG, KEYSTORE_VERSION, SCRYPT_DEFAULTS, SCRYPT_MAX_MEMORY, SCRYPT_MAX_N, SCRYPT_MAX_RP, XNONCE_BYTES } from './constants.js'
import { MalformedKeystoreError, PassphraseRequiredError, WrongPassphraseError } from './errors.js'
import { Ed25519Key } from './identity.js'
import { isBytes, isMap, isSafeInt, randomBytes, unknownKeys, utf8 } from './_bytes.js'

const SEALED_TAG = 'vivim/sealed@1'
const SALT_BYTES = 16

/** scrypt cost parameters. */
export interface ScryptParams { N: number, r: number, p: number }

function passphraseBytes (passphrase: string | Uint8Array): Uint8Array {
  if (typeof passphrase === 'string') return utf8(passphrase.normalize('NFKC'))
  if (isBytes(passphrase)) return passphrase
  throw new TypeError('passphrase must be a string or bytes')
}

function checkParams (p: ScryptParams, Err: new (m?: string) => Error): void {
  const { N, r, p: par } = p
  if (!isSafeInt(N) || N < 2 || N > SCRYPT_MAX_N || (N & (N - 1)) !== 0) throw new Err('scrypt N must be a power of two ≤ 2^20')
  if (!isSafeInt(r) || !isSafeInt(par) || r < 1 || par < 1 || r * par > SCRYPT_MAX_RP) throw new Err('scrypt r·p out of bounds')
  // Memory is 128·N·r bytes: refuse files that would ask for more than SCRYPT_MAX_MEMORY.
  if (128 * N * r > SCRYPT_MAX_MEMORY) throw new Err('scrypt memory cost out of bounds')
}

function aadOf (p: ScryptParams, salt: Uint8Array): Uint8Array {
  return dagCbor.encode({ kdf: 'scrypt', N: p.N, r: p.r, p: p.p, salt })
}

/**
 * Encrypts a secret under a passphrase.
 *
 * @param options - scrypt cost (defaults N = 2^17, r = 8, p = 1; tests may lower it)
 * @example
 * ```ts
 * const sealed = await sealSecret(key.exportSecret(), 'correct horse')
 * await openSecret(sealed, 'correct horse')
 * ```
 */
export async function sealSecret (secret: Uint8Array, passphrase: string | Uint8Array, options: Partial<ScryptParams> = {}): Promise<Uint8Array> {
  if (!isBytes(secret) || secret.length === 0 || secret.length > 1024) throw new TypeError('secret must be 1–1024 bytes')
  const params = { ...SCRYPT_DEFAULTS, ...options }
  checkParams(params, RangeError)
  const salt = randomBytes(SALT_BYTES)
  const nonce = randomBytes(XNONCE_BYTES)
  const key = await scryptAsync(passphraseBytes(passphrase), salt, { ...params, dkLen: 32, maxmem: SCRYPT_MAX_MEMORY + 2 ** 20 })
  const ct = xchacha20poly1305(key, nonce, aadOf(params, salt)).encrypt(secret)
  key.fill(0)
  return dagCbor.encode({ [SEALED_TAG]: { kdf: 'scrypt', N: params.N, r: params.r, p: params.p, salt, nonce, ct } })
}

/**
 * Opens what {@link sealSecret} produced.
 *
 * @throws {MalformedKeystoreError} for bytes of another shape or unsafe KDF parameters
 * @throws {WrongPassphraseError} for a wrong passphrase or tampered bytes
 */
export async function openSecret (sealed: Uint8Array, passphrase: string | Uint8Array): Promise<Uint8Array> {
  if (!isBytes(sealed) || sealed.length > 4096) throw new MalformedKeystoreError('sealed secret size out of bounds')
  let v: unknown
  try { v = dagCbor.decode(sealed) } catch { throw new MalformedKeystoreError('sealed secret is not dag-cbor') }
  if (!isMap(v) || Object.keys(v).length !== 1 || !isMap(v[SEALED_TAG])) throw new MalformedKeystoreError('not a sealed secret')
  const s = v[SEALED_TAG]
  if (unknownKeys(s, ['kdf', 'N', 'r', 'p', 'salt', 'nonce', 'ct']).length > 0 || s.kdf !== 'scrypt') throw new MalformedKeystoreError('unknown sealed-secret fields or KDF')
  const params = { N: s.N, r: s.r, p: s.p } as ScryptParams
  checkParams(params, MalformedKeystoreError)
  const { salt, nonce, ct } = s
  if (!isBytes(salt) || salt.length !== SALT_BYTES || !isBytes(nonce) || nonce.length !== XNONCE_BYTES || !isBytes(ct) || ct.length < 17) throw new MalformedKeystoreError('bad salt, nonce or ciphertext')
  const key = await scryptAsync(passphraseBytes(passphrase), salt, { ...params, dkLen: 32, maxmem: SCRYPT_MAX_MEMORY + 2 ** 20 })
  try {
    return xchacha20poly1305(key, nonce, aadOf(params, salt)).decrypt(ct)
  } catch {
    throw new WrongPassphraseError()
  } finally {
    key.fill(0)
  }
}

/** What a keystore file says without unlocking it. */
export interface KeystoreInfo {
  readonly version: number
  readonly did: string
  readonly encrypted: boolean
}

function parseKeystore (bytes: Uint8Array): { info: KeystoreInfo, body: Record<string, unknown> } {
  if (!isBytes(bytes) || bytes.length > 8192) throw new MalformedKeystoreError('keystore size out of bounds')
  let v: unknown
  try { v = dagCbor.decode(bytes) } catch { throw new MalformedKeystoreError('keystore is not dag-cbor') }
  if (!isMap(v) || !Object.hasOwn(v, KEYSTORE_TAG)) throw new MalformedKeystoreError('not a vivim keystore')
  if (v[KEYSTORE_TAG] !== KEYSTORE_VERSION) throw new MalformedKeystoreError(`unsupported keystore version ${String(v[KEYSTORE_TAG])}`)
  if (unknownKeys(v, [KEYSTORE_TAG, 'did', 'type', 'sealed', 'secret']).length > 0) throw new MalformedKeystoreError('unknown keystore fields')
  if (typeof v.did !== 'string' || v.type !== 'ed25519') throw new MalformedKeystoreError('bad keystore did or key type')
  const sealed = isBytes(v.sealed)
  if (sealed === isBytes(v.secret)) throw new MalformedKeystoreError('a keystore holds exactly one of sealed or secret')
  return { info: { version: KEYSTORE_VERSION, did: v.did, encrypted: sealed }, body: v }
}

/**
 * Encodes a keystore file for a key: sealed under `passphrase` when given, else plain.
 */
export async function encodeKeystore (key: Ed25519Key, options: { passphrase?: string | Uint8Array, scrypt?: Partial<ScryptParams> } = {}): Promise<Uint8Array> {
  const secret = key.exportSecret()
  try {
    const body = options.passphrase === undefined
      ? { secret }
      : { sealed: await sealSecret(secret, options.passphrase, options.scrypt) }
    return dagCbor.encode({ [KEYSTORE_TAG]: KEYSTORE_VERSION, did: key.did, type: 'ed25519', ...body })
  } finally {
    secret.fill(0)
  }
}

/** Reads a keystore's version, DID and whether it is encrypted, without a passphrase. @throws {MalformedKeystoreError} */
export function keystoreInfo (bytes: Uint8Array): KeystoreInfo {
  return parseKeystore(bytes).info
}

/**
 * Opens a keystore file.
 *
 * @throws {MalformedKeystoreError} for another shape or version, or a key that does not match its DID
 * @throws {PassphraseRequiredError} when it is encrypted and no passphrase was given
 * @throws {WrongPassphraseError} for a wrong passphrase
 */
export async function decodeKeystore (bytes: Uint8Array, options: { passphrase?: string | Uint8Array } = {}): Promise<Ed25519Key> {
  const { info, body } = parseKeystore(bytes)
  let secret: Uint8Array
  if (info.encrypted) {
    if (options.passphrase === undefined) throw new PassphraseRequiredError()
    secret = await openSecret(body.sealed as Uint8Array, options.passphrase)
  } else {
    secret = body.secret as Uint8Array
  }
  if (secret.length !== 32) throw new MalformedKeystoreError('an Ed25519 secret is 32 bytes')
  const key = Ed25519Key.fromSecret(secret)
  if (key.did !== info.did) throw new MalformedKeystoreError('the key does not match the keystore DID')
  return key
}
