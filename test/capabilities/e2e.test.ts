// End-to-end encryption: content encryption, key wrapping, epochs and reader removal.
import { describe, it, expect } from 'vitest'
import * as dagCbor from '@ipld/dag-cbor'
import { x25519 } from '@noble/curves/ed25519.js'
import {
  EpochKeyring, decodeEpochBlock, decodeWrappedKey, decryptContent, encodeWrappedKey, encryptContent, epochContext,
  generateContentKey, unwrapKey, wrapKey
} from '../../capabilities/index.js'
import { errorOf, nameOf, testKey } from './_keys.js'

const enc = new TextEncoder()
const owner = testKey('owner')
const bob = testKey('bob')
const carol = testKey('carol')
const CAPSULE = 'bafyreiprivatecapsule'

/** True when `needle` occurs anywhere in `hay`. */
function contains (hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer
    return true
  }
  return false
}

describe('content encryption', () => {
  const key = generateContentKey()
  const msg = enc.encode('the secret plan for tuesday')

  it('round-trips, with associated data, and hides the plaintext', () => {
    const box = encryptContent(key, msg, enc.encode(CAPSULE))
    expect(contains(box, enc.encode('secret plan'))).toBe(false)
    expect(decryptContent(key, box, enc.encode(CAPSULE))).toEqual(msg)
    expect(encryptContent(key, msg)).not.toEqual(encryptContent(key, msg)) // random nonces
  })

  it('a wrong key, wrong aad or any tampered byte fails with DecryptionError', () => {
    const box = encryptContent(key, msg, enc.encode(CAPSULE))
    expect(nameOf(() => decryptContent(generateContentKey(), box, enc.encode(CAPSULE)))).toBe('DecryptionError')
    expect(nameOf(() => decryptContent(key, box, enc.encode('other')))).toBe('DecryptionError')
    for (let i = 1; i < box.length; i++) {
      const bad = box.slice()
      bad[i] ^= 0x01
      expect(nameOf(() => decryptContent(key, bad, enc.encode(CAPSULE)))).toBe('DecryptionError')
    }
    const v2 = box.slice(); v2[0] = 2
    expect(nameOf(() => decryptContent(key, v2, enc.encode(CAPSULE)))).toBe('MalformedEnvelopeError')
    expect(nameOf(() => decryptContent(key, box.subarray(0, 30)))).toBe('MalformedEnvelopeError')
    expect(nameOf(() => decryptContent(new Uint8Array(16), box))).toBe('InvalidKeyError')
  })
})

describe('key wrapping (ephemeral X25519, HKDF-SHA256, XChaCha20-Poly1305)', () => {
  const key = generateContentKey()
  const ctx = epochContext(CAPSULE, 0)

  it('wraps for a DID; only that reader, in that context, unwraps', () => {
    const w = wrapKey(key, bob.did, ctx)
    expect(unwrapKey(w, bob, ctx)).toEqual(key)
    expect(nameOf(() => unwrapKey(w, carol, ctx))).toBe('DecryptionError')
    expect(nameOf(() => unwrapKey(w, bob, epochContext(CAPSULE, 1)))).toBe('DecryptionError')
    expect(nameOf(() => unwrapKey(w, bob, epochContext('other', 0)))).toBe('DecryptionError')
  })

  it('the X25519 key used is the one derived from the DID (no extra key exchange)', () => {
    expect(unwrapKey(wrapKey(key, bob.x25519PublicKey, ctx), bob, ctx)).toEqual(key)
  })

  it('wrapped-key blocks round-trip and decode strictly', () => {
    const w = wrapKey(key, bob.did)
    const bytes = encodeWrappedKey(w)
    expect(unwrapKey(decodeWrappedKey(bytes), bob)).toEqual(key)
    const raw = dagCbor.decode(bytes) as Record<string, { epk: Uint8Array, ct: Uint8Array }>
    const inner = raw['vivim/wrapped-key@1']
    expect(nameOf(() => decodeWrappedKey(dagCbor.encode({ 'vivim/wrapped-key@1': { ...inner, extra: 1 } })))).toBe('MalformedEnvelopeError')
    expect(nameOf(() => decodeWrappedKey(dagCbor.encode({ 'vivim/wrapped-key@1': { epk: inner.epk.subarray(1), ct: inner.ct } })))).toBe('MalformedEnvelopeError')
    expect(nameOf(() => decodeWrappedKey(new Uint8Array([0xff])))).toBe('MalformedEnvelopeError')
  })

  it('a low-order public key is refused rather than yielding a known shared secret', () => {
    expect(nameOf(() => wrapKey(key, new Uint8Array(32)))).toBe('InvalidKeyError')
    const w = wrapKey(key, bob.did)
    expect(nameOf(() => unwrapKey({ epk: new Uint8Array(32), ct: w.ct }, bob))).toBe('DecryptionError')
  })

  it('a wrong-shaped wrapped key is MalformedEnvelopeError', () => {
    expect(nameOf(() => unwrapKey({ epk: new Uint8Array(31), ct: new Uint8Array(48) }, bob))).toBe('MalformedEnvelopeError')
    expect(nameOf(() => unwrapKey(null as never, bob))).toBe('MalformedEnvelopeError')
    // Random (valid-length) garbage: fails authentication.
    expect(nameOf(() => unwrapKey({ epk: x25519.getPublicKey(x25519.utils.randomSecretKey()), ct: new Uint8Array(48) }, bob))).toBe('DecryptionError')
  })
})

