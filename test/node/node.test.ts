import { describe, it, expect, afterEach } from 'vitest'
import { Level } from 'level'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { createNode, type VivimNode } from '../../node/index.js'
import { Store } from '../../node/store/index.js'
import { tempHome, removeHome } from '../_helpers.js'

let homes: string[] = []
let nodes: VivimNode[] = []
async function open (home?: string): Promise<VivimNode> {
  home ??= await tempHome()
  if (!homes.includes(home)) homes.push(home)
  const node = await createNode({ home, network: false })
  nodes.push(node)
  return node
}
afterEach(async () => {
  for (const n of nodes) await n.stop()
  for (const h of homes) await removeHome(h)
  nodes = []; homes = []
})

describe('node: put, get, capsules', () => {
  it('put resolves to a CID whose frame get returns, with every field', async () => {
    const node = await open()
    const time = new Date('2024-05-01T10:00:00Z')
    const { cid } = await node.put({ text: 'I prefer green tea', capsule: 'prefs', title: 'tea', uri: 'note://1', tags: { topic: 'food' }, time, kind: 'note' })
    const f = await node.get(cid)
    expect(f).toMatchObject({ cid, text: 'I prefer green tea', title: 'tea', uri: 'note://1', tags: { topic: 'food' }, time: time.getTime(), kind: 'note', author: node.did })
    expect(f.capsule).toBe((await node.capsule('prefs')).id)
  })

  it('timeline reads past its chunk size in time order, honours limit, reverse and removals, plain and private', async () => {
    const node = await open()
    await node.createCapsule('sealed', { private: true })
    const base = Date.parse('2024-01-01T00:00:00Z')
    for (const capsule of ['plain', 'sealed']) {
      // Written out of time order, 700 frames: several chunks of 256.
      const inputs = Array.from({ length: 700 }, (_, i) => ({ text: `frame ${i}`, time: base + ((i * 389) % 700) * 1000 }))
      const { cids } = await node.putMany(inputs, { capsule })
      await node.forget(cids[5], { gc: true })
      const byTime = inputs.map((x, i) => ({ t: x.time, text: x.text })).filter((_, i) => i !== 5).sort((a, b) => a.t - b.t).map(x => x.text)
      const all: string[] = []
      for await (const f of node.timeline(capsule)) all.push(f.text)
      expect(all, capsule).toEqual(byTime)
      const some: string[] = []
      for await (const f of node.timeline(capsule, { limit: 300 })) some.push(f.text)
      expect(some, capsule).toEqual(byTime.slice(0, 300))
      const back: string[] = []
      for await (const f of node.timeline(capsule, { reverse: true, limit: 257 })) back.push(f.text)
      expect(back, capsule).toEqual([...byTime].reverse().slice(0, 257))
    }
  })

  it('putMany returns CIDs in input order and survives a reopen', async () => {
    const home = await tempHome(); homes.push(home)
    let node = await createNode({ home, network: false })
    const texts = Array.from({ length: 250 }, (_, i) => `frame ${i}`)
    const { cids } = await node.putMany(texts.map(text => ({ text })), { capsule: 'c' })
    await node.stop()
    node = await open(home)
    for (let i = 0; i < texts.length; i += 37) expect((await node.get(cids[i])).text).toBe(texts[i])
    expect((await node.state('c')).live.size).toBe(250)
  })

  it('concurrent puts to several capsules are all committed (group commit) and each lands in its capsule', async () => {
    const node = await open()
    const res = await Promise.all(Array.from({ length: 200 }, (_, i) => node.put({ text: `t${i}`, capsule: `c${i % 3}` })))
    for (let c = 0; c < 3; c++) expect((await node.state(`c${c}`)).live.size).toBe(Array.from({ length: 200 }, (_, i) => i).filter(i => i % 3 === c).length)
    expect((await node.get(res[7].cid)).capsule).toBe((await node.capsule('c1')).id)
  })

  it('bad input is refused with a clear error and nothing is written', async () => {
    const node = await open()
    await node.put({ text: 'ok', capsule: 'c' })
    const before = await node.log('c')
    const countBlocks = async (): Promise<number> => { let n = 0; for await (const _ of node.store.blocks()) n++; return n }
    const blocksBefore = await countBlocks()
    await expect(node.putMany([{ text: 'fine', capsule: 'c' }, { text: 'bad', kind: 'nope' as any, capsule: 'c' }])).rejects.toMatchObject({ name: 'UnknownKindError' })
    await expect(node.putMany([{ text: 'fine', capsule: 'c' }, { text: 5 as any, capsule: 'c' }])).rejects.toMatchObject({ name: 'TypeError' })
    await expect(node.put({ text: 'x', capsule: 'c', tags: { a: 1 as any } })).rejects.toMatchObject({ name: 'InvalidRecordError' })
    await expect(node.put({ text: 'x', capsule: 'bad name!' })).rejects.toMatchObject({ name: 'InvalidRecordError' })
    await expect(node.put({ text: 'x', capsule: 'c', supersedes: 'not-a-cid' })).rejects.toMatchObject({ name: 'InvalidParametersError' })
    const unknown = 'bafyreigshn2iaex54mzvyv6r5ofwx4d4i3lqp5fjprkmvps2o2lmcqyqzm'
    await expect(node.put({ text: 'x', capsule: 'c', supersedes: unknown })).rejects.toMatchObject({ name: 'FrameNotFoundError' })
    expect(await node.log('c')).toEqual(before)
    expect(await countBlocks()).toBe(blocksBefore)
    expect((await node.capsules()).map(c => c.name)).toEqual(['c'])
    await expect(node.get('garbage')).rejects.toMatchObject({ name: 'InvalidParametersError' })
    await expect(node.get(unknown)).rejects.toMatchObject({ name: 'FrameNotFoundError' })
    await expect(node.log('missing')).rejects.toMatchObject({ name: 'CapsuleNotFoundError' })
  })

  it('a second opener of the same home gets NodeInUseError, and the first keeps working', async () => {
    const home = await tempHome(); homes.push(home)
    const node = await open(home)
    await node.put({ text: 'a' })
    await expect(createNode({ home, network: false })).rejects.toMatchObject({ name: 'NodeInUseError' })
    await node.put({ text: 'b' })
    expect((await node.state('default')).live.size).toBe(2)
  })

  it('stop is idempotent and the node refuses work after it', async () => {
    const node = await open()
    await node.stop(); await node.stop()
    await expect(node.put({ text: 'x' })).rejects.toMatchObject({ name: 'NodeStoppedError' })
  })

  it('hasUri finds stored URIs exactly (no prefix matches)', async () => {
    const node = await open()
    await node.put({ text: 'x', uri: 'chatgpt://a/1' })
    expect(await node.hasUri('chatgpt://a/1')).toBe(true)
    expect(await node.hasUri('chatgpt://a/')).toBe(false)
    expect(await node.hasUri('chatgpt://a/10')).toBe(false)
  })
})

