// Writing a capsule file: the manifest, the genesis, then each commit of the history followed by
// the frames it adds, streamed from the store as a CAR v1 in bounded memory: one block at a time,
// and the sets of commits visited and frames written in a ledger that spills to a temporary
// database past a size. The roots are the head commits and the manifest.
import { CID } from 'multiformats/cid'
import { decodeCommit, headsAsOfTime, reduceHeads, verifyBlock, type Commit, type Genesis } from '../../dag/index.js'
import { Store, BlockNotFoundError } from '../store/index.js'
import { DEFAULT_BRANCH } from '../constants.js'
import { CapsuleExpiredError, InvalidParametersError } from '../errors.js'
import { carHeader, carSection } from './car.js'
import { createManifest } from './manifest.js'
import { encryptStream } from './encrypted.js'
import { rechunk } from './_bytes.js'
import { DEFAULT_WRITE_CHUNK } from './constants.js'
import { cidKey } from '../../dag/index.js'
import { ReshareNotAllowedError } from './errors.js'
import type { ExportOptions, ExportResult, FilesComponents } from './interface.js'
import { Ledger } from './ledger.js'

/** Commits loaded at a time by the history walk (as dag's `ancestors`). */
const WALK_PARALLELISM = 8

/** dag's `ancestors` (the same order), with its set of commits seen kept in `ledger` under `S`. */
async function * walk (heads: CID[], load: (cid: CID) => Promise<Commit>, ledger: Ledger): AsyncGenerator<{ cid: CID, commit: Commit }> {
  const stack: CID[] = [...heads]
  while (stack.length > 0) {
    const wave: CID[] = []
    while (stack.length > 0 && wave.length < WALK_PARALLELISM) {
      const cid = stack.pop() as CID
      const key = 'S' + cidKey(cid)
      if (await ledger.has(key)) continue
      await ledger.put(key)
      wave.push(cid)
    }
    const commits = await Promise.all(wave.map(async cid => await load(cid)))
    for (let i = 0; i < wave.length; i++) {
      yield { cid: wave[i], commit: commits[i] }
      for (const p of commits[i].parents) if (!(await ledger.has('S' + cidKey(p)))) stack.push(p)
    }
  }
}

/** A planned export: what the roots and manifest are, and the byte stream that writes them. */
export interface ExportPlan {
  result: ExportResult
  bytes: AsyncIterable<Uint8Array>
}

/** Heads to export per branch, honouring `branch` and `asOf`. */
async function branchHeads (c: FilesComponents, id: string, opts: ExportOptions): Promise<Record<string, CID[]>> {
  const out: Record<string, CID[]> = {}
  if (opts.asOf !== undefined) {
    const branch = opts.branch ?? DEFAULT_BRANCH
    const heads = await c.refs.heads(id, branch)
    if (typeof opts.asOf === 'string') {
      let commit: CID
      try { commit = CID.parse(opts.asOf) } catch { throw new InvalidParametersError(`asOf "${opts.asOf}" is neither a commit CID nor a time`) }
      if ((await c.refs.loadCommit(commit)).capsule.toString() !== id) throw new InvalidParametersError(`Commit ${opts.asOf} belongs to another capsule`)
      out[branch] = [commit]
    } else {
      const t = opts.asOf instanceof Date ? opts.asOf.getTime() : opts.asOf
      if (!Number.isFinite(t)) throw new InvalidParametersError('asOf is an invalid time')
      out[branch] = await reduceHeads(await headsAsOfTime(heads, t, c.refs.loadCommit), c.refs.loadCommit)
    }
    return out
  }
  const branches = opts.branch != null ? [opts.branch] : await c.refs.branches(id)
  for (const b of branches) out[b] = await c.refs.heads(id, b)
  return out
}

/** Refuses an export the owner's rules forbid. */
export function checkExportRules (genesis: Genesis, did: string, now: number): void {
  const rules = genesis.rules
  if (rules?.expires != null && rules.expires <= now) throw new CapsuleExpiredError(`Capsule "${genesis.name}" expired at ${new Date(rules.expires).toISOString()}`)
  if (rules?.reshare === false && genesis.owner !== did) throw new ReshareNotAllowedError(`The owner of "${genesis.name}" (${genesis.owner}) does not allow re-sharing it`)
}

