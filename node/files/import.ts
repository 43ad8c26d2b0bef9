// Importing a capsule file. Blocks are checked as they stream in (hash, signature, shape) and held
// in memory up to DEFAULT_STAGE_BYTES; beyond that they are written to the blockstore, where no
// ref or index names them, so nothing is visible. Once the whole closure checked, one atomic,
// fsynced Store.write adds the last blocks, the capsule record and name, the indexes and the
// merged refs. On any failure the blocks this import wrote are deleted again: the home is as it was.
import { CID } from 'multiformats/cid'
import { decodeBlockUnsafe, isSealedShape, validateFrame, validateSealed, type Commit, type EncodedBlock, type Frame, type SealedFrame } from '../../dag/index.js'
import { Store, type StoreBatch } from '../store/index.js'
import { timeKey, type CommittedFrames } from '../capsules/index.js'
import { DEFAULT_BRANCH } from '../constants.js'
import { DEFAULT_STAGE_BYTES } from './constants.js'
import { cidKey } from '../../dag/index.js'
import { scanCapsuleFile, typed, type CapsuleSource, type FrameMeta, type Scan } from './scan.js'
import type { FilesComponents, ImportOptions, ImportResult } from './interface.js'

const LOOKUP_CHUNK = 1000

/** Blocks checked but not yet committed; spills to the blockstore (unreferenced) past a size. */
class Stage {
  readonly #store: Store
  readonly #limit: number
  pending: Array<{ cid: CID, bytes: Uint8Array }> = []
  #bytes = 0
  /** Block keys this import wrote (deleted again on failure). */
  readonly written: string[] = []
  /** CIDs of the blocks this import adds (written or still pending). */
  readonly added = new Set<string>()
  /** Frames this node forgot: never brought back by an import. */
  readonly skipped = new Set<string>()

