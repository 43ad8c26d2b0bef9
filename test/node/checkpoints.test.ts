import { describe, it, expect, afterEach } from 'vitest'
import { CID } from 'multiformats/cid'
import { createNode, type VivimNode } from '../../node/index.js'
import type { CapsuleState } from '../../dag/index.js'
import { Store } from '../../node/store/index.js'
import { CHECKPOINT_MIN_COMMITS } from '../../node/constants.js'
import { loadCheckpoint, saveCheckpoint } from '../../node/capsules/checkpoints.js'
import { tempHome, removeHome } from '../_helpers.js'

let homes: string[] = []
let nodes: VivimNode[] = []
afterEach(async () => {
  for (const n of nodes) await n.stop()
  for (const h of homes) await removeHome(h)
  homes = []; nodes = []
})

async function open (home: string): Promise<VivimNode> {
  const node = await createNode({ home, network: false, search: false })
  nodes.push(node)
  return node
}

async function stop (node: VivimNode): Promise<void> {
  await node.stop()
  nodes = nodes.filter(n => n !== node)
}

/** A capsule of more commits than a checkpoint needs, one superseded and one tombstoned frame among them. */
async function history (node: VivimNode): Promise<string[]> {
  const cids: string[] = []
  for (let i = 0; i < CHECKPOINT_MIN_COMMITS + 6; i++) cids.push((await node.put({ text: `note ${i}`, capsule: 'notes' })).cid)
  await node.put({ text: 'note 0, corrected', capsule: 'notes', supersedes: cids[0] })
  await node.put({ kind: 'tombstone', text: '', capsule: 'notes', supersedes: cids[1] })
  return cids
}

async function withStore<T> (home: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const s = new Store(home)
  await s.open()
  try { return await fn(s) } finally { await s.close() }
}

const sorted = (s: Iterable<string>): string[] => [...s].sort()

/** Keys of the stored checkpoints (read with the node stopped). */
async function checkpointKeys (home: string): Promise<string[]> {
  return await withStore(home, async s => { const keys: string[] = []; for await (const k of s.subs.x.keys()) keys.push(k); return keys })
}

/** Drops every checkpoint, walks the whole log in a fresh node, and compares with `state`. */
async function expectSameAsWalk (home: string, state: CapsuleState): Promise<void> {
  await withStore(home, async s => { await s.subs.x.clear() })
  const node = await open(home)
  const walked = await node.state('notes')
  expect(sorted(state.live)).toEqual(sorted(walked.live))
  expect(sorted(state.removed)).toEqual(sorted(walked.removed))
  expect(state.commits).toBe(walked.commits)
}

