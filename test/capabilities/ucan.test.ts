// Our own UCAN cases, beyond the upstream fixtures: commands by whole segments,
// attenuation, subjects and capsules, audiences, tampering, expiry and replay.
import { describe, it, expect } from 'vitest'
import * as dagCbor from '@ipld/dag-cbor'
import {
  CAPSULE_APPEND, CAPSULE_READ, CAPSULE_REPLICATE, createValidator, decodeToken, delegate, exportTokens, importTokens,
  invoke, type Delegation, type Invocation
} from '../../capabilities/index.js'
import { encodeEnvelope } from '../../capabilities/envelope.js'
import { DELEGATION_TAG } from '../../capabilities/constants.js'
import { NOW, errorOf, testKey } from './_keys.js'

const owner = testKey('owner')
const bob = testKey('bob')
const carol = testKey('carol')
const dan = testKey('dan')
const mallory = testKey('mallory')
const replica = testKey('replica')
const CAPSULE = 'bafyreicapsuleidforthetestsuite'
const OTHER = 'bafyreisomeothercapsuleid'

/** owner → bob → carol (→ dan), all for /capsule/read on CAPSULE. */
function chain (): { d1: Delegation, d2: Delegation, d3: Delegation } {
  const d1 = delegate({ issuer: owner, audience: bob.did, subject: owner.did, command: '/capsule', capsule: CAPSULE, expiration: NOW + 3600 })
  const d2 = delegate({ issuer: bob, audience: carol.did, subject: owner.did, command: CAPSULE_READ, proofs: [d1], expiration: NOW + 1800 })
  const d3 = delegate({ issuer: carol, audience: dan.did, subject: owner.did, command: CAPSULE_READ, proofs: [d1, d2] })
  return { d1, d2, d3 }
}

function readAs (who: typeof bob, proofs: Delegation[], extra: Partial<Parameters<typeof invoke>[0]> = {}): Invocation {
  return invoke({ issuer: who, subject: owner.did, command: CAPSULE_READ, capsule: CAPSULE, proofs, issuedAt: NOW, ...extra })
}

describe('delegate and invoke', () => {
  it('round-trips: a 3-deep chain validates, with and without the cache', async () => {
    const { d1, d2, d3 } = chain()
    const inv = readAs(dan, [d1, d2, d3], { audience: replica.did })
    expect(decodeToken(inv.bytes).id).toBe(inv.id)
    for (const cache of [false, true]) {
      const v = createValidator({ cache, now: () => NOW })
      for (let i = 0; i < 2; i++) {
        const ok = await v.validateInvocation(inv.bytes, { proofs: [d3.bytes, d1.bytes, d2.bytes], subject: owner.did, command: CAPSULE_READ, capsule: CAPSULE, audience: replica.did })
        expect(ok.proofs.map(p => p.id)).toEqual([d1.id, d2.id, d3.id])
        expect(ok.expiresAt).toBe(Math.min(NOW + 1800, inv.payload.exp as number))
        expect(ok.args.capsule).toBe(CAPSULE)
      }
    }
  })

  it('a capsule id is not a subject: the owner DID is, and the capsule goes in the policy', () => {
    expect(() => delegate({ issuer: owner, audience: bob.did, subject: CAPSULE, command: CAPSULE_READ })).toThrow(TypeError)
    expect(() => invoke({ issuer: bob, subject: CAPSULE, command: CAPSULE_READ })).toThrow(TypeError)
    const d = delegate({ issuer: owner, audience: bob.did, subject: owner.did, command: CAPSULE_READ, capsule: CAPSULE })
    expect(d.payload.pol).toEqual([['==', '.capsule', CAPSULE]])
  })

  it('tokens are dag-cbor envelopes with the fixture header and 1.0.0 tags', () => {
    const { d1 } = chain()
    const v = dagCbor.decode(d1.bytes) as [Uint8Array, Record<string, unknown>]
    expect(Object.keys(v[1]).sort()).toEqual(['h', 'ucan/dlg@1.0.0'])
    expect([...v[1].h as Uint8Array]).toEqual([0x34, 0x01, 0xed, 0x01, 0xed, 0x01, 0x13, 0x71])
    expect(d1.cid.code).toBe(0x71)
    expect(d1.cid.multihash.code).toBe(0x12)
  })

  it('finds proofs through the resolver when not supplied', async () => {
    const { d1, d2 } = chain()
    const store = new Map([[d1.id, d1.bytes], [d2.id, d2.bytes]])
    const v = createValidator({ now: () => NOW, resolve: cid => store.get(cid.toString()) })
    await expect(v.validateInvocation(readAs(carol, [d1, d2]))).resolves.toBeDefined()
    // A resolver that answers with the wrong block resolves nothing.
    const liar = createValidator({ now: () => NOW, resolve: () => d1.bytes })
    expect((await errorOf(liar.validateInvocation(readAs(carol, [d1, d2]))))?.name).toBe('UnavailableProof')
  })

  it('bundles round-trip through a printable string', () => {
    const { d1, d2 } = chain()
    const text = exportTokens([d1, d2])
    expect(text.startsWith('u')).toBe(true)
    expect(importTokens(text).map(t => t.id)).toEqual([d1.id, d2.id])
    expect(() => importTokens('uAAAA')).toThrow(expect.objectContaining({ name: 'MalformedToken' }))
  })

  it('validateChain checks a held delegation chain', async () => {
    const { d1, d2 } = chain()
    const v = createValidator({ now: () => NOW })
    const ok = await v.validateChain([d1, d2], { audience: carol.did, subject: owner.did, command: CAPSULE_READ, args: { capsule: CAPSULE } })
    expect(ok.command).toBe(CAPSULE_READ)
    expect((await errorOf(v.validateChain([d1, d2], { audience: bob.did })))?.name).toBe('InvalidAudience')
    expect((await errorOf(v.validateChain([d1, d2], { command: CAPSULE_APPEND })))?.name).toBe('InvalidClaim')
    expect((await errorOf(v.validateChain([d1, d2], { args: { capsule: OTHER } })))?.name).toBe('MatchError')
    expect((await errorOf(v.validateChain([d2])))?.name).toBe('InvalidClaim') // bob has no authority of his own
  })
})

