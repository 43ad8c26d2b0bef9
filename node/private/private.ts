import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { EpochKeyring, type Ed25519Key, type EpochBlock } from '../../capabilities/index.js'
import { encodeSealed, decodeBlock, isSealedShape, validateSealed, validateFrame, type EncodedBlock, type Frame } from '../../dag/index.js'
import type { Store, StoreBatch } from '../store/index.js'

const keyringKey = (capsule: string): string => `keyring/${capsule}`

/**
 * Private capsules: frames are sealed under the capsule's epoch content key before they become
 * blocks (so CIDs, replicas and exports hold only ciphertext), and opened on read. Epoch blocks
 * (each epoch's key wrapped for every reader's X25519 key, signed by the owner) are blocks too,
 * indexed in `k` under `keyring/<capsule>`, so they travel with the capsule. Removing a reader
 * starts a new epoch whose key the removed reader never receives.
 */
export class PrivateKeys {
  readonly #store: Store
  readonly #key: Ed25519Key
  readonly #rings = new Map<string, Promise<EpochKeyring>>()

  constructor (init: { store: Store, key: Ed25519Key }) {
    this.#store = init.store
    this.#key = init.key
  }

  /** Store ops that create a capsule's first epoch (owner only, at capsule creation). */
  create (capsule: string): StoreBatch {
    const ring = EpochKeyring.create({ id: capsule, admin: this.#key })
    this.#rings.set(capsule, Promise.resolve(ring))
    return this.#blocksOps(capsule, ring.blocks())
  }

  #blocksOps (capsule: string, blocks: EpochBlock[], previous: string[] = []): StoreBatch {
    const cids = [...new Set([...previous, ...blocks.map(b => b.cid.toString())])]
    return { blocks: blocks.map(b => ({ cid: b.cid, bytes: b.bytes })), puts: [{ sub: 'k', key: keyringKey(capsule), value: { owner: this.#key.did, blocks: cids } }] }
  }

  /** The keyring of a capsule this node holds keys for (opened from its stored epoch blocks). */
  async ring (capsule: string, owner: string): Promise<EpochKeyring> {
    let p = this.#rings.get(capsule)
    if (p == null) {
      p = (async () => {
        const rec = await this.#store.subs.k.get(keyringKey(capsule))
        const blocks: Uint8Array[] = []
        for (const c of (rec?.blocks ?? []) as string[]) {
          const b = await this.#store.getBlockUnsafe(CID.parse(c))
          if (b != null) blocks.push(b)
        }
        return await EpochKeyring.open({ id: capsule, admin: owner, reader: this.#key, blocks })
      })()
      this.#rings.set(capsule, p)
      p.catch(() => this.#rings.delete(capsule))
    }
    return await p
  }

  /** Drops a cached keyring, so the next use reopens it from the stored epoch blocks (after an import brought new ones). */
  invalidate (capsule: string): void {
    this.#rings.delete(capsule)
  }

  /** Epoch block CIDs of a capsule (to export or replicate with it). */
  async epochBlocks (capsule: string): Promise<string[]> {
    return ((await this.#store.subs.k.get(keyringKey(capsule)))?.blocks ?? []) as string[]
  }

  /** Seals an encoded frame: the returned block is the ciphertext record; `value` stays the frame. */
  async seal (capsule: string, owner: string, frame: EncodedBlock<Frame>): Promise<EncodedBlock<Frame>> {
    const ring = await this.ring(capsule, owner)
    const sealed = encodeSealed(CID.parse(capsule), ring.encrypt(frame.bytes))
    return { cid: sealed.cid, bytes: sealed.bytes, value: frame.value }
  }

  /**
   * Opens a sealed frame block: shape, epoch key, authenticated decryption, frame validation.
   *
   * @throws {NotAReaderError} | {UnknownEpochError} when this node holds no key for its epoch
   * @throws {DecryptionError} when the ciphertext was altered
   */
  async open (value: unknown, owner: string): Promise<Frame> {
    const sealed = validateSealed(value)
    const capsule = sealed.capsule.toString()
    const ring = await this.ring(capsule, owner)
    return validateFrame(dagCbor.decode(ring.decrypt(sealed.box)))
  }

  /** Gives a reader the keys (current epoch and, by default, history). Owner only. */
  async addReader (capsule: string, did: string): Promise<StoreBatch> {
    const ring = await this.ring(capsule, this.#key.did)
    const changed = ring.addReader(did, { history: true })
    return this.#blocksOps(capsule, changed, await this.epochBlocks(capsule))
  }

  /** Starts a new epoch without these readers: they cannot read anything written after. Owner only. */
  async removeReaders (capsule: string, dids: string[]): Promise<StoreBatch> {
    const ring = await this.ring(capsule, this.#key.did)
    const block = ring.rotate({ remove: dids })
    return this.#blocksOps(capsule, [block], await this.epochBlocks(capsule))
  }
}

/** Reads a frame block whether plain or sealed (sealed ones through `keys`). */
export async function readFrame (cid: CID, bytes: Uint8Array, owner: () => Promise<string>, keys: PrivateKeys): Promise<Frame> {
  const value = decodeBlock(cid, bytes)
  if (isSealedShape(value)) return await keys.open(value, await owner())
  return validateFrame(value)
}
