// The owner's per-capsule key-agreement keys, in `<home>/vault.key`.
//
// A private capsule's epoch keys are wrapped for its owner under an X25519 key of its own,
// not under the identity key: forgetting a sealed frame replaces that key and destroys the
// old one, so epoch blocks in older exports (which wrap older epoch keys for it) can no
// longer be opened by anyone holding this home. The file is encrypted under a key derived
// from the identity secret (so it is as safe at rest as identity.key), and is rewritten
// atomically; carry it with identity.key to read your private capsules on another device.
//
//   { "vivim/vault@1": { did, nonce, ct } }   ct = XChaCha20-Poly1305(HKDF(identity secret), nonce, aad = did)
//                                                    .encrypt(dag-cbor({ <capsule id>: [secret, …] }))

import { join } from 'node:path'
import { readFile } from 'node:fs/promises'
import * as dagCbor from '@ipld/dag-cbor'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { x25519 } from '@noble/curves/ed25519.js'
import { randomBytes } from '@noble/hashes/utils.js'
import type { Ed25519Key } from '../../capabilities/index.js'
import { writeAtomic } from './home.js'

export const VAULT_FILE = 'vault.key'
const TAG = 'vivim/vault@1'
const INFO = 'vivim/vault/v1'

/** The vault file could not be read (damaged, or made for another identity). */
export class VaultError extends Error {
  static override name = 'VaultError'
  override name = 'VaultError'
}

export class Vault {
  readonly #path: string
  readonly #key: Ed25519Key
  readonly #secrets: Map<string, Uint8Array[]>
  #writes: Promise<void> = Promise.resolve()

  private constructor (path: string, key: Ed25519Key, secrets: Map<string, Uint8Array[]>) {
    this.#path = path
    this.#key = key
    this.#secrets = secrets
  }

  /** Opens the home's vault (empty when the file does not exist yet). @throws {VaultError} */
  static async open (home: string, key: Ed25519Key): Promise<Vault> {
    const path = join(home, VAULT_FILE)
    let bytes: Uint8Array | undefined
    try { bytes = new Uint8Array(await readFile(path)) } catch (err: any) { if (err?.code !== 'ENOENT') throw err }
    return new Vault(path, key, bytes === undefined ? new Map() : decode(bytes, key))
  }

  /** A capsule's secrets, newest first. */
  secrets (capsule: string): Uint8Array[] {
    return [...(this.#secrets.get(capsule) ?? [])].reverse()
  }

  /** Adds a new secret for a capsule (kept beside the older ones until {@link keepOnly}), durably. */
  async add (capsule: string, secret: Uint8Array): Promise<void> {
    this.#secrets.set(capsule, [...(this.#secrets.get(capsule) ?? []), secret])
    await this.#save()
  }

  /** Drops every secret of a capsule but `secret`, durably: what they opened is gone for good. */
  async keepOnly (capsule: string, secret: Uint8Array): Promise<void> {
    const list = this.#secrets.get(capsule) ?? []
    if (list.length === 1 && equal(list[0], secret)) return
    for (const s of list) if (!equal(s, secret)) s.fill(0)
    this.#secrets.set(capsule, [secret])
    await this.#save()
  }

  async #save (): Promise<void> {
    const p = this.#writes.then(async () => { await writeAtomic(this.#path, encode(this.#secrets, this.#key)) })
    this.#writes = p.catch(() => {})
    await p
  }
}

/** A fresh X25519 secret. */
export function newVaultSecret (): Uint8Array {
  return x25519.utils.randomSecretKey()
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

function kek (key: Ed25519Key): Uint8Array {
  const secret = key.exportSecret()
  try { return hkdf(sha256, secret, undefined, new TextEncoder().encode(INFO), 32) } finally { secret.fill(0) }
}

function encode (secrets: Map<string, Uint8Array[]>, key: Ed25519Key): Uint8Array {
  const nonce = randomBytes(24)
  const k = kek(key)
  try {
    const ct = xchacha20poly1305(k, nonce, new TextEncoder().encode(key.did)).encrypt(dagCbor.encode(Object.fromEntries(secrets)))
    return dagCbor.encode({ [TAG]: { did: key.did, nonce, ct } })
  } finally { k.fill(0) }
}

function decode (bytes: Uint8Array, key: Ed25519Key): Map<string, Uint8Array[]> {
  let v: any
  try { v = dagCbor.decode(bytes) } catch { throw new VaultError(`${VAULT_FILE} is damaged (not dag-cbor)`) }
  const body = v?.[TAG]
  if (body == null || typeof body.did !== 'string' || !(body.nonce instanceof Uint8Array) || body.nonce.length !== 24 || !(body.ct instanceof Uint8Array)) throw new VaultError(`${VAULT_FILE} is damaged (not a vault)`)
  if (body.did !== key.did) throw new VaultError(`${VAULT_FILE} belongs to ${String(body.did)}, not to this home's identity ${key.did}`)
  const k = kek(key)
  let plain: Uint8Array
  try {
    plain = xchacha20poly1305(k, body.nonce, new TextEncoder().encode(key.did)).decrypt(body.ct)
  } catch {
    throw new VaultError(`${VAULT_FILE} does not open with this home's identity (damaged or altered)`)
  } finally { k.fill(0) }
  const map = dagCbor.decode(plain) as Record<string, unknown>
  const out = new Map<string, Uint8Array[]>()
  for (const [capsule, list] of Object.entries(map ?? {})) {
    if (!Array.isArray(list) || !list.every(s => s instanceof Uint8Array && s.length === 32)) throw new VaultError(`${VAULT_FILE} is damaged (bad secrets for ${capsule})`)
    out.set(capsule, list as Uint8Array[])
  }
  return out
}
