// Differential: WebCrypto's Ed25519 and @noble/ed25519 (the fallback) agree on
// genuine, mutated and malformed signatures, and the fixtures pass on both paths.
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { createSignatureVerifier, createValidator, verifyDidSignature } from '../../capabilities/index.js'
import { fixtureDir, fromBase64, readFixture } from './_fixtures.js'
import { testKey } from './_keys.js'

const web = createSignatureVerifier()
const noble = createSignatureVerifier({ webcrypto: false })
const alice = testKey('alice')

describe('signature verifiers', () => {
  it('agree on 150 genuine and mutated signatures (seed 7)', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.nat(63), fc.integer({ min: 0, max: 7 }), fc.boolean(), async (msg, pos, bit, mutate) => {
      const sig = alice.sign(msg)
      if (mutate) sig[pos] ^= 1 << bit
      const a = await web.verify(alice.did, msg, sig)
      const b = await noble.verify(alice.did, msg, sig)
      expect(a).toBe(b)
      expect(a).toBe(!mutate)
      expect(verifyDidSignature(alice.did, msg, sig)).toBe(!mutate)
    }), { seed: 7, numRuns: 150 })
  })

  it('refuse malformed input without throwing', async () => {
    const msg = new Uint8Array(3)
    for (const v of [web, noble]) {
      expect(await v.verify('did:key:zBad', msg, new Uint8Array(64))).toBe(false)
      expect(await v.verify(alice.did, msg, new Uint8Array(63))).toBe(false)
      expect(await v.verify(alice.did, msg, null as never)).toBe(false)
    }
  })

  it.skipIf(fixtureDir === undefined)('the invocation fixtures give the same results with the noble fallback', async () => {
    const fx = readFixture('invocation.json')
    for (const c of [...fx.valid, ...fx.invalid]) {
      const v = createValidator({ cache: false, verifier: noble, now: () => c.time })
      const err = await v.validateInvocation(fromBase64(c.invocation['/'].bytes), { proofs: c.proofs.map((p: any) => fromBase64(p['/'].bytes)) }).then(() => undefined, (e: Error) => e)
      expect(err?.name).toBe(c.error?.name)
    }
  })
})
