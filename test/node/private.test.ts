import { describe, it, expect, afterEach } from 'vitest'
import { join } from 'node:path'
import { Level } from 'level'
import { CID } from 'multiformats/cid'
import * as dagCbor from '@ipld/dag-cbor'
import { createNode, type VivimNode } from '../../node/index.js'
import { Ed25519Key, EpochKeyring } from '../../capabilities/index.js'
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

  it('a reader decrypts with its own key; once removed, it cannot decrypt anything written after', async () => {
    const home = await tempHome()
    const alice = await createNode({ home, network: false })
    cleanup.push(async () => { await alice.stop(); await removeHome(home) })
    const bob = Ed25519Key.generate()
    const vault = await alice.createCapsule('vault', { private: true })
    const { cid: tokenCid } = await alice.share('vault', { to: bob.did, can: 'read' })
    const before = await alice.put({ text: 'written while bob reads', capsule: 'vault' })
    await alice.revoke(tokenCid)
    const after = await alice.put({ text: 'written after bob was removed', capsule: 'vault' })

    // What a replica would hand Bob: the sealed blocks and the capsule's epoch blocks.
    const epochs = await epochBlocks(alice, vault.id)
    const ring = await EpochKeyring.open({ id: vault.id, admin: alice.did, reader: bob, blocks: epochs })
    const box = async (cid: string): Promise<Uint8Array> => (dagCbor.decode(await alice.store.getBlock(CID.parse(cid))) as any).box
    const plain = dagCbor.decode(ring.decrypt(await box(before.cid))) as any
    expect(plain.text).toBe('written while bob reads')
    let err: any
    try { ring.decrypt(await box(after.cid)) } catch (e) { err = e }
    expect(err?.name).toBe('NotAReaderError')
    // Alice still reads both.
    expect((await alice.get(after.cid)).text).toBe('written after bob was removed')
  })

  it('altered ciphertext is refused (DecryptionError), and a stranger holds only ciphertext (NotAReaderError)', async () => {
    const home = await tempHome()
    const alice = await createNode({ home, network: false })
    cleanup.push(async () => { await alice.stop(); await removeHome(home) })
    const bob = Ed25519Key.generate()
    const vault = await alice.createCapsule('vault', { private: true })
    await alice.share('vault', { to: bob.did, can: 'read' })
    const { cid } = await alice.put({ text: 'tamper with me', capsule: 'vault' })
    const sealed = dagCbor.decode(await alice.store.getBlock(CID.parse(cid))) as any
    const bobs = await EpochKeyring.open({ id: vault.id, admin: alice.did, reader: bob, blocks: await epochBlocks(alice, vault.id) })
    expect((dagCbor.decode(bobs.decrypt(sealed.box)) as any).text).toBe('tamper with me')
    const altered = Uint8Array.from(sealed.box); altered[altered.length - 3] ^= 0x40
    expect(() => bobs.decrypt(altered)).toThrow(expect.objectContaining({ name: 'DecryptionError' }))
    const stranger = Ed25519Key.generate()
    const theirs = await EpochKeyring.open({ id: vault.id, admin: alice.did, reader: stranger, blocks: await epochBlocks(alice, vault.id) })
    expect(() => theirs.decrypt(sealed.box)).toThrow(expect.objectContaining({ name: 'NotAReaderError' }))
  })
})

async function epochBlocks (node: VivimNode, capsule: string): Promise<Uint8Array[]> {
  const rec = await node.store.subs.k.get(`keyring/${capsule}`)
  return await Promise.all((rec.blocks as string[]).map(async c => await node.store.getBlock(CID.parse(c))))
}
