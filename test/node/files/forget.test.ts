import { describe, it, expect, afterEach } from 'vitest'
import { join } from 'node:path'
import { openNode, buildCapsule, type Opened } from './_fixture.js'
import { CID } from 'multiformats/cid'

let opened: Opened[] = []
async function open (): Promise<Opened> { const o = await openNode(); opened.push(o); return o }
afterEach(async () => { for (const o of opened) await o.close(); opened = [] })

describe('forget and gc', () => {
  it('a forgotten frame leaves every branch, gc deletes its block, history and verify stay whole', async () => {
    const a = await open()
    const { cids } = await buildCapsule(a.node)
    const target = cids[2] // live on main and on draft
    const old = join(a.home, 'before.car')
    await a.node.exportCapsule('notes', old)
    const pastCommit = (await a.node.log('notes'))[0].cid
    expect((await a.node.search('Sintra day 2')).map(h => h.cid)).toContain(target)

    const r = await a.node.forget(target)
    expect(r.forgotten).toEqual([target])
    for (const b of ['main', 'draft']) expect((await a.node.state('notes', { branch: b })).live.has(target)).toBe(false)
    expect((await a.node.get(target)).cid).toBe(target) // tombstoned, bytes kept until gc

    const g = await a.node.gc()
    expect(g.deleted).toEqual([target])
    expect(await a.node.store.hasBlock(CID.parse(target))).toBe(false)
    expect(await a.node.store.subs.f.get(target)).toBeUndefined()
    await expect(a.node.get(target)).rejects.toMatchObject({ name: 'FrameForgottenError' })
    expect((await a.node.search('Sintra day 2')).map(h => h.cid)).not.toContain(target)
    // Time travel still works; the past state names the CID, the timeline has no bytes to show.
    expect((await a.node.state('notes', { asOf: pastCommit })).live.has(target)).toBe(true)
    const past = []
    for await (const f of a.node.timeline('notes', { asOf: pastCommit })) past.push(f.cid)
    expect(past).not.toContain(target)
    const report = await a.node.verify()
    expect(report).toMatchObject({ ok: true, forgotten: 1 })
    expect((await a.node.forget(target)).already).toEqual([target])
    expect((await a.node.gc()).deleted).toEqual([])

    // The export names it as forgotten; the importer records the hole and verifies clean.
    const file = join(a.home, 'after.car')
    expect((await a.node.exportCapsule('notes', file)).forgotten).toBe(1)
    expect((await a.node.verifyFile(file)).forgotten).toBe(1)
    const b = await open()
    expect((await b.node.importCapsule(file)).frames.forgotten).toBe(1)
    await expect(b.node.get(target)).rejects.toMatchObject({ name: 'FrameForgottenError' })
    expect(await b.node.verify()).toMatchObject({ ok: true, forgotten: 1 })

    // An old export brought back does not resurrect what was forgotten.
    await a.node.importCapsule(old)
    expect(await a.node.store.hasBlock(CID.parse(target))).toBe(false)
    await expect(a.node.get(target)).rejects.toMatchObject({ name: 'FrameForgottenError' })
    expect((await a.node.verify()).ok).toBe(true)
  })

  it('the query form forgets what a substring (or a given search) finds; bad targets are refused', async () => {
    const a = await open()
    const { cids } = await a.node.putMany([
      { text: 'my passport number is X123', capsule: 'p' },
      { text: 'the passport office opens at 9', capsule: 'q' },
      { text: 'nothing to see', capsule: 'p' }
    ])
    const r = await a.node.forget({ query: 'PASSPORT', capsule: 'p' }, { gc: true })
    expect(r.forgotten).toEqual([cids[0]])
    expect(r.gc?.deleted).toEqual([cids[0]])
    const viaSearch = await a.node.forget({ query: 'office', search: async (q: string) => await a.node.search(q) })
    expect(viaSearch.forgotten).toEqual([cids[1]])
    await expect(a.node.forget('bafyreib3jxnkc4pgw3vqjkm4sgbg6d5zspxkzgl6j7pyqgeh7hmnpaqnn4')).rejects.toMatchObject({ name: 'FrameNotFoundError' })
    await expect(a.node.forget('not a cid')).rejects.toMatchObject({ name: 'InvalidParametersError' })
    await expect(a.node.forget([])).rejects.toMatchObject({ name: 'NothingToForgetError' })
  })

  it('gc keeps older versions of updated frames unless asked (superseded)', async () => {
    const a = await open()
    const { cid } = await a.node.put({ text: 'v1', capsule: 'c' })
    await a.node.put({ text: 'v2', capsule: 'c', supersedes: cid })
    expect((await a.node.gc()).deleted).toEqual([])
    expect((await a.node.get(cid)).text).toBe('v1')
    expect((await a.node.gc({ superseded: true })).deleted).toEqual([cid])
    expect(await a.node.store.getBlockUnsafe(CID.parse(cid))).toBeUndefined()
  })
})
