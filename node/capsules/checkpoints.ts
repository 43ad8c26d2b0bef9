import type { CapsuleState } from '../../dag/index.js'
import type { Store, StoreBatch } from '../store/index.js'

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

/** Chunks per write while saving: about 1 MB of JSON held at a time, not the whole state. */
const CHUNKS_PER_WRITE = 4

/**
 * Saves `state` as the checkpoint of `ref` at `heads`, replacing the one held. The old head goes
 * first and the new one last, with the chunks in writes of their own between: a save cut short
 * leaves no head, so no checkpoint is read (loadCheckpoint also checks the chunk count and sizes
 * the head names), and memory holds a few chunks at a time rather than a 200,000-frame state's
 * 11 MB of JSON at once.
 */
export async function saveCheckpoint (store: Store, ref: string, heads: string, state: CapsuleState): Promise<void> {
  const live = state.live.size
  const removed = state.removed.size
  await store.write({ blocks: [], puts: [], dels: [{ sub: 'x', key: headKey(ref) }] })
  let puts: StoreBatch['puts'] = []
  let chunk: string[] = []
  let i = 0
  const flush = async (): Promise<void> => {
    if (chunk.length > 0) puts.push({ sub: 'x', key: chunkKey(ref, i++), value: chunk })
    chunk = []
    if (puts.length >= CHUNKS_PER_WRITE) { await store.write({ blocks: [], puts }); puts = [] }
  }
  for (const set of [state.live, state.removed]) {
    for (const cid of set) {
      chunk.push(cid)
      if (chunk.length === PER_CHUNK) await flush()
    }
  }
  await flush()
  const chunks = i
  const head: Head = { v: FORMAT, heads, live, removed, commits: state.commits, chunks }
  puts.push({ sub: 'x', key: headKey(ref), value: head })
  // Chunks past the new count belong to an older, larger checkpoint.
  const dels: Array<{ sub: 'x', key: string }> = []
  for await (const key of store.subs.x.keys({ gte: chunkKey(ref, chunks), lt: chunkRange(ref).lt })) dels.push({ sub: 'x', key })
  await store.write({ blocks: [], puts, dels })
}
