import { describe, it, expect, afterEach } from 'vitest'
import fc from 'fast-check'
import { createNode, type VivimNode } from '../../node/index.js'
import { tempHome, removeHome, prng } from '../_helpers.js'

let cleanup: Array<() => Promise<void>> = []
async function open (now?: () => number): Promise<VivimNode> {
  const home = await tempHome()
  const node = await createNode({ home, network: false, now })
  cleanup.push(async () => { await node.stop(); await removeHome(home) })
  return node
}
afterEach(async () => { for (const c of cleanup) await c(); cleanup = [] })

const sorted = (s: Iterable<string>): string[] => [...s].sort()

describe('time travel', () => {
  it('the state asOf each past commit (by CID and by time) equals what was visible then, supersede and tombstone included', async () => {
    const seed = 20261121
    const rand = prng(seed)
    let clock = 1_000_000
    const node = await open(() => clock)
    const model = new Set<string>()
    const snapshots: Array<{ commit: string, time: number, live: string[] }> = []
    for (let step = 0; step < 60; step++) {
      clock += 1000
      const live = [...model]
      const r = rand()
      if (r < 0.55 || live.length === 0) {
        const n = 1 + Math.floor(rand() * 4)
        const { cids } = await node.putMany(Array.from({ length: n }, (_, i) => ({ text: `s${step} f${i}`, capsule: 'tt' })))
        cids.forEach(c => model.add(c))
      } else if (r < 0.8) {
        const target = live[Math.floor(rand() * live.length)]
        const { cid } = await node.put({ text: `update of ${target}`, capsule: 'tt', supersedes: target })
        model.delete(target); model.add(cid)
      } else {
        const target = live[Math.floor(rand() * live.length)]
        await node.put({ text: '', kind: 'tombstone', capsule: 'tt', supersedes: target })
        model.delete(target)
      }
      const [head] = await node.log('tt', { limit: 1 })
      snapshots.push({ commit: head.cid, time: clock, live: sorted(model) })
    }
    expect(sorted((await node.state('tt')).live), `seed ${seed}`).toEqual(sorted(model))
    for (const s of snapshots) {
      expect(sorted((await node.state('tt', { asOf: s.commit })).live), `asOf ${s.commit} (seed ${seed})`).toEqual(s.live)
      expect(sorted((await node.state('tt', { asOf: s.time })).live), `asOf time ${s.time}`).toEqual(s.live)
      expect(sorted((await node.state('tt', { asOf: new Date(s.time + 500) })).live)).toEqual(s.live)
    }
    expect((await node.state('tt', { asOf: 0 })).live.size).toBe(0)
    // The timeline shows exactly the live frames, in time order.
    const tl = []
    for await (const f of node.timeline('tt')) tl.push(f)
    expect(sorted(tl.map(f => f.cid))).toEqual(sorted(model))
    expect(tl.map(f => f.time)).toEqual([...tl.map(f => f.time)].sort((a, b) => a - b))
  })

  it('timeline asOf a commit shows that commit\'s frames, and since/until/limit/reverse filter', async () => {
    const node = await open()
    const { cids } = await node.putMany([1, 2, 3, 4, 5].map(i => ({ text: `t${i}`, time: i * 1000, capsule: 'c' })))
    const [first] = await node.log('c')
    await node.put({ text: 'later', time: 6000, capsule: 'c' })
    const all = []; for await (const f of node.timeline('c')) all.push(f.text)
    expect(all).toEqual(['t1', 't2', 't3', 't4', 't5', 'later'])
    const past = []; for await (const f of node.timeline('c', { asOf: first.cid })) past.push(f.cid)
    expect(past).toEqual(cids)
    const window = []; for await (const f of node.timeline('c', { since: 2000, until: 4000 })) window.push(f.text)
    expect(window).toEqual(['t2', 't3', 't4'])
    const newest = []; for await (const f of node.timeline('c', { reverse: true, limit: 2 })) newest.push(f.text)
    expect(newest).toEqual(['later', 't5'])
  })
})

describe('branches and merges', () => {
  it('two branches written apart merge to the union, whatever the order of merging', async () => {
    // Property: for generated writes on branches a and b, merging a then b equals b then a,
    // and both equal the union of what each branch saw (with removals applied).
    const seed = 424242
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ branch: fc.constantFrom('a', 'b', 'main'), op: fc.constantFrom('add', 'add', 'supersede', 'tombstone'), pick: fc.nat() }), { minLength: 1, maxLength: 12 }),
      async (ops) => {
        const node = await open()
        await node.put({ text: 'base', capsule: 'm' })
        await node.branch('m', 'a'); await node.branch('m', 'b')
        const expectLive = new Set<string>((await node.state('m')).live)
        const removed = new Set<string>()
        let n = 0
        for (const o of ops) {
          const live = [...(await node.state('m', { branch: o.branch })).live]
          if (o.op === 'add' || live.length === 0) {
            const { cid } = await node.put({ text: `x${n++}`, capsule: 'm', branch: o.branch, time: 1 })
            expectLive.add(cid)
          } else {
            const target = live[o.pick % live.length]
            const { cid } = await node.put({ text: o.op === 'tombstone' ? '' : `u${n++}`, kind: o.op === 'tombstone' ? 'tombstone' : 'note', capsule: 'm', branch: o.branch, supersedes: target, time: 1 })
            removed.add(target)
            if (o.op !== 'tombstone') expectLive.add(cid)
          }
        }
        // The same writes merged in both orders, into main and into a copy of main.
        await node.branch('m', 'alt')
        for (const b of ['a', 'b']) await node.merge('m', { from: b })
        for (const b of ['b', 'a']) await node.merge('m', { from: b, into: 'alt' })
        const viaAB = sorted((await node.state('m')).live)
        const viaBA = sorted((await node.state('m', { branch: 'alt' })).live)
        expect(viaAB).toEqual(sorted([...expectLive].filter(c => !removed.has(c))))
        expect(viaBA).toEqual(viaAB)
        // Merging again changes nothing (idempotent), and merging the two results agrees too.
        expect((await node.merge('m', { from: 'a' })).commit).toBeUndefined()
        await node.merge('m', { from: 'alt' })
        expect(sorted((await node.state('m')).live)).toEqual(viaAB)
      }
    ), { seed, numRuns: 15 })
  })

  it('a branch behind main fast-forwards; branch names and missing branches are checked', async () => {
    const node = await open()
    await node.put({ text: 'x', capsule: 'm' })
    await node.branch('m', 'feature')
    await node.put({ text: 'y', capsule: 'm', branch: 'feature' })
    const r = await node.merge('m', { from: 'feature' })
    expect(r.fastForward).toBe(true)
    expect((await node.state('m')).live.size).toBe(2)
    await expect(node.branch('m', 'feature')).rejects.toMatchObject({ name: 'AlreadyExistsError' })
    await expect(node.branch('m', 'bad\u0001name')).rejects.toMatchObject({ name: 'InvalidParametersError' })
    await expect(node.merge('m', { from: 'nope' })).rejects.toMatchObject({ name: 'BranchNotFoundError' })
    expect((await node.capsule('m')).branches.sort()).toEqual(['feature', 'main'])
  })
})
