// Forgetting: a tombstone frame (kind 'tombstone', supersedes = target) on every branch where the
// target is live, so it leaves every state from now on. Its bytes stay until gc deletes them.
import { CID } from 'multiformats/cid'
import { DEFAULT_BRANCH } from '../constants.js'
import { FrameNotFoundError, InvalidParametersError } from '../errors.js'
import { NothingToForgetError } from './errors.js'
import type { ForgetComponents, ForgetQuery, ForgetResult } from './interface.js'

/** CIDs a query finds. */
export async function findForQuery (c: ForgetComponents, q: ForgetQuery): Promise<string[]> {
  if (typeof q.query !== 'string' || q.query.trim().length === 0) throw new InvalidParametersError('query must be a non-empty string')
  if (q.search != null) return (await q.search(q.query, { capsule: q.capsule })).map(h => h.cid)
  const needle = q.query.toLocaleLowerCase()
  const ids = q.capsule != null ? [await c.capsules.refs.resolve(q.capsule)] : (await c.capsules.list()).filter(i => i.expired !== true).map(i => i.id)
  const out: string[] = []
  for (const id of ids) {
    for (const branch of await c.capsules.refs.branches(id)) {
      for await (const f of c.capsules.timeline(id, { branch })) {
        if (f.kind === 'tombstone') continue
        if (f.text.toLocaleLowerCase().includes(needle) || (f.title?.toLocaleLowerCase().includes(needle) ?? false)) out.push(f.cid)
      }
    }
  }
  return [...new Set(out)]
}

/**
 * Tombstones frames by CID on every branch where they are live (on the main branch when they
 * are live nowhere, so gc still finds them), one commit per capsule and branch.
 *
 * @throws {FrameNotFoundError} when a CID is not a frame of this node
 * @throws {NothingToForgetError} when the list is empty
 */
export async function forgetFrames (c: ForgetComponents, targets: string[]): Promise<ForgetResult> {
  if (!Array.isArray(targets)) throw new TypeError('targets must be an array of CIDs')
  if (targets.length === 0) throw new NothingToForgetError()
  const result: ForgetResult = { forgotten: [], tombstones: [], already: [], keysDestroyed: 0 }
  const jobs: Array<{ text: string, kind: 'tombstone', supersedes: string, capsule: string, branch: string }> = []
  for (const t of [...new Set(targets)]) {
    let cid: CID
    try { cid = CID.parse(t) } catch { throw new InvalidParametersError(`"${String(t).slice(0, 80)}" is not a CID`) }
    const key = cid.toString()
    const id = await c.store.subs.f.get(key)
    if (id == null) {
      if ((await c.store.subs.g.get(key)) != null) { result.already.push(key); continue }
      throw new FrameNotFoundError(`${key} is not a frame of this node`)
    }
    const branches = await c.capsules.refs.branches(id)
    let live: string[] = []
    for (const b of branches) if ((await c.capsules.state(id, { branch: b })).live.has(key)) live.push(b)
    if (live.length === 0) live = [branches.includes(DEFAULT_BRANCH) ? DEFAULT_BRANCH : branches[0]]
    for (const b of live) jobs.push({ text: '', kind: 'tombstone', supersedes: key, capsule: id, branch: b })
    result.forgotten.push(key)
  }
  // Through the node's putMany, so a private capsule's tombstones are sealed like its other frames.
  if (jobs.length > 0) result.tombstones = [...new Set((await c.putMany(jobs)).cids)]
  return result
}

/**
 * Destroys the keys of sealed frames whose blocks are gone (`g` names their capsule): run after
 * the sweep, which still reads them to drop their index entries.
 */
export async function shredForgotten (c: ForgetComponents, cids: string[]): Promise<number> {
  if (c.shred == null || cids.length === 0) return 0
  const capsules = await c.store.subs.g.getMany(cids)
  const by = new Map<string, string[]>()
  cids.forEach((k, i) => {
    const id = capsules[i]
    if (id == null) return
    const l = by.get(id)
    if (l == null) by.set(id, [k]); else l.push(k)
  })
  let n = 0
  for (const [capsule, list] of by) n += await c.shred(capsule, list)
  return n
}
