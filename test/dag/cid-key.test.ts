import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { base32, base32upper } from 'multiformats/bases/base32'
import { base58btc } from 'multiformats/bases/base58'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { base32Fast, base32UpperFast, cidKey } from '../../dag/index.js'

describe('cidKey and base32Fast', () => {
  it('writes exactly what multiformats base32 and base32upper write, for any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), bytes => {
      expect(base32Fast.encode(bytes)).toBe(base32.encode(bytes))
      expect(base32UpperFast.encode(bytes)).toBe(base32upper.encode(bytes))
    }), { numRuns: 2000 })
  })

  it('gives the string multiformats gives, which CID.parse reads back', async () => {
    for (let i = 0; i < 200; i++) {
      const digest = await sha256.digest(new TextEncoder().encode(`block ${i}`))
      const codec = i % 2 === 0 ? 0x71 : 0x55
      const slow = CID.createV1(codec, digest).toString()
      const cid = CID.createV1(codec, digest)
      expect(cidKey(cid)).toBe(slow)
      expect(cid.toString()).toBe(slow)
      expect(CID.parse(slow).equals(cid)).toBe(true)
    }
  })

  it('keeps base58btc for CIDv0 and passes strings through', async () => {
    const v0 = CID.createV0(await sha256.digest(new Uint8Array([1, 2, 3])))
    expect(cidKey(v0)).toBe(v0.toString(base58btc))
    expect(cidKey('bafyabc')).toBe('bafyabc')
  })
})