  constructor (store: Store, limit: number) { this.#store = store; this.#limit = limit }

  async add (cid: CID, bytes: Uint8Array): Promise<void> {
    this.pending.push({ cid, bytes: bytes.slice() })
    this.#bytes += bytes.length
    if (this.#bytes >= this.#limit) await this.flush()
  }

  /** The pending blocks this node lacks (and has not forgotten); clears the pending list. */
  async take (): Promise<Array<{ cid: CID, bytes: Uint8Array }>> {
    const out: Array<{ cid: CID, bytes: Uint8Array }> = []
    for (let i = 0; i < this.pending.length; i += LOOKUP_CHUNK) {
      const part = this.pending.slice(i, i + LOOKUP_CHUNK)
      const have = await this.#store.subs.b.getMany(part.map(b => Store.blockKey(b.cid)))
      const gone = await this.#store.subs.g.getMany(part.map(b => b.cid.toString()))
      part.forEach((b, j) => {
        if (gone[j] != null) this.skipped.add(b.cid.toString())
        else if (have[j] == null) { out.push(b); this.added.add(cidKey(b.cid)) }
      })
    }
    this.pending = []
    this.#bytes = 0
    return out
  }

  async flush (): Promise<void> {
    const blocks = await this.take()
    if (blocks.length === 0) return
    await this.#store.write({ blocks, puts: [] })
    for (const b of blocks) this.written.push(Store.blockKey(b.cid))
  }

  async rollback (): Promise<void> {
    if (this.written.length === 0) return
    await this.#store.write({ blocks: [], puts: [], dels: this.written.map(key => ({ sub: 'b' as const, key })) })
  }
}

/** Local name for an imported capsule: its own, or `name@<last 8 of id>` when another capsule holds that name. */
async function localName (store: Store, name: string, id: string): Promise<string> {
  const holder = await store.subs.n.get(name)
  if (holder == null || holder === id) return name
  for (let n = 8; n <= id.length; n += 4) {
    const alt = `${name}@${id.slice(-n)}`
    const h = await store.subs.n.get(alt)
    if (h == null || h === id) return alt
  }
  return `${name}@${id}`
}

/** Drops heads that are ancestors of others, over the file's commits and the store's. */
async function reduce (heads: string[], scan: Scan, c: FilesComponents): Promise<string[]> {
  const unique = [...new Set(heads)]
  if (unique.length < 2) return unique
  const parentsOf = async (k: string): Promise<string[]> => {
    const m = scan.commits.get(k)
    if (m != null) return m.parents
    return ((await c.refs.loadCommit(CID.parse(k))) as Commit).parents.map(String)
  }
  const below = new Set<string>()
  const stack: string[] = []
  for (const h of unique) stack.push(...await parentsOf(h))
  while (stack.length > 0) {
    const k = stack.pop() as string
    if (below.has(k)) continue
    below.add(k)
    stack.push(...await parentsOf(k))
  }
  return unique.filter(h => !below.has(h)).sort()
}

/**
 * Imports a capsule file (plain or encrypted) into the node, merging with what it holds.
 *
 * @throws every error `scanCapsuleFile` names; nothing is imported then
 */
export async function importCapsuleFile (c: FilesComponents, src: CapsuleSource, opts: ImportOptions & { emit?: (batch: CommittedFrames[]) => Promise<void>, stageBytes?: number } = {}): Promise<ImportResult> {
  const stage = new Stage(c.store, opts.stageBytes ?? DEFAULT_STAGE_BYTES)
  try {
    const scan = await scanCapsuleFile(src, { passphrase: opts.passphrase, verifier: c.verifier, now: c.now(), signal: opts.signal, onBlock: async (cid, bytes) => await stage.add(cid, bytes) })
    return await c.writer.exclusive(async () => await commit(c, scan, stage, opts.emit))
  } catch (err) {
    await stage.rollback()
    throw typed(err)
  }
}

async function commit (c: FilesComponents, scan: Scan, stage: Stage, emit?: (batch: CommittedFrames[]) => Promise<void>): Promise<ImportResult> {
  const manifest = scan.manifest?.value as NonNullable<Scan['manifest']>['value']
  const genesis = scan.genesis as NonNullable<Scan['genesis']>
  const id = genesis.cid.toString()
  const batch: StoreBatch = { blocks: await stage.take(), puts: [] }

  let rec = await c.store.subs.c.get(id)
  const created = rec == null
  let name = rec?.name as string
  if (created) {
    name = await localName(c.store, genesis.value.name, id)
    rec = { id, name, owner: genesis.value.owner, created: genesis.value.created }
    if (genesis.value.rules != null) rec.rules = genesis.value.rules
    batch.puts.push({ sub: 'c', key: id, value: rec }, { sub: 'n', key: name, value: id })
  }

  // Merge each branch's heads with what the node holds.
  const branches: Record<string, string[]> = {}
  const wanted = { ...Object.fromEntries(Object.entries(manifest.branches).map(([b, hs]) => [b, hs.map(String)])) }
  if (created && wanted[DEFAULT_BRANCH] == null) wanted[DEFAULT_BRANCH] = []
  let moved = false
  for (const [b, heads] of Object.entries(wanted)) {
    const had = !created && await c.refs.hasBranch(id, b) ? (await c.refs.heads(id, b)).map(String) : undefined
    const merged = await reduce([...(had ?? []), ...heads], scan, c)
    branches[b] = merged
    if (had == null || had.length !== merged.length || merged.some(h => !had.includes(h))) {
      moved = true
      batch.puts.push(c.refs.headsOp(id, b, merged.map(h => CID.parse(h))))
    }
  }

  // A private capsule's keyring travels with it: record its epoch blocks beside those held.
  const epochs = [...scan.epochs.keys()]
  let open: ((sealed: SealedFrame) => Frame) | undefined
  if (epochs.length > 0 || [...scan.frames.values()].some(m => m.sealed != null)) {
    const held = await c.epochBlocks(id)
    const all = [...new Set([...held, ...epochs])]
    if (all.length !== held.length) batch.puts.push(c.keyringPut(id, genesis.value.owner, all))
    const bytesOf = async (k: string): Promise<Uint8Array | undefined> => scan.epochs.get(k) ?? await c.store.getBlockUnsafe(CID.parse(k))
    const blocks = (await Promise.all(all.map(bytesOf))).filter((b): b is Uint8Array => b != null)
    open = await c.sealedOpener(id, genesis.value.owner, blocks).catch(() => undefined)
  }
  const pendingBytes = new Map(batch.blocks.map(b => [b.cid.toString(), b.bytes]))
  /** Time and uri of a sealed frame, when this node can open it (else it is stored but not in the timeline). */
  const openMeta = async (k: string): Promise<FrameMeta | undefined> => {
    if (open == null) return undefined
    const bytes = pendingBytes.get(k) ?? await c.store.getBlockUnsafe(CID.parse(k))
    if (bytes == null) return undefined
    try {
      const f = open(validateSealed(decodeBlockUnsafe(CID.parse(k), bytes)))
      return { time: f.time, tombstone: f.kind === 'tombstone', ...(f.uri != null ? { uri: f.uri } : {}) }
    } catch { return undefined }
  }

  // Indexes, as the Writer makes them, for frames this capsule did not index yet.
  const frames = [...scan.frames.entries()].filter(([k]) => !stage.skipped.has(k))
  const added: string[] = []
  for (let i = 0; i < frames.length; i += LOOKUP_CHUNK) {
    const part = frames.slice(i, i + LOOKUP_CHUNK)
    const owners = await c.store.subs.f.getMany(part.map(([k]) => k))
    for (let j = 0; j < part.length; j++) {
      const [k, stated] = part[j]
      if (owners[j] === id) continue
      added.push(k)
      if (owners[j] == null) batch.puts.push({ sub: 'f', key: k, value: id })
      const meta = stated.sealed != null ? await openMeta(k) : stated
      if (meta == null) continue
      batch.puts.push({ sub: 't', key: `${id}!${timeKey(meta.time)}!${k}`, value: '' })
      if (meta.uri != null) batch.puts.push({ sub: 'u', key: `${meta.uri}\u0000${k}`, value: '' })
    }
  }
  const forgotten = [...scan.forgotten]
  const known = forgotten.length > 0 ? await c.store.subs.g.getMany(forgotten) : []
  let forgottenAdded = 0
  for (let i = 0; i < forgotten.length; i++) {
    if (known[i] != null || await c.store.hasBlock(CID.parse(forgotten[i]))) continue
    batch.puts.push({ sub: 'g', key: forgotten[i], value: id })
    forgottenAdded++
  }
  const commitsAdded = [...scan.commits.keys()].filter(k => stage.added.has(k))
  // Frames added get a write sequence number and journal entry, as the Writer's do, so a crash
  // between this write and indexing is caught up by the search index on next open.
  const journal = added.length > 0 ? await c.writer.journal([{ capsule: id, frames: added }]) : undefined
  if (journal != null) batch.puts.push(...journal.puts)
  if (created || moved || batch.blocks.length > 0 || batch.puts.length > 0) await c.store.write(batch)
  journal?.written()

  if (created) c.refs.rememberRecord(rec)
  for (const [b, hs] of Object.entries(branches)) c.refs.setHeads(id, b, hs.map(h => CID.parse(h)))
  if (emit != null && added.length > 0) {
    const commits = commitsAdded.map(k => CID.parse(k))
    for (let i = 0; i < added.length; i += LOOKUP_CHUNK) {
      const blocks: Array<EncodedBlock<Frame>> = []
      for (const k of added.slice(i, i + LOOKUP_CHUNK)) {
        const cid = CID.parse(k)
        const bytes = await c.store.getBlock(cid)
        const value: unknown = decodeBlockUnsafe(cid, bytes)
        if (!isSealedShape(value)) { blocks.push({ cid, bytes, value: validateFrame(value) }); continue }
        try { if (open != null) blocks.push({ cid, bytes, value: open(validateSealed(value)) }) } catch {} // no key here: not searchable
      }
      await emit([{ capsule: id, branch: Object.keys(branches)[0] ?? DEFAULT_BRANCH, frames: blocks, commits, previousHeads: [] }])
    }
  }
  return {
    capsule: id,
    name,
    created,
    encrypted: scan.encrypted,
    branches,
    commits: { total: scan.commits.size, added: commitsAdded.length },
    frames: { total: scan.frames.size, added: added.length, forgotten: forgottenAdded }
  }
}
