// Per-epoch content keys for a private capsule or circle (DESIGN.md §3).
//
// Each epoch has a fresh random content key, wrapped for each reader's X25519 key
// (keywrap.ts). An epoch block records that: a signed envelope, like a UCAN token,
//
//   [signature, { h: varsig, "vivim/epoch@1": { iss, id, epoch, readers: { <did>: { epk, ct } } } }]
//
// signed by the admin (the capsule owner), so a reader only trusts keys its owner
// published. Removing a reader starts a new epoch whose key is wrapped only for the
// remaining readers: the removed reader keeps what it could already read, and can
// decrypt nothing written afterwards. Ciphertext names its epoch:
//
//   0x01 ‖ epoch (u32, big-endian) ‖ encryptContent(key, plaintext, aad = header ‖ context ‖ aad)

import { CID } from 'multiformats/cid'
import { EPOCH_TAG } from './constants.js'
import { InvalidSignature, MalformedEnvelopeError, NotAReaderError, UnknownEpochError, DecryptionError } from './errors.js'
import { decodeEnvelope, encodeEnvelope } from './envelope.js'
import { decryptContent, encryptContent, generateContentKey } from './content.js'
import { unwrapKey, wrapKey, wrappedKeyFromIpld, wrappedKeyToIpld, type WrappedKey } from './keywrap.js'
import { createSignatureVerifier, verifyRecord, type SignatureVerifier } from './verify.js'
import { concat, isBytes, isMap, isSafeInt, unknownKeys, utf8 } from './_bytes.js'
import type { KeyAgreement, Signer } from './identity.js'

const CIPHERTEXT_VERSION = 1
const HEADER_BYTES = 5
const MAX_EPOCH = 0xffff_ffff
const MAX_READERS = 10_000
// Each reader costs about 130 bytes (DID, 32-byte epk, 48-byte ct, CBOR framing).
const MAX_EPOCH_BLOCK_BYTES = 4 * 1024 * 1024

/** A signed epoch block. */
export interface EpochBlock {
  readonly cid: CID
  readonly bytes: Uint8Array
  /** The capsule or circle id. */
  readonly id: string
  readonly epoch: number
  /** The admin who signed it. */
  readonly issuer: string
  /** Reader DID → its wrapped content key. */
  readonly readers: ReadonlyMap<string, WrappedKey>
}

/** The wrap context: binds a wrapped key to its capsule and epoch. */
export function epochContext (id: string, epoch: number): Uint8Array {
  const e = new Uint8Array(4)
  new DataView(e.buffer).setUint32(0, epoch)
  return concat(utf8(EPOCH_TAG), Uint8Array.of(0), utf8(id), Uint8Array.of(0), e)
}

function header (epoch: number): Uint8Array {
  const h = new Uint8Array(HEADER_BYTES)
  h[0] = CIPHERTEXT_VERSION
  new DataView(h.buffer).setUint32(1, epoch)
  return h
}

/** Signs an epoch block. */
export function encodeEpochBlock (admin: Signer, id: string, epoch: number, readers: ReadonlyMap<string, WrappedKey>): EpochBlock {
  const r: Record<string, unknown> = {}
  for (const [did, w] of readers) r[did] = wrappedKeyToIpld(w)
  const env = encodeEnvelope(admin, EPOCH_TAG, { iss: admin.did, id, epoch, readers: r })
  return Object.freeze({ cid: env.cid, bytes: env.bytes, id, epoch, issuer: admin.did, readers })
}

/**
 * Decodes and verifies an epoch block strictly.
 *
 * @param expect.admin - the DID that must have signed it (the owner)
 * @param expect.id - the capsule or circle it must belong to
 * @throws {MalformedEnvelopeError} on any malformation
 * @throws {InvalidSignature} when it is not signed by `expect.admin`
 */
