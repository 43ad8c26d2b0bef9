// Internal helpers checked against their reference implementations.
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import { create as createDigest } from 'multiformats/hashes/digest'
import { cidString } from '../../capabilities/_bytes.js'

describe('cidString', () => {
  it('equals CID#toString for CIDv1 of any codec and digest, and for CIDv0 (seed 11)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0x3fff }), fc.integer({ min: 0, max: 0x3fff }), fc.uint8Array({ minLength: 0, maxLength: 64 }), (code, hash, digest) => {
      const cid = CID.createV1(code, createDigest(hash, digest))
      expect(cidString(cid)).toBe(CID.decode(cid.bytes).toString())
    }), { seed: 11, numRuns: 500 })
    const v0 = CID.createV0(createDigest(0x12, new Uint8Array(32).fill(7)))
    expect(cidString(v0)).toBe(v0.toString())
  })
})
