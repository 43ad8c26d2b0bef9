import { describe, it, expect, afterEach } from 'vitest'
import { join } from 'node:path'
import { Level } from 'level'
import { createNode, type VivimNode } from '../../node/index.js'
import { tempHome, removeHome } from '../_helpers.js'

let cleanup: Array<() => Promise<void>> = []
afterEach(async () => { for (const c of cleanup) await c(); cleanup = [] })
async function fresh (): Promise<{ node: VivimNode, home: string }> {
  const home = await tempHome()
  const node = await createNode({ home, network: false })
  let stopped = false
  cleanup.push(async () => { if (!stopped) await node.stop(); await removeHome(home) })
  return { node, home }
}

const day = (d: string): number => Date.parse(`${d}T12:00:00Z`)

describe('node.search', () => {
  it('a frame put is found by the next search, in any language', async () => {
    const { node } = await fresh()
    const a = await node.put({ text: 'We adopted a grey cat called Miso' })
    expect((await node.search('cat named miso'))[0]?.cid).toBe(a.cid)
    const es = await node.put({ text: 'Mañana vamos a la montaña con los niños' })
    expect((await node.search('montaña niños'))[0]?.cid).toBe(es.cid)
    const zh = await node.put({ text: '我们下周去上海参加会议' })
    expect((await node.search('上海会议'))[0]?.cid).toBe(zh.cid)
    const emoji = await node.put({ text: 'Party tonight 🎉🍕 at Sam\'s place' })
    expect((await node.search('🍕 party'))[0]?.cid).toBe(emoji.cid)
  })

  it('filters (capsule, tags, uriPrefix, since/until) return exactly the right sets', async () => {
    const { node } = await fresh()
    const docs = [
      { text: 'hiking trip to the alps', capsule: 'travel', tags: { who: 'ana' }, uri: 'chatgpt://c1/1', time: day('2023-05-02') },
      { text: 'hiking boots bought', capsule: 'shopping', tags: { who: 'ana' }, uri: 'claude://c2/1', time: day('2023-05-20') },
      { text: 'hiking in the rain again', capsule: 'travel', tags: { who: 'ben' }, uri: 'chatgpt://c3/1', time: day('2023-07-01') },
      { text: 'hiking plans for autumn', capsule: 'travel', uri: 'note://x', time: day('2023-09-09') }
    ]
    const cids: string[] = []
    for (const d of docs) cids.push((await node.put(d)).cid)
    const set = async (o: any): Promise<string[]> => (await node.search('hiking', { topK: 50, ...o })).map(h => h.cid).sort()
    expect(await set({})).toEqual([...cids].sort())
    expect(await set({ capsule: 'travel' })).toEqual([cids[0], cids[2], cids[3]].sort())
    expect(await set({ capsule: ['shopping'] })).toEqual([cids[1]])
    expect(await set({ tags: { who: 'ana' } })).toEqual([cids[0], cids[1]].sort())
    expect(await set({ uriPrefix: 'chatgpt://' })).toEqual([cids[0], cids[2]].sort())
    expect(await set({ since: day('2023-05-10'), until: day('2023-07-31') })).toEqual([cids[1], cids[2]].sort())
    const hit = (await node.search('boots', { topK: 1 }))[0]
    expect(hit).toMatchObject({ cid: cids[1], text: 'hiking boots bought', uri: 'claude://c2/1', tags: { who: 'ana' }, time: day('2023-05-20'), capsule: (await node.capsule('shopping')).id })
    expect(typeof hit.snippet).toBe('string')
    expect(hit.score).toBeGreaterThan(0)
  })

  it('supersede and tombstone hide frames now, and asOf shows the past exactly', async () => {
    const { node } = await fresh()
    const old = await node.put({ text: 'my dentist is Dr Lopez', capsule: 'health' })
    const [c1] = await node.log('health')
    const upd = await node.put({ text: 'my dentist is Dr Alvarez now', capsule: 'health', supersedes: old.cid })
    const [c2] = await node.log('health')
    await node.put({ text: '', kind: 'tombstone', capsule: 'health', supersedes: upd.cid })
    const cidsOf = async (o: any = {}): Promise<string[]> => (await node.search('dentist', { topK: 10, ...o })).map(h => h.cid)
    expect(await cidsOf()).toEqual([])
    expect(await cidsOf({ asOf: c1.cid })).toEqual([old.cid])
    expect(await cidsOf({ asOf: c2.cid })).toEqual([upd.cid])
    expect(await cidsOf({ asOf: c2.time })).toEqual([upd.cid])
  })

  it('frames on other branches are not seen until merged', async () => {
    const { node } = await fresh()
    await node.put({ text: 'base', capsule: 'c' })
    await node.branch('c', 'draft')
    const d = await node.put({ text: 'secret draft about volcanoes', capsule: 'c', branch: 'draft' })
    expect(await node.search('volcanoes')).toEqual([])
    await node.merge('c', { from: 'draft' })
    expect((await node.search('volcanoes')).map(h => h.cid)).toEqual([d.cid])
  })

  it('an index deleted on disk is rebuilt from the DAG with identical results', async () => {
    const home = await tempHome()
    cleanup.push(async () => { await removeHome(home) })
    let node = await createNode({ home, network: false })
    const topics = ['sailing', 'baking bread', 'learning Rust', 'tax return', 'climbing']
    await node.putMany(Array.from({ length: 300 }, (_, i) => ({ text: `note ${i} about ${topics[i % 5]} and ${topics[(i * 3) % 5]}`, time: 1_600_000_000_000 + i * 1000 })))
    const queries = ['sailing', 'bread', 'rust tax', 'climbing note 42']
    const before = []
    for (const q of queries) before.push(await node.search(q, { topK: 10 }))
    await node.stop()

    const db = new Level(join(home, 'store'))
    const s = db.sublevel('s')
    await s.clear()
    await db.close()

    node = await createNode({ home, network: false })
    const after = []
    for (const q of queries) after.push(await node.search(q, { topK: 10 }))
    await node.stop()
    expect(after).toEqual(before)
    expect(before[0].length).toBeGreaterThan(0)
  })

  it('a node without search stores frames lean; reopened with search, it indexes them from the DAG', async () => {
    const home = await tempHome()
    cleanup.push(async () => { await removeHome(home) })
    let node = await createNode({ home, network: false, search: false })
    const { cid } = await node.put({ text: 'the heron stood in the shallow water' })
    await expect(node.search('heron')).rejects.toMatchObject({ name: 'SearchDisabledError' })
    await expect(node.context('heron')).rejects.toMatchObject({ name: 'SearchDisabledError' })
    await node.stop()
    node = await createNode({ home, network: false })
    expect((await node.search('heron')).map(h => h.cid)).toEqual([cid])
    await node.stop()
  })

  it('context stays within the budget and cites frame CIDs', async () => {
    const { node } = await fresh()
    const { cids } = await node.putMany(Array.from({ length: 40 }, (_, i) => ({ text: `Day ${i}: I worked on the garden project, planting tomatoes and basil, row ${i}.`, kind: 'message' as const, role: i % 2 === 0 ? 'user' : 'assistant', conversation: 'g' })))
    for (const budget of [64, 200, 1000]) {
      const ctx = await node.context('How is my garden project going?', { budget })
      expect(ctx.tokens).toBeLessThanOrEqual(budget)
      for (const c of ctx.citations) expect(cids).toContain(c.cid)
    }
    const big = await node.context('How is my garden project going?', { budget: 1000 })
    expect(big.citations.length).toBeGreaterThan(0)
    expect(big.text).toContain('garden')
  })
})
