import { describe, it, expect, afterEach } from 'vitest'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { Store } from '../../node/store/index.js'
import { encodeBlock, RAW_CODE } from '../../dag/index.js'
import { tempHome, removeHome } from '../_helpers.js'

let home: string | undefined
afterEach(async () => { if (home != null) await removeHome(home); home = undefined })

describe('Store keys blocks as blockstore-level does', () => {
  it('a block written by the store is read through blockstore-level, and the other way round', async () => {
    home = await tempHome()
    const store = new Store(home)
    await store.open()
    try {
      const ours = Array.from({ length: 50 }, (_, i) => encodeBlock({ i, text: `block ${i}` }))
      await store.write({ blocks: ours.map(b => ({ cid: b.cid, bytes: b.bytes })), puts: [] })
      for (const b of ours) {
        expect(await store.blockstore.has(b.cid)).toBe(true)
        const chunks: Uint8Array[] = []
        for await (const c of store.blockstore.get(b.cid)) chunks.push(c)
        expect(Buffer.concat(chunks).equals(b.bytes)).toBe(true)
      }
      const bytes = new TextEncoder().encode('written by blockstore-level')
      const theirs = CID.createV1(RAW_CODE, await sha256.digest(bytes))
      await store.blockstore.put(theirs, bytes)
      expect(Buffer.from(await store.getBlock(theirs)).equals(bytes)).toBe(true)
      expect(Store.cidOfKey(Store.blockKey(theirs)).equals(theirs)).toBe(true)
    } finally {
      await store.close()
    }
  })
})