describe('node: tampering', () => {
  it('a block changed on disk is detected when read and named by verify', async () => {
    const home = await tempHome(); homes.push(home)
    let node = await createNode({ home, network: false })
    const { cid } = await node.put({ text: 'the original text', capsule: 'c' })
    const { cid: other } = await node.put({ text: 'untouched', capsule: 'c' })
    await node.stop()

    // Change the block's bytes underneath the node, as bit rot or an attacker would.
    const db = new Level<string, any>(join(home, 'store'), { keyEncoding: 'utf8', valueEncoding: 'json' })
    const blocks = db.sublevel<string, Uint8Array>('b', { keyEncoding: 'utf8', valueEncoding: 'view' })
    const key = Store.blockKey(CID.parse(cid))
    const bytes = (await blocks.get(key)) as Uint8Array
    const text = new TextEncoder().encode('original')
    const at = indexOf(bytes, text)
    expect(at).toBeGreaterThan(0)
    const altered = bytes.slice(); altered[at] = 'O'.charCodeAt(0)
    await blocks.put(key, altered)
    await db.close()

    node = await open(home)
    await expect(node.get(cid)).rejects.toMatchObject({ name: 'HashMismatchError' })
    expect((await node.get(other)).text).toBe('untouched')
    const report = await node.verify()
    expect(report.ok).toBe(false)
    expect(report.problems.filter(p => p.problem === 'hash-mismatch').map(p => p.cid)).toEqual([cid])
  })

  it('a forged commit signature is named by verify', async () => {
    const home = await tempHome(); homes.push(home)
    let node = await createNode({ home, network: false })
    await node.put({ text: 'x', capsule: 'c' })
    const [head] = await node.log('c')
    await node.stop()
    // Re-encode the commit with a zeroed signature and point the ref at it: the hash is fine, the signature is not.
    const dagCbor = await import('@ipld/dag-cbor')
    const { encodeBlock } = await import('../../dag/index.js')
    const db = new Level<string, any>(join(home, 'store'), { keyEncoding: 'utf8', valueEncoding: 'json' })
    const blocks = db.sublevel<string, Uint8Array>('b', { keyEncoding: 'utf8', valueEncoding: 'view' })
    const refs = db.sublevel<string, any>('r', { keyEncoding: 'utf8', valueEncoding: 'json' })
    const commit: any = dagCbor.decode((await blocks.get(Store.blockKey(CID.parse(head.cid)))) as Uint8Array)
    const forged = encodeBlock({ ...commit, sig: new Uint8Array(64) })
    await blocks.put(Store.blockKey(forged.cid), forged.bytes)
    const capsuleId = commit.capsule.toString()
    await refs.put(`${capsuleId}/main`, { heads: [forged.cid.toString()] })
    await db.close()

    node = await open(home)
    const report = await node.verify()
    expect(report.problems).toContainEqual(expect.objectContaining({ problem: 'bad-signature', cid: forged.cid.toString() }))
    await expect(node.log('c')).rejects.toMatchObject({ name: 'InvalidSignatureError' })
  })
})

function indexOf (hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer
    return i
  }
  return -1
}
