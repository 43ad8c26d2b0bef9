// Per-frame keys and frame-key bundles: a frame opens only with its own key, a bundle's keys only
// for its readers and only for the frames it names.
import { describe, it, expect } from 'vitest'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import {
  EpochKeyring, MAX_BUNDLE_KEYS, decodeFrameKeys, encodeFrameKeys, generateContentKey, isFrameBox, openFrameBox, openFrameKeys, sealFrameBox
} from '../../capabilities/index.js'
import { nameOf, testKey } from './_keys.js'
import { prng } from '../_helpers.js'

const enc = new TextEncoder()
const owner = testKey('owner')
const bob = testKey('bob')
const carol = testKey('carol')
const CAPSULE = 'bafyreiprivatecapsule'

async function cidOf (s: string): Promise<CID> {
  return CID.createV1(0x71, await sha256.digest(enc.encode(s)))
}

describe('frame boxes', () => {
  it('open with their key and aad only; any flipped byte is refused', () => {
    const key = generateContentKey()
    const box = sealFrameBox(key, enc.encode('the launch code is tangerine-42'), enc.encode(CAPSULE))
    expect(isFrameBox(box)).toBe(true)
    expect(new TextDecoder().decode(openFrameBox(key, box, enc.encode(CAPSULE)))).toBe('the launch code is tangerine-42')
    expect(nameOf(() => openFrameBox(generateContentKey(), box, enc.encode(CAPSULE)))).toBe('DecryptionError')
    expect(nameOf(() => openFrameBox(key, box, enc.encode('another capsule')))).toBe('DecryptionError')
    for (let i = 1; i < box.length; i++) {
      const bad = box.slice(); bad[i] ^= 0x01
      expect(nameOf(() => openFrameBox(key, bad, enc.encode(CAPSULE))), `byte ${i}`).toMatch(/DecryptionError|MalformedEnvelopeError/)
    }
    const v1 = box.slice(); v1[0] = 1
    expect(nameOf(() => openFrameBox(key, v1, enc.encode(CAPSULE)))).toBe('MalformedEnvelopeError')
  })
})

describe('frame-key bundles', () => {
  it('readers open them; strangers and removed readers do not; keys cannot move to other frames', async () => {
    const ring = EpochKeyring.create({ id: CAPSULE, admin: owner, readers: [bob.did] })
    const entries: Array<[CID, Uint8Array]> = []
    for (let i = 0; i < 5; i++) entries.push([await cidOf(`frame ${i}`), generateContentKey()])
    const [bundle] = await encodeFrameKeys(ring, entries)
    // Readers' view: the published epoch blocks plus the bundle block, decoded from its bytes.
    const decoded = decodeFrameKeys(bundle.cid, bundle.bytes)
    expect(decoded.frames.map(String)).toEqual(entries.map(([c]) => c.toString()))
    const bobs = await EpochKeyring.open({ id: CAPSULE, admin: owner.did, reader: bob, blocks: ring.blocks().map(b => b.bytes) })
    const keys = openFrameKeys(bobs, decoded)
    for (const [c, k] of entries) expect(keys.get(c.toString())).toEqual(k)

    const carols = await EpochKeyring.open({ id: CAPSULE, admin: owner.did, reader: carol, blocks: ring.blocks().map(b => b.bytes) })
    expect(nameOf(() => openFrameKeys(carols, decoded))).toBe('NotAReaderError')

    // The frame list is authenticated: reordering or swapping a CID breaks the box.
    const value = dagCbor.decode(bundle.bytes) as any
    const body = value['vivim/frame-keys@1']
    const swapped = dagCbor.encode({ 'vivim/frame-keys@1': { ...body, frames: [body.frames[1], body.frames[0], ...body.frames.slice(2)] } })
    expect(nameOf(() => openFrameKeys(bobs, decodeFrameKeys(bundle.cid, swapped)))).toBe('DecryptionError')
    const other = dagCbor.encode({ 'vivim/frame-keys@1': { ...body, frames: [await cidOf('elsewhere'), ...body.frames.slice(1)] } })
    expect(nameOf(() => openFrameKeys(bobs, decodeFrameKeys(bundle.cid, other)))).toBe('DecryptionError')

    // A new epoch without bob: a bundle made under it does not open for him.
    const rotated = ring.rotate({ remove: [bob.did] })
    const [later] = await encodeFrameKeys(ring, entries.slice(0, 1))
    await bobs.addBlocks([rotated.bytes])
    expect(nameOf(() => openFrameKeys(bobs, later))).toBe('NotAReaderError')
  })

  it('split at MAX_BUNDLE_KEYS; malformed bundles get a clear error', async () => {
    const ring = EpochKeyring.create({ id: CAPSULE, admin: owner })
    const entries: Array<[CID, Uint8Array]> = []
    for (let i = 0; i < MAX_BUNDLE_KEYS + 3; i++) entries.push([await cidOf(`f${i}`), generateContentKey()])
    const bundles = await encodeFrameKeys(ring, entries)
    expect(bundles.map(b => b.frames.length)).toEqual([MAX_BUNDLE_KEYS, 3])
    const c = bundles[1].cid
    for (const bad of [dagCbor.encode({}), dagCbor.encode({ 'vivim/frame-keys@1': { id: CAPSULE, frames: [], box: new Uint8Array(8) } }), dagCbor.encode({ 'vivim/frame-keys@1': { id: CAPSULE, frames: ['x'], box: new Uint8Array(8) } }), new Uint8Array([0xff, 0x00])]) {
      expect(nameOf(() => decodeFrameKeys(c, bad))).toBe('MalformedEnvelopeError')
    }
  })
})

describe('frame-key bundles under fuzzing', () => {
  it('5,000 mutated bundles: decoded strictly or refused with MalformedEnvelopeError; opening one never yields wrong keys', async () => {
    const ring = EpochKeyring.create({ id: CAPSULE, admin: owner })
    const entries: Array<[CID, Uint8Array]> = []
    for (let i = 0; i < 3; i++) entries.push([await cidOf(`m${i}`), generateContentKey()])
    const [bundle] = await encodeFrameKeys(ring, entries)
    const rand = prng(7)
    const counts = { decoded: 0, refused: 0 }
    for (let n = 0; n < 5_000; n++) {
      const b = bundle.bytes.slice(0, rand() < 0.2 ? Math.floor(rand() * bundle.bytes.length) : bundle.bytes.length)
      for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) if (b.length > 0) b[Math.floor(rand() * b.length)] ^= 1 + Math.floor(rand() * 255)
      let decoded
      try { decoded = decodeFrameKeys(bundle.cid, b) } catch (e) { expect((e as Error).name, `case ${n}`).toBe('MalformedEnvelopeError'); counts.refused++; continue }
      counts.decoded++
      try {
        const keys = openFrameKeys(ring, decoded)
        // Only an untouched box and frame list open, and then to the very keys sealed.
        for (const [c, k] of entries) expect(keys.get(c.toString()), `case ${n}`).toEqual(k)
      } catch (e) { expect((e as Error).name, `case ${n}`).toMatch(/^(DecryptionError|MalformedEnvelopeError|UnknownEpochError|NotAReaderError)$/) }
    }
    expect(counts.refused).toBeGreaterThan(0)
    expect(counts.decoded).toBeGreaterThan(0)
  })
})
