// Revocation: signed records (blocks with CIDs) that refuse every chain through the
// revoked delegation, when issued by an issuer at or above it in that chain.
import { describe, it, expect } from 'vitest'
import * as dagCbor from '@ipld/dag-cbor'
import {
  CAPSULE_READ, createRevocation, createRevocationStore, createValidator, decodeRevocation, delegate, invoke, cidOf,
  type Delegation
} from '../../capabilities/index.js'
import { NOW, errorOf, testKey } from './_keys.js'

const owner = testKey('owner')
const bob = testKey('bob')
const carol = testKey('carol')
const dan = testKey('dan')
const mallory = testKey('mallory')

function setup (): { d1: Delegation, d2: Delegation, d3: Delegation, proofs: Delegation[] } {
  const d1 = delegate({ issuer: owner, audience: bob.did, subject: owner.did, command: CAPSULE_READ })
  const d2 = delegate({ issuer: bob, audience: carol.did, subject: owner.did, command: CAPSULE_READ, proofs: [d1] })
  const d3 = delegate({ issuer: carol, audience: dan.did, subject: owner.did, command: CAPSULE_READ, proofs: [d1, d2] })
  return { d1, d2, d3, proofs: [d1, d2, d3] }
}

const invokeAs = (who: typeof dan, proofs: Delegation[]): ReturnType<typeof invoke> =>
  invoke({ issuer: who, subject: owner.did, command: CAPSULE_READ, proofs, issuedAt: NOW })

describe('revocation records', () => {
  it('are /ucan/revoke invocations: dag-cbor blocks with a CID, decodable by anyone', () => {
    const { d2 } = setup()
    const rec = createRevocation({ issuer: bob, revoke: d2, reason: 'lost laptop', issuedAt: NOW })
    expect(rec.revoked.equals(d2.cid)).toBe(true)
    expect(rec.revoker).toBe(bob.did)
    expect(cidOf(rec.token.bytes).equals(rec.token.cid)).toBe(true)
    const raw = dagCbor.decode(rec.token.bytes) as [Uint8Array, Record<string, any>]
    expect(raw[1]['ucan/inv@1.0.0'].cmd).toBe('/ucan/revoke')
    const back = decodeRevocation(rec.token.bytes)
    expect(back.revoked.equals(d2.cid)).toBe(true)
  })

  it('a revocation by the delegation\'s own issuer refuses every chain through it', async () => {
    const { d2, proofs } = setup()
    const v = createValidator({ now: () => NOW })
    const inv = invokeAs(dan, proofs)
    await v.validateInvocation(inv, { proofs }) // now cached
    await v.addRevocation(createRevocation({ issuer: bob, revoke: d2.cid }).token.bytes)
    expect((await errorOf(v.validateInvocation(inv, { proofs })))?.name).toBe('Revoked')
    // Carol's own invocation (chain d1, d2) also passes through d2.
    expect((await errorOf(v.validateInvocation(invokeAs(carol, proofs.slice(0, 2)), { proofs })))?.name).toBe('Revoked')
    // Bob's (chain d1 only) does not.
    await expect(v.validateInvocation(invokeAs(bob, proofs.slice(0, 1)), { proofs })).resolves.toBeDefined()
    // Nor does a chain check of d1 alone.
    await expect(v.validateChain(proofs.slice(0, 1))).resolves.toBeDefined()
    expect((await errorOf(v.validateChain(proofs)))?.name).toBe('Revoked')
  })

  it('an issuer above the revoked delegation may revoke it; one below or outside may not', async () => {
    const { d2, proofs } = setup()
    const inv = invokeAs(dan, proofs)
    const byRoot = createValidator({ now: () => NOW })
    await byRoot.addRevocation(createRevocation({ issuer: owner, revoke: d2 }).token)
    expect((await errorOf(byRoot.validateInvocation(inv, { proofs })))?.name).toBe('Revoked')

    const byBelow = createValidator({ now: () => NOW })
    await byBelow.addRevocation(createRevocation({ issuer: carol, revoke: d2 }).token) // carol is below d2
    await expect(byBelow.validateInvocation(inv, { proofs })).resolves.toBeDefined()

    const byOutsider = createValidator({ now: () => NOW })
    await byOutsider.addRevocation(createRevocation({ issuer: mallory, revoke: d2 }).token)
    await expect(byOutsider.validateInvocation(inv, { proofs })).resolves.toBeDefined()
    expect(byOutsider.revocations.has(d2.cid)).toBe(true) // kept, but out of scope
  })

  it('a record may arrive before the delegation it names; a shared store serves many validators', async () => {
    const { d3, proofs } = setup()
    const store = createRevocationStore()
    await store.add(createRevocation({ issuer: carol, revoke: d3.cid }))
    const a = createValidator({ now: () => NOW, revocations: store })
    const b = createValidator({ now: () => NOW, revocations: store })
    for (const v of [a, b]) expect((await errorOf(v.validateInvocation(invokeAs(dan, proofs), { proofs })))?.name).toBe('Revoked')
    expect(store.records().length).toBe(1)
  })

  it('a forged or malformed record is refused and changes nothing', async () => {
    const { d2, proofs } = setup()
    const v = createValidator({ now: () => NOW })
    const rec = createRevocation({ issuer: bob, revoke: d2 })
    const bad = rec.token.bytes.slice()
    bad[10] ^= 0x40
    expect((await errorOf(v.addRevocation(bad)))?.name).toBe('InvalidSignature')
    expect((await errorOf(v.addRevocation(d2.bytes)))?.name).toBe('MalformedToken') // a delegation is no record
    const notRevoke = invoke({ issuer: bob, subject: bob.did, command: '/capsule/read', issuedAt: NOW })
    expect((await errorOf(v.addRevocation(notRevoke)))?.name).toBe('MalformedToken')
    await expect(v.validateInvocation(invokeAs(dan, proofs), { proofs })).resolves.toBeDefined()
  })
})