describe('epoch keyring', () => {
  it('readers open the published blocks and decrypt; the owner is always a reader', async () => {
    const ring = EpochKeyring.create({ id: CAPSULE, admin: owner, readers: [bob.did, carol.did] })
    const box = ring.encrypt(enc.encode('frame one'))
    const blocks = ring.blocks().map(b => b.bytes)
    for (const reader of [owner, bob, carol]) {
      const view = await EpochKeyring.open({ id: CAPSULE, admin: owner.did, reader, blocks })
      expect(new TextDecoder().decode(view.decrypt(box))).toBe('frame one')
    }
    expect(ring.readers().sort()).toEqual([owner.did, bob.did, carol.did].sort())
  })

  it('a removed reader cannot decrypt anything of the new epoch', async () => {
    const ring = EpochKeyring.create({ id: CAPSULE, admin: owner, readers: [bob.did, carol.did] })
    const before = ring.encrypt(enc.encode('before removal'))
    const carolsOld = await EpochKeyring.open({ id: CAPSULE, admin: owner.did, reader: carol, blocks: ring.blocks().map(b => b.bytes) })
    const block = ring.rotate({ remove: [carol.did] })
    expect(block.epoch).toBe(1)
    expect([...block.readers.keys()].sort()).toEqual([owner.did, bob.did].sort())
    const after = ring.encrypt(enc.encode('after removal: carol must not read this'))
    const blocks = ring.blocks().map(b => b.bytes)

    // Carol with everything published: she keeps epoch 0, gets nothing of epoch 1.
    const carols = await EpochKeyring.open({ id: CAPSULE, admin: owner.did, reader: carol, blocks })
    expect(carols.hasKey(0)).toBe(true)
    expect(carols.hasKey(1)).toBe(false)
    expect(new TextDecoder().decode(carols.decrypt(before))).toBe('before removal')
    expect(nameOf(() => carols.decrypt(after))).toBe('NotAReaderError')
    expect(nameOf(() => carolsOld.decrypt(after))).toBe('UnknownEpochError')
    // Her only material is epoch 0's key, and the new block's wraps are not for her.
    const epoch1 = await decodeEpochBlock(blocks[1], { admin: owner.did, id: CAPSULE })
    for (const w of epoch1.readers.values()) expect(nameOf(() => unwrapKey(w, carol, epochContext(CAPSULE, 1)))).toBe('DecryptionError')
    // Forcing epoch 0's key on the new ciphertext (relabelled as epoch 0) fails too.
    const relabelled = after.slice(); relabelled[4] = 0
    expect(nameOf(() => carols.decrypt(relabelled))).toBe('DecryptionError')

    // Bob, still a reader, reads both.
    const bobs = await EpochKeyring.open({ id: CAPSULE, admin: owner.did, reader: bob, blocks })
    expect(new TextDecoder().decode(bobs.decrypt(after))).toContain('after removal')
    expect(new TextDecoder().decode(bobs.decrypt(before))).toBe('before removal')
  })

  it('the published blocks and ciphertext hold no plaintext and no content key', () => {
    const ring = EpochKeyring.create({ id: CAPSULE, admin: owner, readers: [bob.did] })
    const text = 'my private diary entry about the dentist'
    const box = ring.encrypt(enc.encode(text))
    const all = [box, ...ring.blocks().map(b => b.bytes)]
    for (const bytes of all) expect(contains(bytes, enc.encode('dentist'))).toBe(false)
  })

  it('addReader with history grants earlier epochs too; without it, only the current one', async () => {
    const ring = EpochKeyring.create({ id: CAPSULE, admin: owner, readers: [bob.did] })
    const old = ring.encrypt(enc.encode('old'))
    ring.rotate()
    const fresh = ring.encrypt(enc.encode('new'))
    ring.addReader(carol.did)
    let carols = await EpochKeyring.open({ id: CAPSULE, admin: owner.did, reader: carol, blocks: ring.blocks().map(b => b.bytes) })
    expect(new TextDecoder().decode(carols.decrypt(fresh))).toBe('new')
    expect(nameOf(() => carols.decrypt(old))).toBe('NotAReaderError')
    ring.addReader(carol.did, { history: true })
    carols = await EpochKeyring.open({ id: CAPSULE, admin: owner.did, reader: carol, blocks: ring.blocks().map(b => b.bytes) })
    expect(new TextDecoder().decode(carols.decrypt(old))).toBe('old')
  })

  it('blocks signed by someone else, or for another capsule, are refused', async () => {
    const mallorys = EpochKeyring.create({ id: CAPSULE, admin: testKey('mallory'), readers: [bob.did] })
    const blocks = mallorys.blocks().map(b => b.bytes)
    expect((await errorOf(EpochKeyring.open({ id: CAPSULE, admin: owner.did, reader: bob, blocks })))?.name).toBe('InvalidSignature')
    const ring = EpochKeyring.create({ id: 'other-capsule', admin: owner, readers: [bob.did] })
    expect((await errorOf(EpochKeyring.open({ id: CAPSULE, admin: owner.did, reader: bob, blocks: ring.blocks().map(b => b.bytes) })))?.name).toBe('MalformedEnvelopeError')
    // A tampered byte anywhere in a block: a typed error, never a key.
    const good = EpochKeyring.create({ id: CAPSULE, admin: owner, readers: [bob.did] }).blocks()[0].bytes
    for (let i = 0; i < good.length; i += 7) {
      const bad = good.slice(); bad[i] ^= 0x04
      const err = await errorOf(EpochKeyring.open({ id: CAPSULE, admin: owner.did, reader: bob, blocks: [bad] }))
      expect(['MalformedEnvelopeError', 'InvalidSignature', 'DecryptionError']).toContain(err?.name)
    }
  })

  it('a long-lived reader keyring follows rotations with addBlocks; a removed reader gains nothing', async () => {
    const ring = EpochKeyring.create({ id: CAPSULE, admin: owner, readers: [bob.did, carol.did] })
    const bobs = await EpochKeyring.open({ id: CAPSULE, admin: owner.did, reader: bob, blocks: ring.blocks().map(b => b.bytes) })
    const carols = await EpochKeyring.open({ id: CAPSULE, admin: owner.did, reader: carol, blocks: ring.blocks().map(b => b.bytes) })
    const next = ring.rotate({ remove: [carol.did] })
    const box = ring.encrypt(enc.encode('epoch one'))
    expect(nameOf(() => bobs.decrypt(box))).toBe('UnknownEpochError')
    expect(await bobs.addBlocks([next.bytes])).toEqual([1])
    expect(new TextDecoder().decode(bobs.decrypt(box))).toBe('epoch one')
    expect(await carols.addBlocks([next.bytes])).toEqual([])
    expect(nameOf(() => carols.decrypt(box))).toBe('NotAReaderError')
    // A forged block is refused and changes nothing.
    const forged = EpochKeyring.create({ id: CAPSULE, admin: testKey('mallory'), readers: [carol.did] }).blocks()[0].bytes
    expect((await errorOf(carols.addBlocks([forged])))?.name).toBe('InvalidSignature')
    expect(carols.hasKey(1)).toBe(false)
  })

  it('the owner reopens its keyring from the published blocks, with admin rights', async () => {
    const ring = EpochKeyring.create({ id: CAPSULE, admin: owner, readers: [bob.did, carol.did] })
    const box = ring.encrypt(enc.encode('kept'))
    const again = await EpochKeyring.open({ id: CAPSULE, admin: owner.did, reader: owner, blocks: ring.blocks().map(b => b.bytes) })
    expect(new TextDecoder().decode(again.decrypt(box))).toBe('kept')
    const next = again.rotate({ remove: [carol.did] })
    expect([...next.readers.keys()].sort()).toEqual([owner.did, bob.did].sort())
  })

  it('a reader\'s view cannot rotate or add readers', async () => {
    const ring = EpochKeyring.create({ id: CAPSULE, admin: owner, readers: [bob.did] })
    const bobs = await EpochKeyring.open({ id: CAPSULE, admin: owner.did, reader: bob, blocks: ring.blocks().map(b => b.bytes) })
    expect(nameOf(() => bobs.rotate())).toBe('NotAReaderError')
    expect(nameOf(() => bobs.addReader(carol.did))).toBe('NotAReaderError')
    // …but can write in the epoch it holds, and the owner reads it.
    expect(new TextDecoder().decode(ring.decrypt(bobs.encrypt(enc.encode('from bob'))))).toBe('from bob')
  })
})
