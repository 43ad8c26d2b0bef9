// Our own UCAN vectors (test/vectors/ucan-vivim.json): for each token shape we issue,
// the inputs, the dag-cbor bytes in hex and the CID; and invalid cases with the
// expected error name. Keys come from seeds and Ed25519 is deterministic, so the
// bytes are reproducible: a change of encoding shows up here as a diff.
// Regenerate (only on purpose) with UPDATE_VECTORS=1 npx vitest run test/capabilities/vectors.test.ts
import { describe, it, expect } from 'vitest'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import {
  CAPSULE_READ, createRevocation, createValidator, decodeToken, delegate, invoke, type Delegation, type Token
} from '../../capabilities/index.js'
import { NOW, seeded, testKey } from './_keys.js'

const FILE = new URL('../vectors/ucan-vivim.json', import.meta.url)
const hex = (b: Uint8Array): string => Array.from(b, x => x.toString(16).padStart(2, '0')).join('')
const unhex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], h => parseInt(h, 16))

const owner = testKey('owner')
const bob = testKey('bob')
const carol = testKey('carol')
const replica = testKey('replica')
const CAPSULE = 'bafyreigyftnzjf4rcu7glp5kfop53vqlopc3zcldauoqdxqlz7t4343gr4'

interface Vectors {
  comment: string
  principals: Record<string, string>
  valid: Array<{ name: string, kind: string, hex: string, cid: string }>
  invalid: Array<{ name: string, time: number, invocation: string, proofs: string[], revocations?: string[], check?: Record<string, string>, error: string }>
}

function build (): Vectors {
  const d1 = delegate({ issuer: owner, audience: bob.did, subject: owner.did, command: '/capsule', capsule: CAPSULE, expiration: NOW + 86400, nonce: seeded('d1') })
  const d2 = delegate({ issuer: bob, audience: carol.did, subject: owner.did, command: CAPSULE_READ, proofs: [d1], notBefore: NOW - 60, expiration: NOW + 3600, nonce: seeded('d2'), policy: [['like', '.path', '/notes/*']] })
  const inv = invoke({ issuer: carol, subject: owner.did, command: CAPSULE_READ, capsule: CAPSULE, args: { path: '/notes/2026' }, proofs: [d1, d2], audience: replica.did, issuedAt: NOW, expiration: NOW + 300, nonce: seeded('inv') })
  const rev = createRevocation({ issuer: bob, revoke: d2.cid, issuedAt: NOW, reason: 'device lost' })
  const invAppend = invoke({ issuer: carol, subject: owner.did, command: '/capsule/append', capsule: CAPSULE, proofs: [d1, d2], issuedAt: NOW, expiration: null, nonce: seeded('inv-append') })
  const invOther = invoke({ issuer: carol, subject: owner.did, command: CAPSULE_READ, capsule: 'bafyreiother', args: { path: '/notes/x' }, proofs: [d1, d2], issuedAt: NOW, expiration: null, nonce: seeded('inv-other') })
  const invPath = invoke({ issuer: carol, subject: owner.did, command: CAPSULE_READ, capsule: CAPSULE, args: { path: '/secrets/x' }, proofs: [d1, d2], issuedAt: NOW, expiration: null, nonce: seeded('inv-path') })
  const tampered = inv.bytes.slice(); tampered[7] ^= 0x01
  const h = (t: Token): string => hex(t.bytes)
  const P = [h(d1), h(d2)]
  return {
    comment: 'vivim UCAN vectors: tokens as dag-cbor hex with CIDv1 dag-cbor sha2-256; principals are SHA-256("vivim-test/<name>") Ed25519 seeds; times are Unix seconds.',
    principals: { owner: owner.did, bob: bob.did, carol: carol.did, replica: replica.did },
    valid: [
      { name: 'owner delegates /capsule on one capsule to bob', kind: 'delegation', hex: h(d1), cid: d1.id },
      { name: 'bob attenuates to /capsule/read with a path policy for carol', kind: 'delegation', hex: h(d2), cid: d2.id },
      { name: 'carol invokes /capsule/read at a replica', kind: 'invocation', hex: h(inv), cid: inv.id },
      { name: 'bob revokes his delegation to carol', kind: 'revocation', hex: h(rev.token), cid: rev.token.id }
    ],
    invalid: [
      { name: 'replayed past its expiry', time: NOW + 301, invocation: h(inv), proofs: P, error: 'Expired' },
      { name: 'before the proof\'s nbf', time: NOW - 61, invocation: h(inv), proofs: P, error: 'TooEarly' },
      { name: 'for another subject than the executor serves', time: NOW, invocation: h(inv), proofs: P, check: { subject: carol.did }, error: 'InvalidSubject' },
      { name: 'for another capsule than the executor serves', time: NOW, invocation: h(inv), proofs: P, check: { capsule: 'bafyreiother' }, error: 'InvalidSubject' },
      { name: 'args name another capsule than the delegation\'s policy', time: NOW, invocation: h(invOther), proofs: P, error: 'MatchError' },
      { name: 'a path outside the delegated policy', time: NOW, invocation: h(invPath), proofs: P, error: 'MatchError' },
      { name: 'addressed to another executor', time: NOW, invocation: h(inv), proofs: P, check: { audience: owner.did }, error: 'InvalidAudience' },
      { name: 'a command the chain does not grant (/capsule/read does not grant /capsule/append)', time: NOW, invocation: h(invAppend), proofs: P, error: 'InvalidClaim' },
      { name: 'a tampered invocation signature', time: NOW, invocation: hex(tampered), proofs: P, error: 'InvalidSignature' },
      { name: 'a proof revoked by its issuer', time: NOW, invocation: h(inv), proofs: P, revocations: [h(rev.token)], error: 'Revoked' },
      { name: 'a missing proof', time: NOW, invocation: h(inv), proofs: [P[0]], error: 'UnavailableProof' }
    ]
  }
}

