import { describe, it, expect, afterEach } from 'vitest'
import { join } from 'node:path'
import { Level } from 'level'
import { CID } from 'multiformats/cid'
import * as dagCbor from '@ipld/dag-cbor'
import { createNode, type VivimNode } from '../../node/index.js'
import { Store } from '../../node/store/index.js'
import { tempHome, removeHome } from '../_helpers.js'

let cleanup: Array<() => Promise<void>> = []
afterEach(async () => { for (const c of cleanup) await c(); cleanup = [] })

const secrets = ['the launch code is tangerine-42', 'Dr. Okafor said the biopsy is benign', 'my bank PIN hint: grandma birthday']

function contains (hay: Uint8Array, needle: string): boolean {
  return Buffer.from(hay).includes(Buffer.from(needle, 'utf8'))
}

/** Every block in a home's blockstore, read raw from LevelDB (the node stopped). */
async function rawBlocks (home: string): Promise<Map<string, Uint8Array>> {
  const db = new Level<string, any>(join(home, 'store'), { keyEncoding: 'utf8', valueEncoding: 'view' })
  const out = new Map<string, Uint8Array>()
  for await (const [key, value] of db.sublevel<string, Uint8Array>('b', { keyEncoding: 'utf8', valueEncoding: 'view' }).iterator()) out.set(key, value)
  await db.close()
  return out
}

describe('private capsules', () => {
  it('the blockstore holds no plaintext of a private capsule, and the owner reads, searches and verifies it', async () => {
    const home = await tempHome()
    cleanup.push(async () => { await removeHome(home) })
    let node: VivimNode = await createNode({ home, network: false })
    await node.createCapsule('vault', { private: true })
    const { cids } = await node.putMany(secrets.map((text, i) => ({ text, title: `secret title ${i}`, tags: { label: `hidden-tag-${i}` } })), { capsule: 'vault' })
    await node.put({ text: 'a public note about tangerines', capsule: 'public' })
    expect((await node.get(cids[0])).text).toBe(secrets[0])
    await node.stop()

    const blocks = await rawBlocks(home)
    for (const s of [...secrets, 'secret title', 'hidden-tag']) {
      for (const [key, bytes] of blocks) expect(contains(bytes, s), `plaintext "${s}" in block ${key}`).toBe(false)
    }
    // The frame CIDs are CIDs of the ciphertext records.
    for (const c of cids) {
      const bytes = blocks.get(Store.blockKey(CID.parse(c))) as Uint8Array
      expect((dagCbor.decode(bytes) as any).type).toBe('sealed')
    }
    // The public capsule is plaintext, as the control.
    expect([...blocks.values()].some(b => contains(b, 'a public note about tangerines'))).toBe(true)

    node = await createNode({ home, network: false })
    cleanup.push(async () => { await node.stop() })
    expect((await node.get(cids[1])).text).toBe(secrets[1])
    expect((await node.search('biopsy benign'))[0]?.cid).toBe(cids[1])
    const tl = []
    for await (const f of node.timeline('vault')) tl.push(f.text)
    expect(tl.sort()).toEqual([...secrets].sort())
    expect((await node.verify()).ok).toBe(true)
  })
  // Readers, removed readers and tampering with frame keys: test/node/files/shred.test.ts and test/capabilities/frame-keys.test.ts.
})