describe('commands match by whole segments', () => {
  const cases: Array<[string, string, boolean]> = [
    ['/', '/capsule/read', true],
    ['/capsule', '/capsule/read', true],
    ['/capsule', '/capsule', true],
    ['/capsule/read', '/capsule/read', true],
    ['/capsule/read', '/capsule', false],
    ['/capsule/read', '/capsule/replicate', false],
    ['/capsule/read', '/capsule/readall', false],
    ['/crypto', '/crypto/sign', true],
    ['/crypto', '/cryptocurrency', false],
    ['/crypto', '/cryptocurrency/send', false]
  ]
  for (const [granted, wanted, ok] of cases) {
    it(`${granted} ${ok ? 'grants' : 'does not grant'} ${wanted}`, async () => {
      const d = delegate({ issuer: owner, audience: bob.did, subject: owner.did, command: granted, expiration: null })
      const inv = invoke({ issuer: bob, subject: owner.did, command: wanted, proofs: [d], issuedAt: NOW })
      const err = await errorOf(createValidator({ now: () => NOW }).validateInvocation(inv, { proofs: [d] }))
      expect(err?.name).toBe(ok ? undefined : 'InvalidClaim')
    })
  }

  it('replicate does not grant read: a backup peer never gets plaintext access', async () => {
    const d = delegate({ issuer: owner, audience: replica.did, subject: owner.did, command: CAPSULE_REPLICATE, capsule: CAPSULE })
    const inv = readAs(replica, [d])
    expect((await errorOf(createValidator({ now: () => NOW }).validateInvocation(inv, { proofs: [d] })))?.name).toBe('InvalidClaim')
  })
})

describe('attenuation: a chain never widens', () => {
  it('delegate() refuses to widen the command it was given', () => {
    const { d1, d2 } = chain()
    expect(() => delegate({ issuer: carol, audience: dan.did, subject: owner.did, command: '/capsule', proofs: [d1, d2] }))
      .toThrow(expect.objectContaining({ name: 'InvalidClaim' }))
    expect(() => delegate({ issuer: mallory, audience: dan.did, subject: owner.did, command: CAPSULE_READ, proofs: [d1, d2] }))
      .toThrow(expect.objectContaining({ name: 'InvalidAudience' }))
  })

  it('a hand-made widening delegation is refused by the validator', async () => {
    const { d1, d2 } = chain()
    // Carol signs "/" although she was given /capsule/read: bypass delegate()'s own check.
    const wide = decodeToken(encodeEnvelope(carol, DELEGATION_TAG, {
      iss: carol.did, aud: dan.did, sub: owner.did, cmd: '/', pol: [], nonce: new Uint8Array(16), exp: null
    }).bytes) as Delegation
    const inv = invoke({ issuer: dan, subject: owner.did, command: CAPSULE_READ, capsule: CAPSULE, proofs: [d1, d2, wide], issuedAt: NOW })
    const err = await errorOf(createValidator({ now: () => NOW }).validateInvocation(inv, { proofs: [d1, d2, wide] }))
    expect(err?.name).toBe('InvalidClaim')
    // Even for a command both could grant (read), the widening link makes the chain invalid.
    expect((await errorOf(createValidator({ now: () => NOW }).validateChain([d1, d2, wide])))?.name).toBe('InvalidClaim')
  })

  it('dropping the capsule restriction does not widen: every policy in the chain still applies', async () => {
    const d1 = delegate({ issuer: owner, audience: bob.did, subject: owner.did, command: CAPSULE_READ, capsule: CAPSULE })
    const d2 = delegate({ issuer: bob, audience: carol.did, subject: owner.did, command: CAPSULE_READ, proofs: [d1] }) // no policy
    const inv = invoke({ issuer: carol, subject: owner.did, command: CAPSULE_READ, capsule: OTHER, proofs: [d1, d2], issuedAt: NOW })
    expect((await errorOf(createValidator({ now: () => NOW }).validateInvocation(inv, { proofs: [d1, d2] })))?.name).toBe('MatchError')
  })
})

