// Identity: did:key, and the X25519 key derived from the same Ed25519 secret.
import { describe, it, expect } from 'vitest'
import { x25519, ed25519 } from '@noble/curves/ed25519.js'
import { Ed25519Key, didFromPublicKey, publicKeyFromDid, verifyDidSignature, x25519PublicKeyFromDid } from '../../capabilities/index.js'
import { testKey } from './_keys.js'

const nameOf = (f: () => unknown): string | undefined => {
  try { f(); return undefined } catch (e) { return (e as Error).name }
}

describe('identity', () => {
  const alice = testKey('alice')
  const bob = testKey('bob')

  it('did:key names the Ed25519 key and signatures verify', () => {
    expect(alice.did.startsWith('did:key:z6Mk')).toBe(true)
    expect(publicKeyFromDid(alice.did)).toEqual(alice.publicKey)
    expect(didFromPublicKey(alice.publicKey)).toBe(alice.did)
    const msg = new TextEncoder().encode('hi')
    expect(verifyDidSignature(alice.did, msg, alice.sign(msg))).toBe(true)
    expect(verifyDidSignature(bob.did, msg, alice.sign(msg))).toBe(false)
    expect(Ed25519Key.fromSecret(alice.exportSecret()).did).toBe(alice.did)
  })

  it('the X25519 secret is the clamped Ed25519 scalar, and its public key is the Montgomery image of the DID key', () => {
    const xs = alice.exportX25519Secret()
    expect(x25519.getPublicKey(xs)).toEqual(alice.x25519PublicKey)
    expect(x25519PublicKeyFromDid(alice.did)).toEqual(alice.x25519PublicKey)
    expect(ed25519.utils.toMontgomerySecret(alice.exportSecret())).toEqual(xs)
  })

  it('key agreement is symmetric between two identities', () => {
    expect(alice.agree(bob.x25519PublicKey)).toEqual(bob.agree(x25519PublicKeyFromDid(alice.did)))
  })

  it('refuses malformed DIDs and keys with typed errors', () => {
    expect(nameOf(() => publicKeyFromDid('did:web:example.com'))).toBe('InvalidDidError')
    expect(nameOf(() => x25519PublicKeyFromDid('did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme'))).toBe('InvalidDidError')
    expect(nameOf(() => Ed25519Key.fromSecret(new Uint8Array(31)))).toBe('InvalidKeyError')
    expect(nameOf(() => alice.agree(new Uint8Array(5)))).toBe('InvalidKeyError')
  })
})