export async function decodeEpochBlock (bytes: Uint8Array, expect: { admin: string, id?: string, verifier?: SignatureVerifier }): Promise<EpochBlock> {
  const env = decodeEnvelope(bytes, [EPOCH_TAG], MAX_EPOCH_BLOCK_BYTES, MalformedEnvelopeError)
  const p = env.payload
  if (!isMap(p) || unknownKeys(p, ['iss', 'id', 'epoch', 'readers']).length > 0) throw new MalformedEnvelopeError('bad epoch block fields')
  const { iss, id, epoch, readers } = p
  if (typeof iss !== 'string' || typeof id !== 'string' || id.length > 1024) throw new MalformedEnvelopeError('bad epoch block issuer or id')
  if (!isSafeInt(epoch) || epoch < 0 || epoch > MAX_EPOCH) throw new MalformedEnvelopeError('bad epoch number')
  if (!isMap(readers) || Object.keys(readers).length > MAX_READERS) throw new MalformedEnvelopeError('bad readers')
  const map = new Map<string, WrappedKey>()
  for (const [did, w] of Object.entries(readers)) {
    if (!did.startsWith('did:')) throw new MalformedEnvelopeError('reader must be a DID')
    map.set(did, wrappedKeyFromIpld(w))
  }
  if (iss !== expect.admin) throw new InvalidSignature('epoch block not issued by the expected admin')
  if (expect.id !== undefined && id !== expect.id) throw new MalformedEnvelopeError('epoch block of another capsule')
  const verifier = expect.verifier ?? createSignatureVerifier()
  if (!await verifyRecord(verifier, iss, env)) throw new InvalidSignature('epoch block signature does not verify')
  return Object.freeze({ cid: env.cid, bytes: env.bytes, id, epoch, issuer: iss, readers: map })
}

/** The epoch a keyring ciphertext was written in. @throws {MalformedEnvelopeError} */
export function epochOf (sealed: Uint8Array): number {
  if (!isBytes(sealed) || sealed.length < HEADER_BYTES || sealed[0] !== CIPHERTEXT_VERSION) throw new MalformedEnvelopeError('not a keyring ciphertext')
  return new DataView(sealed.buffer, sealed.byteOffset, sealed.byteLength).getUint32(1)
}

/** Options of {@link EpochKeyring.create}. */
export interface KeyringInit {
  /** The capsule or circle id. */
  id: string
  /** The owner, who signs epoch blocks and is always a reader. */
  admin: Signer & KeyAgreement
  /** Other readers' DIDs. */
  readers?: Iterable<string>
  /** The first epoch's number (default 0): a keyring that replaces another continues its numbering. */
  epoch?: number
}

/**
 * Content keys per epoch, wrapped per reader.
 *
 * @example
 * ```ts
 * const ring = EpochKeyring.create({ id: capsuleId, admin: owner, readers: [bob.did, carol.did] })
 * const box = ring.encrypt(bytes)
 * ring.rotate({ remove: [carol.did] })      // carol cannot read what follows
 * const bobs = await EpochKeyring.open({ id: capsuleId, admin: owner.did, reader: bob, blocks: ring.blocks().map(b => b.bytes) })
 * bobs.decrypt(box)
 * ```
 */
export class EpochKeyring {
  readonly id: string
  readonly #admin: (Signer & KeyAgreement) | undefined
  /** Who must have signed the epoch blocks, and whose wrapped keys this keyring opens. */
  readonly #adminDid: string
  readonly #reader: KeyAgreement
  readonly #keys = new Map<number, Uint8Array>()
  readonly #blocks = new Map<number, EpochBlock>()

  private constructor (id: string, adminDid: string, reader: KeyAgreement, admin: (Signer & KeyAgreement) | undefined) {
    this.id = id
    this.#adminDid = adminDid
    this.#reader = reader
    this.#admin = admin
  }

  /** A new keyring at epoch 0 (owner side). */
  static create (init: KeyringInit): EpochKeyring {
    const ring = new EpochKeyring(init.id, init.admin.did, init.admin, init.admin)
    const epoch = init.epoch ?? 0
    if (!isSafeInt(epoch) || epoch < 0 || epoch > MAX_EPOCH) throw new RangeError('epoch out of range')
    ring.#startEpoch(epoch, new Set([init.admin.did, ...(init.readers ?? [])]))
    return ring
  }

