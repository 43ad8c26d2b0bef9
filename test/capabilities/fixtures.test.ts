// UCAN 1.0 conformance: every case of ../shared/fixtures/ucan/1.0.0/*.json, read at run time.
import { describe, it, expect } from 'vitest'
import * as dagCbor from '@ipld/dag-cbor'
import { createValidator, decodeToken, Ed25519Key, parsePolicy, matchPolicy } from '../../capabilities/index.js'
import { encodeEnvelope } from '../../capabilities/envelope.js'
import { fixtureDir, fixtureMissingReason, fromBase64, readFixture } from './_fixtures.js'

if (fixtureDir === undefined) console.warn(fixtureMissingReason)

interface Bytes { '/': { bytes: string } }
interface InvocationCase { name: string, description: string, time: number, invocation: Bytes, proofs: Bytes[], error?: { name: string } }

const bytesOf = (b: Bytes): Uint8Array => fromBase64(b['/'].bytes)

describe.skipIf(fixtureDir === undefined)('UCAN 1.0 fixtures: invocation.json', () => {
  const fx = fixtureDir === undefined ? { valid: [], invalid: [] } : readFixture<{ valid: InvocationCase[], invalid: InvocationCase[] }>('invocation.json')

  it('has cases', () => {
    expect(fx.valid.length).toBeGreaterThan(0)
    expect(fx.invalid.length).toBeGreaterThan(0)
  })

  for (const c of fx.valid) {
    it(`valid: ${c.name}`, async () => {
      for (const cache of [false, true]) {
        const v = createValidator({ cache, now: () => c.time })
        const res = await v.validateInvocation(bytesOf(c.invocation), { proofs: c.proofs.map(bytesOf) })
        expect(res.proofs.length).toBe(c.proofs.length)
        // Second run exercises the cached path and must agree.
        await v.validateInvocation(bytesOf(c.invocation), { proofs: c.proofs.map(bytesOf) })
      }
    })
  }

  for (const c of fx.invalid) {
    it(`invalid: ${c.name} → ${c.error?.name}`, async () => {
      for (const cache of [false, true]) {
        const v = createValidator({ cache, now: () => c.time })
        const err = await v.validateInvocation(bytesOf(c.invocation), { proofs: c.proofs.map(bytesOf) }).then(() => undefined, (e: Error) => e)
        expect(err?.name).toBe(c.error?.name)
      }
    })
  }
})

describe.skipIf(fixtureDir === undefined)('UCAN 1.0 fixtures: delegation.json', () => {
  const fx = fixtureDir === undefined ? { valid: [], principals: {} } : readFixture('delegation.json')

  for (const c of fx.valid as any[]) {
    it(`valid: ${c.name as string}`, async () => {
      const bytes = fromBase64(c.token)
      const t = decodeToken(bytes)
      expect(t.kind).toBe('delegation')
      expect(t.cid.toString()).toBe(c.cid)
      expect(t.signature).toEqual(fromBase64(c.envelope.signature))
      const p = c.envelope.payload
      if (t.kind !== 'delegation') return
      expect(t.payload.iss).toBe(p.iss)
      expect(t.payload.aud).toBe(p.aud)
      expect(t.payload.sub).toBe(p.sub)
      expect(t.payload.cmd).toBe(p.cmd)
      expect(t.payload.pol).toEqual(p.pol)
      expect(t.payload.exp).toBe(p.exp)
      expect(t.payload.nonce).toEqual(fromBase64(p.nonce))
      // The chain of one is valid before its expiry and Expired after it.
      const v = createValidator({ cache: false })
      await expect(v.validateChain([bytes], { now: p.exp - 1 })).resolves.toBeDefined()
      await expect(v.validateChain([bytes], { now: p.exp + 1 })).rejects.toHaveProperty('name', 'Expired')
    })
  }

  it('principals are Ed25519 keys whose re-signing reproduces the fixture bytes exactly', () => {
    const keys: Record<string, Ed25519Key> = {}
    for (const [name, b64] of Object.entries(fx.principals as Record<string, string>)) {
      const raw = fromBase64(b64)
      expect([raw[0], raw[1]]).toEqual([0x80, 0x26]) // varint(0x1300), ed25519-priv
      keys[name] = Ed25519Key.fromSecret(raw.subarray(2))
    }
    for (const c of fx.valid as any[]) {
      const original = decodeToken(fromBase64(c.token))
      const signer = Object.values(keys).find(k => k.did === original.payload.iss)
      expect(signer).toBeDefined()
      // Re-encode the decoded payload with our encoder and sign: Ed25519 is deterministic.
      const again = encodeEnvelope(signer!, original.tag, dagCbor.decode(dagCbor.encode(original.payload)) as unknown as Record<string, unknown>)
      expect(again.bytes).toEqual(original.bytes)
    }
  })
})

interface PolicyCase { args: unknown, policies: unknown[][] }

describe.skipIf(fixtureDir === undefined)('UCAN 1.0 fixtures: policy.json', () => {
  const fx = fixtureDir === undefined ? { valid: [], invalid: [] } : readFixture<{ valid: PolicyCase[], invalid: PolicyCase[] }>('policy.json')
  let n = 0
  for (const [kind, cases] of [['valid', fx.valid], ['invalid', fx.invalid]] as const) {
    for (const c of cases) {
      for (const pol of c.policies) {
        const i = n++
        it(`${kind} #${i}: ${JSON.stringify(pol).slice(0, 80)}`, () => {
          expect(matchPolicy(parsePolicy(pol), c.args)).toBe(kind === 'valid')
        })
      }
    }
  }
})