describe('vivim UCAN vectors', () => {
  const fresh = build()
  if (process.env.UPDATE_VECTORS === '1' || !existsSync(FILE)) writeFileSync(FILE, JSON.stringify(fresh, null, 2) + '\n')
  const stored = JSON.parse(readFileSync(FILE, 'utf8')) as Vectors

  it('our encoder reproduces every stored vector byte for byte', () => {
    expect(fresh).toEqual(stored)
  })

  for (const v of stored.valid) {
    it(`valid: ${v.name}`, async () => {
      const bytes = unhex(v.hex)
      // Differential: @ipld/dag-cbor and multiformats alone agree on shape and CID.
      const raw = dagCbor.decode(bytes) as [Uint8Array, Record<string, unknown>]
      expect(raw[0].length).toBe(64)
      expect(CID.createV1(0x71, await sha256.digest(bytes)).toString()).toBe(v.cid)
      expect(decodeToken(bytes).id).toBe(v.cid)
    })
  }

  for (const c of stored.invalid) {
    it(`invalid: ${c.name} → ${c.error}`, async () => {
      const v = createValidator({ now: () => c.time })
      for (const r of c.revocations ?? []) await v.addRevocation(unhex(r))
      const err = await v.validateInvocation(unhex(c.invocation), { proofs: c.proofs.map(unhex), ...(c.check ?? {}) }).then(() => undefined, (e: Error) => e)
      expect(err?.name).toBe(c.error)
    })
  }

  it('the valid chain itself is valid at its time (control)', async () => {
    const [d1, d2, inv] = stored.valid.slice(0, 3).map(x => decodeToken(unhex(x.hex)))
    await expect(createValidator({ now: () => NOW }).validateInvocation(inv, { proofs: [d1 as Delegation, d2 as Delegation], audience: replica.did, capsule: CAPSULE })).resolves.toBeDefined()
  })
})