/**
 * Plans an export and returns its byte stream (encrypted when asked). Nothing is read past the
 * refs until the stream is consumed.
 *
 * @throws {CapsuleNotFoundError} | {BranchNotFoundError} | {CapsuleExpiredError} | {ReshareNotAllowedError} | {InvalidParametersError}
 */
export async function planExport (c: FilesComponents, nameOrId: string, opts: ExportOptions = {}): Promise<ExportPlan> {
  const id = await c.refs.resolve(nameOrId)
  const genesis = await c.refs.loadGenesis(id)
  const genesisCid = CID.parse(id)
  const genesisBytes = await c.store.getBlock(genesisCid)
  checkExportRules(genesis, c.signer.did, c.now())
  const branches = await branchHeads(c, id, opts)
  const forgotten: CID[] = []
  for await (const [k, v] of c.store.subs.g.iterator()) if (v === id) forgotten.push(CID.parse(k))
  const forgottenSet = new Set(forgotten.map(String))
  const epochs = (await c.epochBlocks(id)).map(k => CID.parse(k))
  // A private capsule's frame keys travel as bundles under its latest epoch key, made for this file.
  const bundles = await c.frameKeyBundles(id, (k) => forgottenSet.has(k))
  const keyring = [...epochs, ...bundles.map(b => b.cid)]
  const manifest = createManifest({ capsule: genesisCid, branches, forgotten, keyring, exporter: c.signer, time: c.now() })
  const heads = [...new Map(Object.values(branches).flat().map(h => [h.toString(), h])).values()].sort((a, b) => a.toString() < b.toString() ? -1 : 1)
  const roots = [...heads, manifest.cid]
  const result: ExportResult = {
    capsule: id,
    roots: roots.map(String),
    manifest: manifest.cid.toString(),
    branches: Object.fromEntries(Object.entries(branches).map(([b, hs]) => [b, hs.map(String)])),
    commits: 0,
    frames: 0,
    forgotten: 0,
    bytes: 0,
    encrypted: opts.encrypt != null
  }
  async function * car (): AsyncGenerator<Uint8Array> {
    yield carHeader(roots)
    yield carSection(manifest.cid, manifest.bytes)
    yield carSection(genesisCid, genesisBytes)
    for (const k of epochs) yield carSection(k, await c.store.getBlock(k))
    for (const b of bundles) yield carSection(b.cid, b.bytes)
    // Commits are read past the node's commit cache: a long history would fill it with every
    // commit's frame CIDs (about 0.5 KB each) and the export would grow with the capsule.
    const load = async (cid: CID): Promise<Commit> => decodeCommit(cid, await c.store.getBlock(cid), c.verifier)
    const ledger = Ledger.temporary()
    try {
      for await (const { cid, commit } of walk(heads, load, ledger)) {
        opts.signal?.throwIfAborted()
        yield carSection(cid, await c.store.getBlock(cid))
        result.commits++
        // The frames it adds (those not written yet), read with one lookup per commit.
        const todo: CID[] = []
        for (const f of commit.frames) {
          const k = 'W' + cidKey(f)
          if (await ledger.has(k)) continue
          await ledger.put(k)
          todo.push(f)
        }
        const all = todo.length > 0 ? await c.store.subs.b.getMany(todo.map(f => Store.blockKey(f))) : []
        for (let i = 0; i < todo.length; i++) {
          const f = todo[i]
          const bytes = all[i]
          if (bytes == null) {
            if (forgottenSet.has(cidKey(f))) { result.forgotten++; continue }
            throw new BlockNotFoundError(`Block ${f.toString()} not found`)
          }
          verifyBlock(f, bytes)
          yield carSection(f, bytes)
          result.frames++
        }
      }
    } finally {
      await ledger.clear()
    }
  }
  async function * counted (src: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const piece of src) { result.bytes += piece.length; yield piece }
  }
  const plain = rechunk(car(), DEFAULT_WRITE_CHUNK)
  return { result, bytes: counted(opts.encrypt != null ? encryptStream(plain, opts.encrypt) : plain) }
}
