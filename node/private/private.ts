import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { x25519 } from '@noble/curves/ed25519.js'
import {
  EpochKeyring, NotAReaderError, generateContentKey, sealFrameBox, openFrameBox, isFrameBox,
  encodeFrameKeys, openFrameKeys, MAX_BUNDLE_KEYS, type Ed25519Key, type EpochBlock, type FrameKeyBundle, type KeyAgreement, type Signer
} from '../../capabilities/index.js'
import { encodeSealed, decodeBlock, isSealedShape, validateSealed, validateFrame, type EncodedBlock, type Frame } from '../../dag/index.js'
import { Store, type StoreBatch } from '../store/index.js'
import { newVaultSecret, type Vault } from '../home/index.js'

const keyringKey = (capsule: string): string => `keyring/${capsule}`
/** `k` keys of a capsule's frame keys: `fk/<capsule>/<frame cid>` → the key, wrapped under an epoch key. */
const frameKeyPrefix = (capsule: string): string => `fk/${capsule}/`
const frameKeyKey = (capsule: string, cid: string): string => `fk/${capsule}/${cid}`
const encoder = new TextEncoder()
/** Binds a frame box to its capsule. */
const boxAad = (capsule: string): Uint8Array => encoder.encode(`vivim/sealed-frame\u0000${capsule}`)
/** Binds a locally kept frame key to its frame. */
const keyAad = (cid: string): Uint8Array => encoder.encode(`vivim/frame-key\u0000${cid}`)

/** The owner as a capsule's admin: signs with the identity, agrees keys with the capsule's vault secret. */
function ownerAgreement (key: Ed25519Key, secret: Uint8Array): Signer & KeyAgreement {
  const pub = x25519.getPublicKey(secret)
  return {
    did: key.did,
    sign: (m) => key.sign(m),
    get x25519PublicKey () { return pub.slice() },
    agree: (peer) => x25519.getSharedSecret(secret, peer)
  }
}

/** What sealing a write's frames gives: the sealed blocks, and the frame keys to keep with them. */
export interface Sealed {
  frames: Array<EncodedBlock<Frame>>
  puts: StoreBatch['puts']
}

/** Keys of a capsule file being imported (the shape node/files asks for). */
export interface ImportKeys {
  /** A bundle's keys, each wrapped as the node keeps them; [] when this node cannot open it. */
  bundle: (bundle: FrameKeyBundle) => Array<[string, string]>
  keyPut: (cid: string, wrapped: string) => { sub: 'k', key: string, value: string }
  /** Opens a sealed frame with this wrapped key, else the node's own. @throws {NotAReaderError} when neither exists */
  open: (cid: string, value: unknown, wrapped?: string) => Promise<Frame>
}

/**
 * Private capsules. Each frame is sealed under its own random key before it becomes a block
 * (so CIDs, replicas and exports hold only ciphertext). The node keeps each frame key under
 * `k` wrapped under the capsule's latest epoch key; exports carry them as frame-key bundles
 * encrypted under that epoch. Epoch blocks (each epoch's key wrapped for every reader, signed
 * by the owner) travel with the capsule; the owner's own copy is wrapped to a per-capsule
 * vault key, not its identity. Forgetting a frame deletes its key, moves the capsule to a new
 * epoch under a new vault key, and destroys the old ones: no file or leftover block this home
 * made before can be opened again for that frame (crypto-shredding).
 */
export class PrivateKeys {
  readonly #store: Store
  readonly #key: Ed25519Key
  readonly #vault: Vault
  readonly #rings = new Map<string, Promise<EpochKeyring>>()
  /** Wrapped frame keys read ahead for the frames a reader is about to open (one lookup for a chunk). */
  readonly #prefetched = new Map<string, string | undefined>()

  constructor (init: { store: Store, key: Ed25519Key, vault: Vault }) {
    this.#store = init.store
    this.#key = init.key
    this.#vault = init.vault
  }

