// Keys at rest: sealed secrets and the versioned keystore file.
import { describe, it, expect } from 'vitest'
import * as dagCbor from '@ipld/dag-cbor'
import { decodeKeystore, encodeKeystore, keystoreInfo, openSecret, sealSecret } from '../../capabilities/index.js'
import { errorOf, testKey } from './_keys.js'

const FAST = { N: 2 ** 10, r: 8, p: 1 } // tests only: the default is N = 2^17
const alice = testKey('alice')

describe('sealSecret / openSecret', () => {
  it('round-trips with the default (production) cost', async () => {
    const sealed = await sealSecret(alice.exportSecret(), 'correct horse battery staple')
    const inner = (dagCbor.decode(sealed) as Record<string, Record<string, unknown>>)['vivim/sealed@1']
    expect(inner.N).toBe(2 ** 17)
    expect(await openSecret(sealed, 'correct horse battery staple')).toEqual(alice.exportSecret())
  })

  it('a wrong passphrase is WrongPassphraseError; passphrases are NFKC-normalised', async () => {
    const sealed = await sealSecret(alice.exportSecret(), 'Ｐassphrase', FAST)
    expect((await errorOf(openSecret(sealed, 'passphrase')))?.name).toBe('WrongPassphraseError')
    expect(await openSecret(sealed, 'Passphrase')).toEqual(alice.exportSecret()) // fullwidth P ≡ P under NFKC
  })

  it('tampered parameters, salt or ciphertext read as a wrong passphrase', async () => {
    const sealed = await sealSecret(alice.exportSecret(), 'pw', FAST)
    const v = dagCbor.decode(sealed) as Record<string, Record<string, any>>
    const inner = v['vivim/sealed@1']
    const variants = [
      { ...inner, N: 2 ** 11 },
      { ...inner, salt: inner.salt.map((b: number, i: number) => i === 0 ? b ^ 1 : b) },
      { ...inner, ct: inner.ct.map((b: number, i: number) => i === 3 ? b ^ 1 : b) }
    ]
    for (const x of variants) {
      expect((await errorOf(openSecret(dagCbor.encode({ 'vivim/sealed@1': x }), 'pw')))?.name).toBe('WrongPassphraseError')
    }
  })

  it('malformed bytes or unsafe costs are MalformedKeystoreError, before any work', async () => {
    const sealed = await sealSecret(alice.exportSecret(), 'pw', FAST)
    const inner = (dagCbor.decode(sealed) as Record<string, Record<string, any>>)['vivim/sealed@1']
    const bad = [
      new Uint8Array([1, 2, 3]),
      dagCbor.encode({ other: inner }),
      dagCbor.encode({ 'vivim/sealed@1': { ...inner, kdf: 'pbkdf2' } }),
      dagCbor.encode({ 'vivim/sealed@1': { ...inner, N: 2 ** 30 } }), // memory bomb
      dagCbor.encode({ 'vivim/sealed@1': { ...inner, N: 1000 } }), // not a power of two
      dagCbor.encode({ 'vivim/sealed@1': { ...inner, nonce: new Uint8Array(12) } })
    ]
    for (const b of bad) expect((await errorOf(openSecret(b, 'pw')))?.name).toBe('MalformedKeystoreError')
  })
})

describe('keystore file', () => {
  it('plain and sealed keystores round-trip; the DID is readable without unlocking', async () => {
    const plain = await encodeKeystore(alice)
    expect(keystoreInfo(plain)).toEqual({ version: 1, did: alice.did, encrypted: false })
    expect((await decodeKeystore(plain)).did).toBe(alice.did)

    const sealed = await encodeKeystore(alice, { passphrase: 'pw', scrypt: FAST })
    expect(keystoreInfo(sealed)).toEqual({ version: 1, did: alice.did, encrypted: true })
    expect((await decodeKeystore(sealed, { passphrase: 'pw' })).did).toBe(alice.did)
    expect((await errorOf(decodeKeystore(sealed)))?.name).toBe('PassphraseRequiredError')
    expect((await errorOf(decodeKeystore(sealed, { passphrase: 'nope' })))?.name).toBe('WrongPassphraseError')
  })

  it('unknown versions, shapes, or a key that does not match the DID are refused', async () => {
    const plain = dagCbor.decode(await encodeKeystore(alice)) as Record<string, unknown>
    const cases = [
      { ...plain, 'vivim/keystore': 2 },
      { ...plain, did: testKey('bob').did },
      { ...plain, type: 'secp256k1' },
      { ...plain, sealed: new Uint8Array(3) }, // both secret and sealed
      { ...plain, extra: true }
    ]
    for (const c of cases) expect((await errorOf(decodeKeystore(dagCbor.encode(c))))?.name).toBe('MalformedKeystoreError')
    expect((await errorOf(decodeKeystore(new Uint8Array([0xa0]))))?.name).toBe('MalformedKeystoreError')
  })
})
