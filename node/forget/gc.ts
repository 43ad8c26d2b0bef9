// gc: deletes the blocks of frames that left every state for good. A frame goes when a tombstone
// reachable from some branch head names it and no branch of any capsule holds it live (or, with
// `superseded`, when a newer version replaced it everywhere). Its block and its index entries
// (f, t, u) go in one atomic write, and a `g` record keeps its CID as forgotten, so history
// walks, verify and exports know the hole is on purpose. Capsules with a retention rule first
// get tombstones for live frames older than the rule allows.
import { CID } from 'multiformats/cid'
import type { Frame } from '../../dag/index.js'
import { Store, type StoreBatch } from '../store/index.js'
import { timeKey } from '../capsules/index.js'
import { forgetFrames, shredForgotten } from './forget.js'
import type { ForgetComponents, GcOptions, GcResult } from './interface.js'

/** A frame block and its size; undefined when absent or unreadable here (a private capsule's frame without its key). */
async function readFrame (c: ForgetComponents, cid: CID, capsule: string): Promise<{ frame: Frame, size: number } | undefined> {
  const bytes = await c.store.getBlockUnsafe(cid)
  if (bytes == null) return undefined
  try { return { frame: await c.readFrame(cid, bytes, capsule), size: bytes.length } } catch { return undefined }
}

/** Live frames older than each capsule's retention rule; tombstoned before the sweep. */
async function retentionTargets (c: ForgetComponents): Promise<string[]> {
  const out: string[] = []
  const now = c.now()
  for (const rec of await c.capsules.refs.records()) {
    const keep = rec.rules?.retention
    if (keep == null) continue
    const cutoff = now - keep
    if (cutoff <= 0) continue
    const live = new Set<string>()
    for (const b of await c.capsules.refs.branches(rec.id)) for (const k of (await c.capsules.state(rec.id, { branch: b })).live) live.add(k)
    for await (const key of c.store.subs.t.keys({ gte: `${rec.id}!`, lt: `${rec.id}!${timeKey(cutoff)}` })) {
      const cid = key.slice(key.lastIndexOf('!') + 1)
      if (live.has(cid)) out.push(cid)
    }
  }
  return out
}

/**
 * Applies retention, then deletes the blocks of forgotten frames.
 *
 * @example
 * ```ts
 * await node.forget(['bafy…'])
 * const { deleted } = await node.gc()
 * ```
 */
export async function collectGarbage (c: ForgetComponents, opts: GcOptions = {}): Promise<GcResult> {
  const expiredByRetention = await retentionTargets(c)
  if (expiredByRetention.length > 0) await forgetFrames(c, expiredByRetention)
  return await c.capsules.writer.exclusive(async () => {
    const records = await c.capsules.refs.records()
    const liveAnywhere = new Set<string>()
    const removedBy = new Map<string, Set<string>>()
    for (const rec of records) {
      const removed = new Set<string>()
      for (const b of await c.capsules.refs.branches(rec.id)) {
        const s = await c.capsules.state(rec.id, { branch: b })
        for (const k of s.live) liveAnywhere.add(k)
        for (const k of s.removed) removed.add(k)
      }
      removedBy.set(rec.id, removed)
    }
    // Which removed frames go: targets of tombstones (and, when asked, superseded versions).
    const doomed = new Map<string, Set<string>>()
    const doom = (k: string, capsule: string): void => {
      if (liveAnywhere.has(k)) return
      let s = doomed.get(k)
      if (s == null) doomed.set(k, s = new Set())
      s.add(capsule)
    }
    for (const [capsule, removed] of removedBy) {
      for (const k of removed) {
        const r = await readFrame(c, CID.parse(k), capsule)
        if (r == null) continue
        if (r.frame.kind === 'tombstone') { if (r.frame.supersedes != null) doom(r.frame.supersedes.toString(), capsule) } else if (opts.superseded === true) doom(k, capsule)
      }
    }
    const batch: StoreBatch = { blocks: [], puts: [], dels: [] }
    const deleted: string[] = []
    let bytes = 0
    for (const [k, capsules] of doomed) {
      opts.signal?.throwIfAborted()
      const cid = CID.parse(k)
      const owner = await c.store.subs.f.get(k)
      const r = await readFrame(c, cid, owner ?? [...capsules][0])
      // A sealed frame this node holds no key for was never in its timeline or uri index: only its block goes.
      const size = r?.size ?? (await c.store.getBlockUnsafe(cid))?.length
      if (size == null) continue
      if (owner != null) capsules.add(owner)
      const dels = batch.dels as NonNullable<StoreBatch['dels']>
      dels.push({ sub: 'b', key: Store.blockKey(cid) }, { sub: 'f', key: k })
      if (r != null) {
        for (const id of capsules) dels.push({ sub: 't', key: `${id}!${timeKey(r.frame.time)}!${k}` })
        if (r.frame.uri != null) dels.push({ sub: 'u', key: `${r.frame.uri}\u0000${k}` })
      }
      batch.puts.push({ sub: 'g', key: k, value: owner ?? [...capsules][0] })
      deleted.push(k)
      bytes += size
    }
    if (deleted.length > 0) await c.store.write(batch)
    return { deleted, bytes, expiredByRetention }
  }).then(async (r) => ({ ...r, keysDestroyed: await shredForgotten(c, r.deleted) }))
}
