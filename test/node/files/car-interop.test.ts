// A capsule file is an ordinary CAR v1: read here with @ipld/car, @ipld/dag-cbor and multiformats
// only (no vivim code on the reading side), every block's CID re-derived from its bytes.
import { describe, it, expect, afterEach } from 'vitest'
import { join } from 'node:path'
import { readFile } from 'node:fs/promises'
import { CarReader } from '@ipld/car'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { openNode, buildCapsule, type Opened } from './_fixture.js'

let opened: Opened[] = []
afterEach(async () => { for (const o of opened) await o.close(); opened = [] })

describe('capsule file as CAR v1', () => {
  it('CarReader reads it, every block hashes to its CID, the roots are the heads plus the manifest', async () => {
    const a = await openNode(); opened.push(a)
    const { cids } = await buildCapsule(a.node)
    const file = join(a.home, 'notes.car')
    const exported = await a.node.exportCapsule('notes', file)

    const reader = await CarReader.fromBytes(await readFile(file))
    const roots = (await reader.getRoots()).map(String)
    expect(roots).toEqual(exported.roots)
    let blocks = 0
    const byCid = new Map<string, unknown>()
    for await (const { cid, bytes } of reader.blocks()) {
      blocks++
      expect(cid.version).toBe(1)
      expect(cid.code).toBe(dagCbor.code)
      const again = CID.createV1(dagCbor.code, await sha256.digest(bytes))
      expect(again.equals(cid), cid.toString()).toBe(true)
      byCid.set(cid.toString(), dagCbor.decode(bytes))
    }
    expect(blocks).toBe(byCid.size)
    // The manifest (last root) names the branches; the other roots are exactly its heads.
    const manifest = byCid.get(roots[roots.length - 1]) as any
    expect(manifest.type).toBe('capsule-file')
    const heads = Object.values(manifest.branches as Record<string, CID[]>).flat().map(String)
    expect([...new Set(heads)].sort()).toEqual(roots.slice(0, -1).sort())
    expect(Object.keys(manifest.branches).sort()).toEqual(['draft', 'main'])
    // Genesis, every commit and every live frame are in the file.
    const genesis = byCid.get(manifest.capsule.toString()) as any
    expect(genesis.type).toBe('capsule')
    for (const c of await a.node.log('notes')) expect(byCid.has(c.cid), c.cid).toBe(true)
    for (const f of (await a.node.state('notes')).live) expect(byCid.has(f)).toBe(true)
    expect(byCid.has(cids[1])).toBe(true) // tombstoned but not forgotten: still history
  })
})
