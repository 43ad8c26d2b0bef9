import type { CapsuleState } from '../../dag/index.js'
import type { Store } from '../store/index.js'

/**
 * State checkpoints: a branch's live and removed frames at some heads, saved when the node
 * stops, so that the first query after opening reads them instead of walking (and
 * signature-checking) every commit of a large capsule. A checkpoint names the heads it
 * describes: once the branch moved on (a session that wrote without saving one, a crash), only
 * the commits above it are walked, or, past a merge, the whole history as always. Derived
 * data only: deleting every checkpoint loses nothing.
 */
const FORMAT = 1
/** Frame CIDs per stored chunk (about 250 KB of JSON). */
const PER_CHUNK = 4000

// Branch names hold no control characters, so NUL cannot join two refs' keys.
const headKey = (ref: string): string => `${ref}\u0000h`
const chunkKey = (ref: string, i: number): string => `${ref}\u0000c${String(i).padStart(6, '0')}`
const chunkRange = (ref: string): { gte: string, lt: string } => ({ gte: `${ref}\u0000c`, lt: `${ref}\u0000d` })

interface Head { v: number, heads: string, live: number, removed: number, commits: number, chunks: number }

/** The checkpoint of `ref` and the heads it describes (a sorted, comma-joined key), or undefined. */
export async function loadCheckpoint (store: Store, ref: string): Promise<{ heads: string, state: CapsuleState } | undefined> {
  const head = await store.subs.x.get(headKey(ref)) as Head | undefined
  if (head == null || head.v !== FORMAT || typeof head.heads !== 'string') return undefined
  const live = new Set<string>()
  const removed = new Set<string>()
  let chunks = 0
  let n = 0
  for await (const [, list] of store.subs.x.iterator(chunkRange(ref))) {
    if (!Array.isArray(list)) return undefined
    chunks++
    for (const cid of list) {
      if (typeof cid !== 'string') return undefined
      if (n++ < head.live) live.add(cid)
      else removed.add(cid)
    }
  }
  if (chunks !== head.chunks || live.size !== head.live || removed.size !== head.removed) return undefined
  return { heads: head.heads, state: { live, removed, commits: head.commits } }
}

/** Saves `state` as the checkpoint of `ref` at `heads`, replacing the one held (one atomic write). */
export async function saveCheckpoint (store: Store, ref: string, heads: string, state: CapsuleState): Promise<void> {
  const all = [...state.live, ...state.removed]
  const puts: Array<{ sub: 'x', key: string, value: unknown }> = []
  for (let i = 0; i * PER_CHUNK < all.length; i++) puts.push({ sub: 'x', key: chunkKey(ref, i), value: all.slice(i * PER_CHUNK, (i + 1) * PER_CHUNK) })
  const head: Head = { v: FORMAT, heads, live: state.live.size, removed: state.removed.size, commits: state.commits, chunks: puts.length }
  puts.push({ sub: 'x', key: headKey(ref), value: head })
  const kept = new Set(puts.map(p => p.key))
  const dels: Array<{ sub: 'x', key: string }> = []
  for await (const key of store.subs.x.keys(chunkRange(ref))) if (!kept.has(key)) dels.push({ sub: 'x', key })
  await store.write({ blocks: [], puts, dels })
}