  /**
   * A reader's keyring from published epoch blocks: it unwraps the keys of every
   * epoch it is a reader of, and can decrypt (and write in) those epochs only.
   * When the reader is the admin's own key, the keyring can rotate and add readers again
   * (the owner is a reader of every epoch, so its blocks are its key backup).
   *
   * @throws {MalformedEnvelopeError} {InvalidSignature} for a bad block
   */
  static async open (o: { id: string, admin: string, reader: KeyAgreement | (Signer & KeyAgreement), blocks: Iterable<Uint8Array>, verifier?: SignatureVerifier, skipUnopenable?: boolean }): Promise<EpochKeyring> {
    // The admin reopening its own keyring (after a restart) keeps the right to rotate and add readers.
    const asAdmin = o.reader.did === o.admin && typeof (o.reader as Partial<Signer>).sign === 'function' ? o.reader as Signer & KeyAgreement : undefined
    const ring = new EpochKeyring(o.id, o.admin, o.reader, asAdmin)
    await ring.addBlocks(o.blocks, { verifier: o.verifier, skipUnopenable: o.skipUnopenable })
    return ring
  }

  /**
   * Takes in published epoch blocks (a new epoch, or a version of one that now names
   * this reader), so a long-lived keyring follows rotations without being reopened.
   * Returns the epochs whose key became available.
   *
   * @throws {MalformedEnvelopeError} {InvalidSignature} for a bad block (blocks before it are kept)
   * @throws {DecryptionError} when a block names this reader but its wrapped key does not open
   *   (unless `skipUnopenable`: then that epoch stays without a key, as for an owner whose
   *   earlier key-agreement key was destroyed on purpose)
   */
  async addBlocks (blocks: Iterable<Uint8Array>, options: { verifier?: SignatureVerifier, skipUnopenable?: boolean } = {}): Promise<number[]> {
    const verifier = options.verifier ?? createSignatureVerifier()
    const me = this.#reader.did
    const opened: number[] = []
    for (const bytes of blocks) {
      const block = await decodeEpochBlock(bytes, { admin: this.#adminDid, id: this.id, verifier })
      const known = this.#blocks.get(block.epoch)
      // Several versions of one epoch exist when readers were added: prefer one that names us,
      // then the one naming the most readers (the latest version the owner published).
      const better = known === undefined ||
        (!known.readers.has(me) && block.readers.has(me)) ||
        (known.readers.has(me) === block.readers.has(me) && block.readers.size > known.readers.size)
      if (better) this.#blocks.set(block.epoch, block)
      const w = block.readers.get(me)
      if (w !== undefined && !this.#keys.has(block.epoch)) {
        let key: Uint8Array
        try {
          key = unwrapKey(w, this.#reader, epochContext(this.id, block.epoch))
        } catch (err) {
          if (options.skipUnopenable === true && (err as Error).name === 'DecryptionError') continue
          throw err
        }
        this.#keys.set(block.epoch, key)
        opened.push(block.epoch)
      }
    }
    return opened
  }

  /** The latest epoch known. */
  get epoch (): number {
    let max = -1
    for (const e of this.#blocks.keys()) if (e > max) max = e
    return max
  }

  /** Readers of an epoch (default: the latest). */
  readers (epoch: number = this.epoch): string[] {
    const b = this.#blocks.get(epoch)
    if (b === undefined) throw new UnknownEpochError()
    return [...b.readers.keys()]
  }

  /** True when this keyring holds the key of `epoch`. */
  hasKey (epoch: number): boolean {
    return this.#keys.has(epoch)
  }

  /** The signed epoch blocks, oldest first: publish them with the capsule. */
  blocks (): EpochBlock[] {
    return [...this.#blocks.values()].sort((a, b) => a.epoch - b.epoch)
  }

  /**
   * Grants a reader the current epoch (and, with `history`, every earlier epoch this
   * keyring holds). Returns the re-signed blocks. Owner side only.
   */
  addReader (did: string, options: { history?: boolean } = {}): EpochBlock[] {
    const admin = this.#requireAdmin()
    const epochs = options.history === true ? [...this.#keys.keys()] : [this.epoch]
    const changed: EpochBlock[] = []
    for (const e of epochs) {
      const block = this.#blocks.get(e)
      const key = this.#keys.get(e)
      if (block === undefined || key === undefined || block.readers.has(did)) continue
      const readers = new Map(block.readers)
      readers.set(did, wrapKey(key, this.#recipient(did, admin), epochContext(this.id, e)))
      const next = encodeEpochBlock(admin, this.id, e, readers)
      this.#blocks.set(e, next)
      changed.push(next)
    }
    return changed
  }

  /**
   * Starts a new epoch with a fresh key, wrapped for the current readers minus
   * `remove`, plus `add`. Owner side only. Returns the new epoch's block.
   */
  rotate (options: { remove?: Iterable<string>, add?: Iterable<string> } = {}): EpochBlock {
    const admin = this.#requireAdmin()
    const readers = new Set(this.readers())
    for (const d of options.remove ?? []) if (d !== admin.did) readers.delete(d)
    for (const d of options.add ?? []) readers.add(d)
    readers.add(admin.did)
    const next = this.epoch + 1
    if (next > MAX_EPOCH) throw new RangeError('epoch space exhausted')
    return this.#startEpoch(next, readers)
  }

  /** Encrypts under the latest epoch whose key this keyring holds. */
  encrypt (plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
    let epoch = -1
    for (const e of this.#keys.keys()) if (e > epoch) epoch = e
    if (epoch < 0) throw new NotAReaderError('this keyring holds no epoch key')
    const h = header(epoch)
    const key = this.#keys.get(epoch) as Uint8Array
    return concat(h, encryptContent(key, plaintext, this.#aad(h, epoch, aad)))
  }

  /**
   * Decrypts a keyring ciphertext.
   *
   * @throws {UnknownEpochError} when its epoch is not known here
   * @throws {NotAReaderError} when this reader holds no key for its epoch
   * @throws {DecryptionError} {MalformedEnvelopeError} for wrong aad or tampering
   */
  decrypt (sealed: Uint8Array, aad?: Uint8Array): Uint8Array {
    const epoch = epochOf(sealed)
    const key = this.#keys.get(epoch)
    if (key === undefined) {
      if (this.#blocks.has(epoch)) throw new NotAReaderError(`not a reader of epoch ${epoch}`)
      throw new UnknownEpochError(`unknown epoch ${epoch}`)
    }
    const h = sealed.subarray(0, HEADER_BYTES)
    try {
      return decryptContent(key, sealed.subarray(HEADER_BYTES), this.#aad(h, epoch, aad))
    } catch (err) {
      if ((err as Error).name === 'MalformedEnvelopeError') throw err
      throw new DecryptionError()
    }
  }

  #aad (h: Uint8Array, epoch: number, aad: Uint8Array | undefined): Uint8Array {
    return concat(h, epochContext(this.id, epoch), aad ?? new Uint8Array(0))
  }

  #requireAdmin (): Signer & KeyAgreement {
    if (this.#admin === undefined) throw new NotAReaderError('only the admin can change readers')
    return this.#admin
  }

  /**
   * Where a reader's key is wrapped: the key its DID names, except for the admin, whose own key
   * agreement may be a separate, replaceable key (a node keeps one per private capsule, so that
   * destroying it makes the capsule's older epochs unreadable even to its owner's identity).
   */
  #recipient (did: string, admin: Signer & KeyAgreement): string | Uint8Array {
    return did === admin.did ? admin.x25519PublicKey : did
  }

  #startEpoch (epoch: number, readers: Set<string>): EpochBlock {
    const admin = this.#requireAdmin()
    const key = generateContentKey()
    const ctx = epochContext(this.id, epoch)
    const wrapped = new Map<string, WrappedKey>()
    for (const did of readers) wrapped.set(did, wrapKey(key, this.#recipient(did, admin), ctx))
    const block = encodeEpochBlock(admin, this.id, epoch, wrapped)
    this.#keys.set(epoch, key)
    this.#blocks.set(epoch, block)
    return block
  }
}