describe('state checkpoints', () => {
  it('the state saved on stop is read back on open without walking the commit log', async () => {
    const home = await tempHome(); homes.push(home)
    let node = await open(home)
    await history(node)
    const before = await node.state('notes')
    const live = sorted(before.live)
    const removed = sorted(before.removed)
    const log = await node.log('notes')
    await stop(node)

    // Delete the oldest commit's block: a walk of the log now fails, a checkpoint read does not.
    const oldest = log[log.length - 1].cid
    await withStore(home, async s => { await s.db.del('!b!' + Store.blockKey(CID.parse(oldest))) })
    node = await open(home)
    const after = await node.state('notes')
    expect(sorted(after.live)).toEqual(live)
    expect(sorted(after.removed)).toEqual(removed)
    expect(after.commits).toBe(before.commits)
    await expect(node.log('notes')).rejects.toMatchObject({ name: 'BlockNotFoundError' })
  })

  it('a branch a few commits past its checkpoint walks only those commits', async () => {
    const home = await tempHome(); homes.push(home)
    let node = await open(home)
    await history(node)
    const log = await node.log('notes')
    await stop(node) // checkpoint at these heads
    node = await open(home)
    const a = (await node.put({ text: 'after one', capsule: 'notes' })).cid
    const b = (await node.put({ text: 'after two', capsule: 'notes', supersedes: a })).cid
    await stop(node) // state never asked for: the checkpoint stays two commits behind

    // Without the oldest commit a full walk fails: the state still comes, from the checkpoint and two commits.
    await withStore(home, async s => { await s.db.del('!b!' + Store.blockKey(CID.parse(log[log.length - 1].cid))) })
    node = await open(home)
    const st = await node.state('notes')
    expect(st.live.has(b)).toBe(true)
    expect(st.live.has(a)).toBe(false)
    expect(st.removed.has(a)).toBe(true)
    expect(st.commits).toBe(log.length + 2)
    await expect(node.log('notes')).rejects.toMatchObject({ name: 'BlockNotFoundError' })
  })

  it('past a merge, or with random edits on branches, the state equals a full walk', async () => {
    const home = await tempHome(); homes.push(home)
    let node = await open(home)
    const cids = await history(node)
    await stop(node)
    node = await open(home)
    await node.branch('notes', 'side')
    const s1 = (await node.put({ text: 'on the side', capsule: 'notes', branch: 'side' })).cid
    await node.put({ text: 'on main', capsule: 'notes' })
    await node.put({ text: '', kind: 'tombstone', capsule: 'notes', branch: 'side', supersedes: cids[5] })
    await node.merge('notes', { from: 'side' })
    await stop(node)
    node = await open(home)
    const viaCheckpoint = await node.state('notes')
    expect(viaCheckpoint.live.has(s1)).toBe(true)
    expect(viaCheckpoint.live.has(cids[5])).toBe(false)
    await stop(node)
    await expectSameAsWalk(home, viaCheckpoint)
  })

  it('a checkpoint of heads the branch has moved past is caught up; a damaged one is ignored', async () => {
    const home = await tempHome(); homes.push(home)
    let node = await open(home)
    await history(node)
    await node.state('notes')
    await stop(node) // saves the checkpoint at these heads

    // Heads move on in a session that never asks for the state: the checkpoint stays behind.
    node = await open(home)
    const { cid } = await node.put({ text: 'written after the checkpoint', capsule: 'notes' })
    await stop(node)
    node = await open(home)
    const moved = await node.state('notes')
    expect(moved.live.has(cid)).toBe(true)
    const expected = sorted(moved.live)
    await stop(node) // saves a checkpoint at the new heads

    // A chunk goes missing: the state is walked from the DAG again, and is the same.
    const keys = await checkpointKeys(home)
    expect(keys.length).toBeGreaterThan(1)
    await withStore(home, async s => { await s.subs.x.del(keys.find(k => k.includes('\u0000c')) as string) })
    node = await open(home)
    expect(sorted((await node.state('notes')).live)).toEqual(expected)
    expect((await node.log('notes')).length).toBeGreaterThan(CHECKPOINT_MIN_COMMITS)
  })

  it('a capsule written from its first commit is checkpointed on stop without anyone asking for its state', async () => {
    const home = await tempHome(); homes.push(home)
    let node = await open(home)
    await history(node)
    await stop(node)
    expect((await checkpointKeys(home)).length).toBeGreaterThan(1)
    node = await open(home)
    const st = await node.state('notes')
    expect(st.live.size).toBe(CHECKPOINT_MIN_COMMITS + 5)
    expect(st.removed.size).toBe(3) // the superseded frame, the tombstoned one and the tombstone
    await stop(node)
    await expectSameAsWalk(home, st)
  })

  it('small capsules are not checkpointed', async () => {
    const home = await tempHome(); homes.push(home)
    const node = await open(home)
    for (let i = 0; i < 3; i++) await node.put({ text: `n${i}`, capsule: 'small' })
    await node.state('small')
    await stop(node)
    expect(await checkpointKeys(home)).toEqual([])
  })
})

describe('saveCheckpoint', () => {
  const cids = (n: number, tag: string): string[] => Array.from({ length: n }, (_, i) => `bafy${tag}${i}`)

  it('saves a large state a few chunks at a time, reads it back whole, and a smaller one replaces it without leftovers', async () => {
    const home = await tempHome(); homes.push(home)
    const store = new Store(home)
    await store.open()
    try {
      const big: CapsuleState = { live: new Set(cids(21_000, 'l')), removed: new Set(cids(500, 'r')), commits: 40 }
      await saveCheckpoint(store, 'cap/main', 'h1', big)
      const read = await loadCheckpoint(store, 'cap/main')
      expect(read?.heads).toBe('h1')
      expect([...(read?.state.live ?? [])]).toEqual([...big.live])
      expect([...(read?.state.removed ?? [])]).toEqual([...big.removed])
      expect(read?.state.commits).toBe(40)

      const small: CapsuleState = { live: new Set(cids(5_000, 's')), removed: new Set(), commits: 41 }
      await saveCheckpoint(store, 'cap/main', 'h2', small)
      const again = await loadCheckpoint(store, 'cap/main')
      expect(again?.heads).toBe('h2')
      expect([...(again?.state.live ?? [])]).toEqual([...small.live])
      expect(again?.state.removed.size).toBe(0)
      let chunks = 0
      for await (const key of store.subs.x.keys()) if (key.startsWith('cap/main\u0000c')) chunks++
      expect(chunks).toBe(2)

      // A save cut short after its first writes (the old head gone, some chunks new) is not read.
      await store.write({ blocks: [], puts: [], dels: [{ sub: 'x', key: 'cap/main\u0000h' }] })
      expect(await loadCheckpoint(store, 'cap/main')).toBeUndefined()
    } finally {
      await store.close()
    }
  })
})
