// A small capsule with history worth carrying: two branches, an update, a tombstone, a merge.
import { createNode, type VivimNode } from '../../../node/index.js'
import { tempHome, removeHome } from '../../_helpers.js'

export interface Opened { node: VivimNode, home: string, close: () => Promise<void> }

export async function openNode (now?: () => number): Promise<Opened> {
  const home = await tempHome('vivim-files-')
  const node = await createNode({ home, network: false, now })
  // The search index settles in the background after open (it may write its state): wait for it,
  // so a store digest taken next sees only what the test does.
  await node.search('settle')
  return { node, home, close: async () => { await node.stop(); await removeHome(home) } }
}

/** Fills `notes` with frames on main and a `draft` branch, an update, a tombstone and a merge; returns the frame CIDs. */
export async function buildCapsule (node: VivimNode, name = 'notes', frames = 6): Promise<{ cids: string[], commits: string[] }> {
  const base = Date.parse('2024-03-01T10:00:00Z')
  const { cids } = await node.putMany(Array.from({ length: frames }, (_, i) => ({
    text: `frame ${i}: the climbing trip to Sintra, day ${i}`,
    capsule: name,
    time: base + i * 60_000,
    uri: `test://${name}/${i}`,
    tags: { day: String(i) },
    kind: 'message' as const,
    role: i % 2 === 0 ? 'user' : 'assistant',
    conversation: 'c1'
  })))
  await node.branch(name, 'draft')
  await node.put({ text: 'only on the draft', capsule: name, branch: 'draft', time: base + 100 * 60_000 })
  await node.put({ text: 'frame 0, corrected', capsule: name, supersedes: cids[0], time: base })
  await node.put({ text: '', kind: 'tombstone', capsule: name, supersedes: cids[1] })
  await node.put({ text: 'later on main', capsule: name, time: base + 200 * 60_000 })
  await node.merge(name, { from: 'draft', into: 'draft' })
  const log = await node.log(name)
  return { cids, commits: log.map(c => c.cid) }
}

/** Everything visible about a capsule: per-branch live frames, logs, and the state asOf every commit. */
export async function describeCapsule (node: VivimNode, name: string): Promise<Record<string, unknown>> {
  const info = await node.capsule(name)
  const out: Record<string, unknown> = { id: info.id, branches: [...info.branches].sort() }
  for (const b of info.branches) {
    const log = await node.log(name, { branch: b })
    out[`log:${b}`] = log
    out[`live:${b}`] = [...(await node.state(name, { branch: b })).live].sort()
    for (const c of log) out[`asOf:${b}:${c.cid}`] = [...(await node.state(name, { branch: b, asOf: c.cid })).live].sort()
    const tl = []
    for await (const f of node.timeline(name, { branch: b })) tl.push(f)
    out[`timeline:${b}`] = tl
  }
  return out
}

/** A digest of every key and value in the node's store: equal digests mean nothing changed. */
export async function storeDigest (node: VivimNode): Promise<string> {
  const { createHash } = await import('node:crypto')
  const h = createHash('sha256')
  for await (const [k, v] of node.store.db.iterator({ valueEncoding: 'view' } as any)) {
    h.update(String(k)); h.update('\u0000'); h.update(v as Uint8Array); h.update('\u0001')
  }
  return h.digest('hex')
}

/** Collects an async iterable of bytes. */
export async function collect (it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let n = 0
  for await (const p of it) { parts.push(p); n += p.length }
  const out = new Uint8Array(n)
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}

export { removeHome, tempHome }