  /** Store ops that create a capsule's first epoch (owner only, at capsule creation). */
  async create (capsule: string): Promise<StoreBatch> {
    const secret = newVaultSecret()
    await this.#vault.add(capsule, secret)
    const ring = EpochKeyring.create({ id: capsule, admin: ownerAgreement(this.#key, secret) })
    this.#rings.set(capsule, Promise.resolve(ring))
    return this.#blocksOps(capsule, ring.blocks())
  }

  #blocksOps (capsule: string, blocks: EpochBlock[], previous: string[] = []): StoreBatch {
    const cids = [...new Set([...previous, ...blocks.map(b => b.cid.toString())])]
    return { blocks: blocks.map(b => ({ cid: b.cid, bytes: b.bytes })), puts: [{ sub: 'k', key: keyringKey(capsule), value: { owner: this.#key.did, blocks: cids } }] }
  }

  /**
   * Opens a keyring from epoch blocks as this node reads them: for its own capsules, with the
   * newest vault key that opens the latest epoch (the identity key for capsules made before
   * vault keys); for others', with its identity key. Epochs whose key it cannot open stay closed.
   */
  async openRing (capsule: string, owner: string, blocks: Uint8Array[]): Promise<{ ring: EpochKeyring, secret?: Uint8Array }> {
    if (owner !== this.#key.did) return { ring: await EpochKeyring.open({ id: capsule, admin: owner, reader: this.#key, blocks, skipUnopenable: true }) }
    const candidates: Array<{ reader: Signer & KeyAgreement, secret?: Uint8Array }> = [
      ...this.#vault.secrets(capsule).map(secret => ({ reader: ownerAgreement(this.#key, secret), secret })),
      { reader: this.#key }
    ]
    let first: { ring: EpochKeyring, secret?: Uint8Array } | undefined
    for (const c of candidates) {
      const ring = await EpochKeyring.open({ id: capsule, admin: owner, reader: c.reader, blocks, skipUnopenable: true })
      if (ring.epoch >= 0 && ring.hasKey(ring.epoch)) return { ring, secret: c.secret }
      first ??= { ring, secret: c.secret }
    }
    return first as { ring: EpochKeyring, secret?: Uint8Array }
  }

  /** The keyring of a capsule this node holds keys for (opened from its stored epoch blocks). */
  async ring (capsule: string, owner: string): Promise<EpochKeyring> {
    let p = this.#rings.get(capsule)
    if (p == null) {
      p = (async () => {
        const blocks: Uint8Array[] = []
        for (const c of await this.epochBlocks(capsule)) {
          const b = await this.#store.getBlockUnsafe(CID.parse(c))
          if (b != null) blocks.push(b)
        }
        const { ring, secret } = await this.openRing(capsule, owner, blocks)
        // A forget cut short after its new vault key was saved: the key that opens the latest epoch is the one to keep.
        if (secret != null && ring.hasKey(ring.epoch)) await this.#vault.keepOnly(capsule, secret)
        return ring
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

  /** Seals encoded frames, each under a fresh key: the returned blocks are the ciphertext records (`value` stays the frame). */
  async seal (capsule: string, owner: string, frames: Array<EncodedBlock<Frame>>): Promise<Sealed> {
    const ring = await this.ring(capsule, owner)
    const genesis = CID.parse(capsule)
    const aad = boxAad(capsule)
    const out: Sealed = { frames: [], puts: [] }
    for (const f of frames) {
      const key = generateContentKey()
      const sealed = encodeSealed(genesis, sealFrameBox(key, f.bytes, aad))
      out.frames.push({ cid: sealed.cid, bytes: sealed.bytes, value: f.value })
      out.puts.push(this.#keyPut(ring, capsule, sealed.cid.toString(), key))
      key.fill(0)
    }
    return out
  }

  #keyPut (ring: EpochKeyring, capsule: string, cid: string, key: Uint8Array): StoreBatch['puts'][number] {
    return { sub: 'k', key: frameKeyKey(capsule, cid), value: this.#wrap(ring, cid, key) }
  }

  /** A frame key as the node keeps it: under the keyring's latest epoch key, bound to its frame. */
  #wrap (ring: EpochKeyring, cid: string, key: Uint8Array): string {
    return Buffer.from(ring.encrypt(key, keyAad(cid))).toString('base64')
  }

  /** Reads ahead the keys of frames about to be opened (a timeline's next chunk). */
  async prefetch (capsule: string, cids: string[]): Promise<void> {
    this.#prefetched.clear()
    const keys = cids.map(c => frameKeyKey(capsule, c))
    const got = await this.#store.subs.k.getMany(keys)
    keys.forEach((k, i) => this.#prefetched.set(k, got[i] as string | undefined))
  }

  async #frameKey (ring: EpochKeyring, capsule: string, cid: string): Promise<Uint8Array | undefined> {
    const k = frameKeyKey(capsule, cid)
    const ahead = this.#prefetched.get(k)
    this.#prefetched.delete(k)
    if (ahead != null) {
      try { return ring.decrypt(Buffer.from(ahead, 'base64'), keyAad(cid)) } catch {} // (re-wrapped since: read it again)
    }
    const wrapped = await this.#store.subs.k.get(k) as string | undefined
    return wrapped == null ? undefined : ring.decrypt(Buffer.from(wrapped, 'base64'), keyAad(cid))
  }

  /**
   * Opens a sealed frame: shape, its key, authenticated decryption, frame validation.
   *
   * @throws {NotAReaderError} | {UnknownEpochError} when this node holds no key for it
   * @throws {DecryptionError} when the ciphertext was altered
   */
  async open (value: unknown, owner: string, cid: string): Promise<Frame> {
    const sealed = validateSealed(value)
    const capsule = sealed.capsule.toString()
    const ring = await this.ring(capsule, owner)
    return await this.#openBox(ring, capsule, sealed.box, cid, async () => await this.#frameKey(ring, capsule, cid))
  }

  /** Opens a box with the frame's key (`key` finds it), or straight with its epoch key when sealed before frame keys. */
  async #openBox (ring: EpochKeyring, capsule: string, box: Uint8Array, cid: string, key: () => Promise<Uint8Array | undefined>): Promise<Frame> {
    if (!isFrameBox(box)) return validateFrame(dagCbor.decode(ring.decrypt(box)))
    const k = await key()
    if (k == null) throw new NotAReaderError(`this node holds no key for frame ${cid}`)
    return validateFrame(dagCbor.decode(openFrameBox(k, box, boxAad(capsule))))
  }

  /**
   * The capsule's frame keys (but `skip`) as bundles under its latest epoch, for an export: made a
   * bundle at a time, so only the bundles' bytes are held (about 70 bytes a frame).
   */
  async exportBundles (capsule: string, owner: string, skip: (cid: string) => boolean): Promise<Array<{ cid: CID, bytes: Uint8Array }>> {
    const ring = await this.ring(capsule, owner)
    const prefix = frameKeyPrefix(capsule)
    const out: Array<{ cid: CID, bytes: Uint8Array }> = []
    let entries: Array<[CID, Uint8Array]> = []
    const flush = async (): Promise<void> => {
      for (const b of await encodeFrameKeys(ring, entries)) out.push({ cid: b.cid, bytes: b.bytes })
      for (const [, key] of entries) key.fill(0)
      entries = []
    }
    for await (const [k, wrapped] of this.#store.subs.k.iterator({ gte: prefix, lt: prefix + '\uffff' })) {
      const cid = k.slice(prefix.length)
      if (skip(cid)) continue
      try { entries.push([CID.parse(cid), ring.decrypt(Buffer.from(wrapped as string, 'base64'), keyAad(cid))]) } catch { /* a key under an epoch this node cannot open any more */ }
      if (entries.length >= MAX_BUNDLE_KEYS) await flush()
    }
    await flush()
    return out
  }

  /**
   * Keys for a capsule file's import, read with `ring` (built from the file's and the node's epoch
   * blocks): a bundle's keys come out wrapped as the node keeps them, never in the clear.
   */
  importKeys (capsule: string, ring: EpochKeyring): ImportKeys {
    return {
      bundle: (b) => {
        let keys: Map<string, Uint8Array>
        try { keys = openFrameKeys(ring, b) } catch { return [] } // a bundle of an epoch this node does not read
        const out: Array<[string, string]> = []
        for (const [cid, key] of keys) { out.push([cid, this.#wrap(ring, cid, key)]); key.fill(0) }
        return out
      },
      keyPut: (cid, wrapped) => ({ sub: 'k', key: frameKeyKey(capsule, cid), value: wrapped }),
      open: async (cid, value, wrapped) => {
        const sealed = validateSealed(value)
        if (sealed.capsule.toString() !== capsule) throw new NotAReaderError(`frame ${cid} is sealed for another capsule`)
        return await this.#openBox(ring, capsule, sealed.box, cid, async () => wrapped != null
          ? ring.decrypt(Buffer.from(wrapped, 'base64'), keyAad(cid))
          : await this.#frameKey(ring, capsule, cid).catch(() => undefined))
      }
    }
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

  /** Whether a capsule still holds frames sealed straight under an epoch key (by vivim before frame keys). */
  async #hasEpochSealedFrames (capsule: string): Promise<boolean> {
    let cids: CID[] = []
    const check = async (): Promise<boolean> => {
      const blocks = await this.#store.subs.b.getMany(cids.map(c => Store.blockKey(c)))
      cids = []
      return blocks.some(b => {
        if (b == null) return false
        try { const v = dagCbor.decode(b) as any; return isSealedShape(v) && v.box instanceof Uint8Array && !isFrameBox(v.box) } catch { return false }
      })
    }
    for await (const key of this.#store.subs.t.keys({ gte: `${capsule}!`, lt: `${capsule}!\uffff` })) {
      cids.push(CID.parse(key.slice(key.lastIndexOf('!') + 1)))
      if (cids.length >= 512 && await check()) return true
    }
    return cids.length > 0 && await check()
  }

  /**
   * Destroys the keys of forgotten frames. The owner also moves the capsule to a new epoch whose
   * key is wrapped to a new vault key, re-wraps the surviving frame keys under it, deletes the old
   * epoch blocks and destroys the old vault key: older exports and leftover blocks keep only
   * ciphertext nobody here can open. A reader (not the owner) can only delete its copies.
   * Run under the writer's lock. Returns how many frame keys were destroyed.
   */
  async shred (capsule: string, owner: string, forgotten: Set<string>): Promise<number> {
    const prefix = frameKeyPrefix(capsule)
    const batch: StoreBatch = { blocks: [], puts: [], dels: [] }
    const list = [...forgotten]
    const found = await this.#store.subs.k.getMany(list.map(c => frameKeyKey(capsule, c)))
    const held = list.filter((_, i) => found[i] != null)
    if (held.length === 0) return 0
    if (owner !== this.#key.did) {
      for (const cid of held) batch.dels?.push({ sub: 'k', key: frameKeyKey(capsule, cid) })
      await this.#store.write(batch)
      return held.length
    }
    let destroyed = 0
    const old = await this.ring(capsule, owner)
    this.#prefetched.clear()
    if (await this.#hasEpochSealedFrames(capsule)) {
      // Frames sealed before frame keys need their epoch keys: those stay, only the frame keys go.
      for (const cid of held) batch.dels?.push({ sub: 'k', key: frameKeyKey(capsule, cid) })
      await this.#store.write(batch)
      return held.length
    }
    const secret = newVaultSecret()
    // Saved first: a crash from here on leaves the old epoch readable with the old key, and the next forget finishes the job.
    await this.#vault.add(capsule, secret)
    const readers = old.epoch >= 0 ? old.readers().filter(d => d !== owner) : []
    const next = EpochKeyring.create({ id: capsule, admin: ownerAgreement(this.#key, secret), readers, epoch: old.epoch + 1 })
    for await (const [k, wrapped] of this.#store.subs.k.iterator({ gte: prefix, lt: prefix + '\uffff' })) {
      const cid = k.slice(prefix.length)
      let key: Uint8Array | undefined
      try { key = old.decrypt(Buffer.from(wrapped as string, 'base64'), keyAad(cid)) } catch {}
      if (forgotten.has(cid) || key == null) {
        batch.dels?.push({ sub: 'k', key: k })
        if (forgotten.has(cid)) destroyed++
      } else {
        batch.puts.push(this.#keyPut(next, capsule, cid, key))
        key.fill(0)
      }
    }
    for (const c of await this.epochBlocks(capsule)) batch.dels?.push({ sub: 'b', key: Store.blockKey(CID.parse(c)) })
    const ops = this.#blocksOps(capsule, next.blocks())
    batch.blocks.push(...ops.blocks); batch.puts.push(...ops.puts)
    await this.#store.write(batch)
    this.#rings.set(capsule, Promise.resolve(next))
    await this.#vault.keepOnly(capsule, secret)
    return destroyed
  }
}

/** Reads a frame block whether plain or sealed (sealed ones through `keys`). */
export async function readFrame (cid: CID, bytes: Uint8Array, owner: () => Promise<string>, keys: PrivateKeys): Promise<Frame> {
  const value = decodeBlock(cid, bytes)
  if (isSealedShape(value)) return await keys.open(value, await owner(), cid.toString())
  return validateFrame(value)
}
