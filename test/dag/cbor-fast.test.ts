import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { createFrame, encodeBlock, encodeFrame } from '../../dag/index.js'
import { encodeFast } from '../../dag/_cbor.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const cids = [0, 1, 2, 3].map(i => CID.createV1(i % 2 === 0 ? 0x71 : 0x55, sha256.digest(new Uint8Array([i])) as any))

// Values dag-cbor can encode: strings (any UTF-16, lone surrogates included), safe integers of
// every head width, bytes, CIDs, booleans, null, arrays and maps with any string keys.
const leaf = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ maxLength: 300 }),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.maxSafeNat(),
  fc.constantFrom(0, 23, 24, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, -1, -24, -25, -256, -257, -(2 ** 32), -(2 ** 32) - 1),
  fc.uint8Array({ maxLength: 300 }),
  fc.constantFrom(...cids),
  fc.boolean(),
  fc.constant(null)
)
const value = fc.letrec(tie => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 5 }), fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), tie('node'), { maxKeys: 6 }))
})).node

describe('the fast dag-cbor path', () => {
  it('writes the bytes @ipld/dag-cbor writes, for any value it takes', () => {
    fc.assert(fc.property(value, v => {
      const fast = encodeFast(v)
      expect(fast).toBeDefined()
      expect(hex(fast as Uint8Array)).toBe(hex(dagCbor.encode(v)))
    }), { numRuns: Number(process.env.FUZZ_RUNS ?? 5000) })
  })

  it('writes the bytes of random frames as @ipld/dag-cbor does', () => {
    const frame = fc.record({
      text: fc.string({ unit: 'grapheme', maxLength: 2000 }),
      time: fc.maxSafeNat(),
      title: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
      uri: fc.option(fc.webUrl(), { nil: undefined }),
      tags: fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 4 }), { nil: undefined }),
      role: fc.option(fc.constantFrom('user', 'assistant', 'system'), { nil: undefined }),
      conversation: fc.option(fc.uuid(), { nil: undefined }),
      supersedes: fc.option(fc.constantFrom(...cids.slice(0, 2)), { nil: undefined })
    })
    fc.assert(fc.property(frame, init => {
      const f = createFrame({ ...init, author: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' }, 1)
      const { bytes, cid } = encodeFrame(f)
      expect(hex(bytes)).toBe(hex(dagCbor.encode(f)))
      expect(cid.equals(CID.createV1(0x71, sha256.digest(dagCbor.encode(f)) as any))).toBe(true)
    }), { numRuns: 2000 })
  })

  it('returns bytes of their own: a later encoding does not change an earlier one', () => {
    const a = encodeFast({ text: 'first value', n: 1 }) as Uint8Array
    const before = hex(a)
    encodeFast({ text: 'another value written over the same buffer', n: 2 })
    expect(hex(a)).toBe(before)
    expect(a.buffer.byteLength).toBe(a.length)
  })

  it('encodes a value larger than its reused buffer, and small ones after it, as @ipld/dag-cbor does', () => {
    const big = { text: 'é'.repeat(400_000), n: 1 }
    expect(hex(encodeFast(big) as Uint8Array)).toBe(hex(dagCbor.encode(big)))
    expect(hex(encodeFast({ a: 'small' }) as Uint8Array)).toBe(hex(dagCbor.encode({ a: 'small' })))
  })

  it('leaves floats, undefined, Maps and class instances to @ipld/dag-cbor', () => {
    expect(encodeFast({ a: 1.5 })).toBeUndefined()
    expect(encodeFast({ a: undefined })).toBeUndefined()
    expect(encodeFast(new Map([['a', 1]]))).toBeUndefined()
    expect(encodeFast(new (class X { a = 1 })())).toBeUndefined()
    expect(hex(encodeBlock({ a: 1.5 }).bytes)).toBe(hex(dagCbor.encode({ a: 1.5 })))
    expect(() => encodeBlock({ a: undefined })).toThrow(/undefined/)
  })
})
