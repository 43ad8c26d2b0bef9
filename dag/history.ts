import type { CID } from 'multiformats/cid'
import type { Commit, Frame } from './interface.js'
import { cidKey } from './cid-key.js'

/**
 * What a history walk reads of a commit. A full `Commit` is one; a cache may keep a lighter
 * form whose frame and removal CIDs are strings (a decoded CID costs ten times its string).
 */
export interface WalkCommit {
  parents: CID[]
  time: number
  frames: ReadonlyArray<CID | string>
  removes: ReadonlyArray<CID | string>
}

/** Loads a decoded, verified commit by CID. */
export type CommitLoader<C extends WalkCommit = Commit> = (cid: CID) => Promise<C>

/** A capsule's state at some point of its history: the live frames and what was removed. */
export interface CapsuleState {
  /** CIDs (as strings) of the frames visible at that point. */
  live: Set<string>
  /** CIDs of frames superseded or tombstoned up to that point. */
  removed: Set<string>
  /** How many commits the state covers. */
  commits: number
}

/** Commits loaded at once during a walk: reads overlap instead of waiting one by one. */
const WALK_PARALLELISM = 8

/**
 * Walks every commit reachable from `heads` once, in discovery order (not past commits in
 * `stop`). The walk is iterative (deep histories never overflow the stack) and loads up to
 * WALK_PARALLELISM commits at a time.
 */
export async function * ancestors<C extends WalkCommit> (heads: Iterable<CID>, load: CommitLoader<C>, stop?: ReadonlySet<string>): AsyncGenerator<{ cid: CID, commit: C }> {
  // Commits in `stop` are neither yielded nor walked past.
  const seen = new Set<string>(stop)
  const stack: CID[] = []
  for (const h of heads) stack.push(h)
  while (stack.length > 0) {
    const wave: CID[] = []
    while (stack.length > 0 && wave.length < WALK_PARALLELISM) {
      const cid = stack.pop() as CID
      const key = cid.toString()
      if (seen.has(key)) continue
      seen.add(key)
      wave.push(cid)
    }
    const commits = await Promise.all(wave.map(async cid => await load(cid)))
    for (let i = 0; i < wave.length; i++) {
      yield { cid: wave[i], commit: commits[i] }
      for (const p of commits[i].parents) if (!seen.has(p.toString())) stack.push(p)
    }
  }
}

/**
 * The state a set of heads gives: the union of frames added by every reachable commit,
 * less the union of frames any of them removed. Union on both sides makes merging
 * commutative, associative and idempotent (a two-phase set), whatever the merge order.
 */
export async function stateAt (heads: Iterable<CID>, load: CommitLoader<WalkCommit>): Promise<CapsuleState> {
  const added: string[] = []
  const removed = new Set<string>()
  let commits = 0
  for await (const { commit } of ancestors(heads, load)) {
    commits++
    for (const f of commit.frames) added.push(cidKey(f))
    for (const r of commit.removes) removed.add(cidKey(r))
  }
  const live = new Set<string>()
  for (const f of added) if (!removed.has(f)) live.add(f)
  return { live, removed, commits }
}

/**
 * The state at `heads` from a known state at `base` (a point the history passed through):
 * only the commits above the base are walked and applied, so a capsule of 10,000 commits a few
 * writes past its checkpoint reads a few commits. Undefined when that is not certain: a walk
 * that meets a merge (its other side may reach below the base) or ends without meeting the
 * base (it is not an ancestor); the caller then walks the whole history.
 */
export async function stateFrom (base: { heads: string[], state: CapsuleState }, heads: Iterable<CID>, load: CommitLoader<WalkCommit>): Promise<CapsuleState | undefined> {
  const stop = new Set(base.heads)
  const met = new Set<string>()
  for (const h of heads) if (stop.has(h.toString())) met.add(h.toString())
  const added: string[] = []
  const removed = new Set(base.state.removed)
  let commits = base.state.commits
  for await (const { commit } of ancestors(heads, load, stop)) {
    if (commit.parents.length !== 1) return undefined
    const parent = commit.parents[0].toString()
    if (stop.has(parent)) met.add(parent)
    commits++
    for (const f of commit.frames) added.push(cidKey(f))
    for (const r of commit.removes) removed.add(cidKey(r))
  }
  // Every base head must lie on the way down: otherwise the base holds what these heads do not.
  if (met.size !== stop.size) return undefined
  const live = new Set<string>()
  for (const f of base.state.live) if (!removed.has(f)) live.add(f)
  for (const f of added) if (!removed.has(f)) live.add(f)
  return { live, removed, commits }
}

/**
 * The commits a capsule had at time `t`: every reachable commit made at or before `t`
 * (their ancestors are pulled in by `stateAt`, so a skewed clock never breaks closure).
 */
export async function headsAsOfTime (heads: Iterable<CID>, t: number, load: CommitLoader<WalkCommit>): Promise<CID[]> {
  const out: CID[] = []
  for await (const { cid, commit } of ancestors(heads, load)) {
    if (commit.time <= t) out.push(cid)
  }
  return out
}

/** True when `ancestor` is reachable from (or equal to) any of `heads`. */
export async function isAncestor (ancestor: CID, heads: Iterable<CID>, load: CommitLoader<WalkCommit>): Promise<boolean> {
  const key = ancestor.toString()
  for await (const { cid } of ancestors(heads, load)) {
    if (cid.toString() === key) return true
  }
  return false
}

/** Drops heads that are ancestors of other heads, so a ref keeps only true tips. */
export async function reduceHeads (heads: CID[], load: CommitLoader<WalkCommit>): Promise<CID[]> {
  const unique = [...new Map(heads.map(h => [h.toString(), h])).values()]
  if (unique.length < 2) return unique
  const out: CID[] = []
  for (const h of unique) {
    const others = unique.filter(o => !o.equals(h))
    const below = new Set<string>()
    for await (const { cid } of ancestors(others.flatMap(o => [o]), load)) below.add(cid.toString())
    if (!below.has(h.toString())) out.push(h)
  }
  return out
}

/** The frames a batch removes: what each supersedes, and each tombstone itself (it is a record, not content). */
export function removalsOf (frames: Array<{ cid: CID, frame: Frame }>): CID[] {
  const out: CID[] = []
  for (const { cid, frame } of frames) {
    if (frame.supersedes != null) out.push(frame.supersedes)
    if (frame.kind === 'tombstone') out.push(cid)
  }
  return out
}