describe('subjects, capsules and audiences', () => {
  it('a token for another subject is refused', async () => {
    const { d1, d2 } = chain()
    const v = createValidator({ now: () => NOW })
    const inv = readAs(carol, [d1, d2])
    expect((await errorOf(v.validateInvocation(inv, { proofs: [d1, d2], subject: mallory.did })))?.name).toBe('InvalidSubject')
    // An invocation naming a subject its chain is not about.
    const forged = invoke({ issuer: carol, subject: mallory.did, command: CAPSULE_READ, capsule: CAPSULE, proofs: [d1, d2], issuedAt: NOW })
    expect((await errorOf(v.validateInvocation(forged, { proofs: [d1, d2] })))?.name).toBe('InvalidSubject')
  })

  it('a token for another capsule is refused (policy, then the executor\'s expectation)', async () => {
    const { d1, d2 } = chain()
    const v = createValidator({ now: () => NOW })
    const other = invoke({ issuer: carol, subject: owner.did, command: CAPSULE_READ, capsule: OTHER, proofs: [d1, d2], issuedAt: NOW })
    expect((await errorOf(v.validateInvocation(other, { proofs: [d1, d2] })))?.name).toBe('MatchError')
    const inv = readAs(carol, [d1, d2])
    expect((await errorOf(v.validateInvocation(inv, { proofs: [d1, d2], capsule: OTHER })))?.name).toBe('InvalidSubject')
  })

  it('wrong audience: an invoker not at the end of the chain, or an invocation for another executor', async () => {
    const { d1, d2 } = chain()
    const v = createValidator({ now: () => NOW })
    expect((await errorOf(v.validateInvocation(readAs(mallory, [d1, d2]), { proofs: [d1, d2] })))?.name).toBe('InvalidAudience')
    const inv = readAs(carol, [d1, d2], { audience: replica.did })
    expect((await errorOf(v.validateInvocation(inv, { proofs: [d1, d2], audience: mallory.did })))?.name).toBe('InvalidAudience')
    expect((await errorOf(v.validateInvocation(inv, { proofs: [d1, d2], audience: replica.did })))).toBeUndefined()
  })

  it('an invocation for another command than the one about to run is refused', async () => {
    const { d1 } = chain()
    const inv = invoke({ issuer: bob, subject: owner.did, command: CAPSULE_READ, capsule: CAPSULE, proofs: [d1], issuedAt: NOW })
    expect((await errorOf(createValidator({ now: () => NOW }).validateInvocation(inv, { proofs: [d1], command: CAPSULE_APPEND })))?.name).toBe('InvalidClaim')
  })

  it('a powerline delegation passes any subject its issuer can prove, but never as root', async () => {
    const d1 = delegate({ issuer: owner, audience: bob.did, subject: owner.did, command: '/' })
    const power = delegate({ issuer: bob, audience: carol.did, subject: null, command: '/' })
    const inv = invoke({ issuer: carol, subject: owner.did, command: CAPSULE_APPEND, proofs: [d1, power], issuedAt: NOW })
    expect(await errorOf(createValidator({ now: () => NOW }).validateInvocation(inv, { proofs: [d1, power] }))).toBeUndefined()
    const alone = invoke({ issuer: carol, subject: owner.did, command: CAPSULE_APPEND, proofs: [power], issuedAt: NOW })
    expect((await errorOf(createValidator({ now: () => NOW }).validateInvocation(alone, { proofs: [power] })))?.name).toBe('InvalidClaim')
  })
})

