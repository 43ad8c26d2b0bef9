// The owner's rules, signed into the genesis, enforced on import and on use.
import { describe, it, expect, afterEach } from 'vitest'
import { join } from 'node:path'
import { readFile, writeFile } from 'node:fs/promises'
import { CarReader, CarWriter } from '@ipld/car'
import * as dagCbor from '@ipld/dag-cbor'
import { openNode, storeDigest, collect, type Opened } from './_fixture.js'
import { createManifest } from '../../../node/files/index.js'
import { nativeSigner } from '../../../node/signatures/index.js'
import { Ed25519Key } from '../../../capabilities/index.js'

let opened: Opened[] = []
async function open (now?: () => number): Promise<Opened> { const o = await openNode(now); opened.push(o); return o }
afterEach(async () => { for (const o of opened) await o.close(); opened = [] })

const T0 = Date.parse('2025-06-01T00:00:00Z')
const DAY = 86_400_000

describe('expiry', () => {
  it('before expiry the capsule travels; after it, get, timeline and export refuse, search skips it, and import refuses the file', async () => {
    let clock = T0
    const a = await open(() => clock)
    await a.node.createCapsule('trip', { rules: { expires: T0 + DAY } })
    const { cid } = await a.node.put({ text: 'the hotel in Porto is booked', capsule: 'trip' })
    await a.node.put({ text: 'the hotel in Lisbon is booked', capsule: 'other' })
    const file = join(a.home, 'trip.car')
    await a.node.exportCapsule('trip', file)
    expect(a.node.isServable((await a.node.capsule('trip')).id)).toBe(true)
    expect((await a.node.search('hotel booked')).length).toBe(2)

    clock = T0 + DAY
    const id = (await a.node.capsule('trip')).id
    expect(a.node.isServable(id)).toBe(false)
    expect([...a.node.expiredCapsules()]).toEqual([id])
    expect((await a.node.capsules()).find(c => c.name === 'trip')?.expired).toBe(true)
    expect((await a.node.capsules()).find(c => c.name === 'other')?.expired).toBeUndefined()
    await expect(a.node.get(cid)).rejects.toMatchObject({ name: 'CapsuleExpiredError' })
    await expect(collect((async function * () { for await (const f of a.node.timeline('trip')) yield new TextEncoder().encode(f.text) })())).rejects.toMatchObject({ name: 'CapsuleExpiredError' })
    await expect(a.node.exportCapsule('trip', join(a.home, 'late.car'))).rejects.toMatchObject({ name: 'CapsuleExpiredError' })
    const hits = await a.node.search('hotel booked')
    expect(hits.map(h => h.capsule)).not.toContain(id)
    expect(hits).toHaveLength(1)

    // A node whose clock is past the expiry refuses the file; verifyFile says why.
    const late = await open(() => T0 + 2 * DAY)
    const before = await storeDigest(late.node)
    await expect(late.node.importCapsule(file)).rejects.toMatchObject({ name: 'CapsuleExpiredError' })
    expect(await storeDigest(late.node)).toBe(before)
    const report = await late.node.verifyFile(file)
    expect(report.ok).toBe(false)
    expect(report.problems.map(p => p.error)).toEqual(['CapsuleExpiredError'])
    // In time, it imports, and the expiry travels with it.
    const early = await open(() => T0 + 1000)
    await early.node.importCapsule(file)
    expect(early.node.isServable(id)).toBe(true)
    expect((await early.node.capsule('trip')).rules?.expires).toBe(T0 + DAY)
  })
})

describe('re-sharing', () => {
  it('reshare=false: the owner exports, a holder cannot, and a file re-exported by anyone else is refused', async () => {
    const owner = await open()
    await owner.node.createCapsule('private', { rules: { reshare: false } })
    await owner.node.put({ text: 'only for you', capsule: 'private' })
    const file = join(owner.home, 'private.car')
    await owner.node.exportCapsule('private', file)
    const holder = await open()
    await holder.node.importCapsule(file)
    await expect(holder.node.exportCapsule('private', join(holder.home, 'again.car'))).rejects.toMatchObject({ name: 'ReshareNotAllowedError' })

    // A file whose manifest is signed by someone else (a holder's own tool) is refused on import.
    const reader = await CarReader.fromBytes(await readFile(file))
    const roots = await reader.getRoots()
    const manifestCid = roots[roots.length - 1]
    const blocks = []
    let manifest: any
    for await (const b of reader.blocks()) {
      if (b.cid.equals(manifestCid)) manifest = dagCbor.decode(b.bytes)
      else blocks.push(b)
    }
    const other = nativeSigner(Ed25519Key.generate())
    const forged = createManifest({ capsule: manifest.capsule, branches: manifest.branches, forgotten: [], exporter: other, time: Date.now() })
    const { writer, out } = CarWriter.create([...roots.slice(0, -1), forged.cid])
    const bytes = collect(out)
    await writer.put({ cid: forged.cid as any, bytes: forged.bytes })
    for (const b of blocks) await writer.put(b)
    await writer.close()
    const reshared = join(owner.home, 'reshared.car')
    await writeFile(reshared, await bytes)
    const third = await open()
    const before = await storeDigest(third.node)
    await expect(third.node.importCapsule(reshared)).rejects.toMatchObject({ name: 'ReshareNotAllowedError' })
    expect(await storeDigest(third.node)).toBe(before)
  })
})

describe('retention', () => {
  it('gc tombstones and deletes frames older than the retention rule, and keeps the rest', async () => {
    const now = T0 + 10 * DAY
    const a = await open(() => now)
    await a.node.createCapsule('log', { rules: { retention: 7 * DAY } })
    const { cids } = await a.node.putMany([
      { text: 'old', capsule: 'log', time: T0 },
      { text: 'older', capsule: 'log', time: T0 - DAY },
      { text: 'recent', capsule: 'log', time: now - DAY }
    ])
    const r = await a.node.gc()
    expect(r.expiredByRetention.sort()).toEqual([cids[0], cids[1]].sort())
    expect(r.deleted.sort()).toEqual([cids[0], cids[1]].sort())
    const texts = []
    for await (const f of a.node.timeline('log')) texts.push(f.text)
    expect(texts).toEqual(['recent'])
    await expect(a.node.get(cids[0])).rejects.toMatchObject({ name: 'FrameForgottenError' })
    expect((await a.node.verify()).ok).toBe(true)
  })
})
