import { describe, it, expect, afterEach } from 'vitest'
import { join } from 'node:path'
import { readFile } from 'node:fs/promises'
import { openNode, buildCapsule, describeCapsule, storeDigest, collect, type Opened } from './_fixture.js'

let opened: Opened[] = []
async function open (now?: () => number): Promise<Opened> { const o = await openNode(now); opened.push(o); return o }
afterEach(async () => { for (const o of opened) await o.close(); opened = [] })
const FAST = { logN: 4, r: 1, p: 1 }

describe('export, then import into a fresh home', () => {
  it('frames, history, branches and every asOf state are identical (plain and encrypted), and a second import adds nothing', async () => {
    const a = await open()
    await buildCapsule(a.node)
    const want = await describeCapsule(a.node, 'notes')
    const plain = join(a.home, 'notes.car')
    const sealed = join(a.home, 'notes.vivim')
    await a.node.exportCapsule('notes', plain)
    await a.node.exportCapsule('notes', sealed, { encrypt: { passphrase: 'correct horse', kdf: FAST } })

    for (const [file, passphrase] of [[plain, undefined], [sealed, 'correct horse']] as const) {
      const b = await open()
      const r = await b.node.importCapsule(file, { passphrase })
      expect(r).toMatchObject({ created: true, name: 'notes', encrypted: passphrase != null })
      expect(r.commits.added).toBe(r.commits.total)
      expect(await describeCapsule(b.node, 'notes')).toEqual(want)
      expect((await b.node.verify()).ok).toBe(true)
      const before = await storeDigest(b.node)
      const again = await b.node.importCapsule(file, { passphrase })
      expect(again).toMatchObject({ created: false, commits: { added: 0 }, frames: { added: 0 } })
      expect(await storeDigest(b.node)).toBe(before)
      // And the other form of the same capsule adds nothing either.
      const other = passphrase == null ? sealed : plain
      await b.node.importCapsule(other, { passphrase: 'correct horse' })
      expect(await storeDigest(b.node)).toBe(before)
    }
  })

  it('exports asOf a commit or a time, or one branch; frames are searchable after import', async () => {
    const a = await open()
    await buildCapsule(a.node)
    const log = await a.node.log('notes')
    const mid = log[Math.floor(log.length / 2)]
    const midState = [...(await a.node.state('notes', { asOf: mid.cid })).live].sort()

    const file = join(a.home, 'past.car')
    const r = await a.node.exportCapsule('notes', file, { asOf: mid.cid })
    expect(r.branches).toEqual({ main: [mid.cid] })
    const b = await open()
    await b.node.importCapsule(file)
    expect([...(await b.node.state('notes')).live].sort()).toEqual(midState)
    expect((await b.node.log('notes')).map(c => c.cid)).toEqual((await a.node.log('notes', { asOf: mid.cid })).map(c => c.cid))

    const byTime = join(a.home, 'time.car')
    const t = await a.node.exportCapsule('notes', byTime, { asOf: mid.time })
    expect(t.branches.main.length).toBeGreaterThan(0)

    const draft = join(a.home, 'draft.car')
    const d = await a.node.exportCapsule('notes', draft, { branch: 'draft' })
    expect(Object.keys(d.branches)).toEqual(['draft'])
    const c = await open()
    await c.node.importCapsule(draft)
    expect([...(await c.node.state('notes', { branch: 'draft' })).live].sort()).toEqual([...(await a.node.state('notes', { branch: 'draft' })).live].sort())
    expect((await b.node.search('Sintra climbing')).length).toBeGreaterThan(0)
  })

  it('merges with what the node holds: later commits move the heads forward, concurrent ones stay as two heads', async () => {
    const a = await open()
    await a.node.put({ text: 'one', capsule: 'shared' })
    const first = join(a.home, 'first.car')
    await a.node.exportCapsule('shared', first)
    const b = await open()
    await b.node.importCapsule(first)
    await a.node.put({ text: 'two, written by a', capsule: 'shared' })
    await b.node.put({ text: 'three, written by b', capsule: 'shared' })
    const second = join(a.home, 'second.car')
    await a.node.exportCapsule('shared', second)
    const r = await b.node.importCapsule(second)
    expect(r.branches.main).toHaveLength(2)
    await b.node.merge('shared')
    const texts = []
    for await (const f of b.node.timeline('shared')) texts.push(f.text)
    expect(texts.sort()).toEqual(['one', 'three, written by b', 'two, written by a'])
  })

  it('keeps a taken name: the imported capsule is named name@<end of its id>', async () => {
    const a = await open()
    await a.node.put({ text: 'a note', capsule: 'notes' })
    const file = join(a.home, 'n.car')
    await a.node.exportCapsule('notes', file)
    const b = await open()
    await b.node.put({ text: 'my own notes', capsule: 'notes' })
    const r = await b.node.importCapsule(await readFile(file))
    expect(r.name).toBe(`notes@${r.capsule.slice(-8)}`)
    expect((await b.node.capsules()).map(c => c.name).sort()).toEqual(['notes', r.name])
  })

  it('streams: exportCapsuleStream yields bounded pieces, and import takes bytes, a stream or a path', async () => {
    const a = await open()
    await buildCapsule(a.node, 'notes', 50)
    const { bytes } = await a.node.exportCapsuleStream('notes')
    const pieces: number[] = []
    async function * tap (src: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> { for await (const p of src) { pieces.push(p.length); yield p } }
    const all = await collect(tap(bytes))
    expect(Math.max(...pieces)).toBeLessThanOrEqual(64 * 1024)
    const b = await open()
    async function * drip (): AsyncGenerator<Uint8Array> { for (let i = 0; i < all.length; i += 7) yield all.subarray(i, i + 7) }
    const r = await b.node.importCapsule(drip())
    expect(r.frames.added).toBe(r.frames.total)
    // A web WritableStream sink works too.
    const chunks: Uint8Array[] = []
    await a.node.exportCapsule('notes', new WritableStream<Uint8Array>({ write (c) { chunks.push(c) } }))
    expect((await collect((async function * () { yield * chunks })())).length).toBe(all.length)
  })
})