describe('tampering, time and replay', () => {
  it('a tampered signature is refused, also after the genuine token was cached', async () => {
    const { d1 } = chain()
    const v = createValidator({ now: () => NOW })
    const inv = readAs(bob, [d1])
    await v.validateInvocation(inv, { proofs: [d1] })
    for (const target of ['invocation', 'proof'] as const) {
      const src = target === 'invocation' ? inv.bytes : d1.bytes
      const bad = src.slice()
      bad[5] ^= 0x01 // inside the 64-byte signature (after 0x82 0x58 0x40)
      const err = target === 'invocation'
        ? await errorOf(v.validateInvocation(bad, { proofs: [d1] }))
        : await errorOf(v.validateInvocation(invoke({ issuer: bob, subject: owner.did, command: CAPSULE_READ, capsule: CAPSULE, proofs: [decodeToken(bad) as Delegation], issuedAt: NOW }), { proofs: [bad] }))
      expect(err?.name).toBe('InvalidSignature')
    }
  })

  it('a signature by someone other than the issuer is refused', async () => {
    const forged = encodeEnvelope(mallory, DELEGATION_TAG, { iss: owner.did, aud: mallory.did, sub: owner.did, cmd: '/', pol: [], nonce: new Uint8Array(16), exp: null })
    expect((await errorOf(createValidator({ now: () => NOW }).validateChain([forged.bytes])))?.name).toBe('InvalidSignature')
  })

  it('a token replayed past its expiry is Expired; before its nbf TooEarly', async () => {
    const d1 = delegate({ issuer: owner, audience: bob.did, subject: owner.did, command: CAPSULE_READ, notBefore: NOW - 10, expiration: NOW + 60 })
    const inv = invoke({ issuer: bob, subject: owner.did, command: CAPSULE_READ, proofs: [d1], issuedAt: NOW, expiration: NOW + 30 })
    let clock = NOW
    const v = createValidator({ now: () => clock })
    await v.validateInvocation(inv, { proofs: [d1] })
    clock = NOW + 31 // the invocation expired; the cached chain must not hide that
    expect((await errorOf(v.validateInvocation(inv, { proofs: [d1] })))?.name).toBe('Expired')
    const longer = invoke({ issuer: bob, subject: owner.did, command: CAPSULE_READ, proofs: [d1], issuedAt: NOW, expiration: null })
    clock = NOW + 61 // now the delegation itself expired
    expect((await errorOf(v.validateInvocation(longer, { proofs: [d1] })))?.name).toBe('Expired')
    clock = NOW - 11
    expect((await errorOf(v.validateInvocation(longer, { proofs: [d1] })))?.name).toBe('TooEarly')
  })

  it('once: the same invocation is accepted one time only', async () => {
    const { d1 } = chain()
    const v = createValidator({ now: () => NOW })
    const inv = readAs(bob, [d1])
    await v.validateInvocation(inv, { proofs: [d1], once: true })
    expect((await errorOf(v.validateInvocation(inv, { proofs: [d1], once: true })))?.name).toBe('Replayed')
    // Another validator (another node) keeps its own replay set.
    await expect(createValidator({ now: () => NOW }).validateInvocation(inv, { proofs: [d1], once: true })).resolves.toBeDefined()
  })

  it('a missing proof is UnavailableProof; an invocation as a proof is InvalidClaim', async () => {
    const { d1, d2 } = chain()
    const v = createValidator({ now: () => NOW })
    expect((await errorOf(v.validateInvocation(readAs(carol, [d1, d2]), { proofs: [d1] })))?.name).toBe('UnavailableProof')
    const other = readAs(bob, [d1])
    const weird = invoke({ issuer: bob, subject: owner.did, command: CAPSULE_READ, proofs: [other], issuedAt: NOW })
    expect((await errorOf(v.validateInvocation(weird, { proofs: [other] })))?.name).toBe('InvalidClaim')
  })

  it('8-deep chains validate and each link is checked', async () => {
    const people = Array.from({ length: 9 }, (_, i) => testKey(`deep-${i}`))
    const root = people[0]
    const proofs: Delegation[] = []
    for (let i = 0; i < 8; i++) {
      proofs.push(delegate({ issuer: people[i], audience: people[i + 1].did, subject: root.did, command: CAPSULE_READ, proofs: [...proofs] }))
    }
    const inv = invoke({ issuer: people[8], subject: root.did, command: CAPSULE_READ, proofs, issuedAt: NOW })
    await expect(createValidator({ now: () => NOW }).validateInvocation(inv, { proofs })).resolves.toBeDefined()
    // Drop a middle link: principal alignment breaks.
    const gap = [...proofs.slice(0, 4), ...proofs.slice(5)]
    const inv2 = invoke({ issuer: people[8], subject: root.did, command: CAPSULE_READ, proofs: gap, issuedAt: NOW })
    expect((await errorOf(createValidator({ now: () => NOW }).validateInvocation(inv2, { proofs: gap })))?.name).toBe('InvalidAudience')
  })
})
