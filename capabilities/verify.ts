// Ed25519 signature verification for tokens and signed records.
//
// WebCrypto's Ed25519 (Node ≥ 20, current browsers and Deno) runs natively and, in
// Node, off the main thread: about 10× @noble/ed25519 on this machine, which is what
// makes thousands of cold chain checks per second possible. Where WebCrypto lacks
// Ed25519 we fall back to @noble/ed25519 with strict RFC 8032 checks (no ZIP-215),
// which matches OpenSSL's acceptance rules closely enough for well-formed signatures.

import * as ed from '@noble/ed25519'
import { publicKeyFromDid } from './identity.js'
import { VARSIG_ED25519_DAG_CBOR } from './constants.js'
import { bytesEqual } from './_bytes.js'

/** Verifies a DID's signature. Never throws: false for anything malformed. */
export interface SignatureVerifier {
  verify (did: string, message: Uint8Array, signature: Uint8Array): Promise<boolean>
}

/** Something signed in our envelope format. */
export interface SignedRecord {
  readonly header: Uint8Array
  readonly signed: Uint8Array
  readonly signature: Uint8Array
}

let webcrypto: Promise<boolean> | undefined

/** Whether this runtime's WebCrypto verifies Ed25519 (probed once; a capability check, not state). */
function hasWebCryptoEd25519 (): Promise<boolean> {
  webcrypto ??= (async () => {
    try {
      const subtle = globalThis.crypto?.subtle
      if (subtle === undefined) return false
      // The encoding of the Ed25519 base point (RFC 8032 §5.1): a valid public key everywhere.
      const basePoint = Uint8Array.of(0x58, ...new Array<number>(31).fill(0x66))
      const key = await subtle.importKey('raw', basePoint, { name: 'Ed25519' }, false, ['verify'])
      await subtle.verify('Ed25519', key, new Uint8Array(64), new Uint8Array(1))
      return true
    } catch {
      return false
    }
  })()
  return webcrypto
}

/**
 * A verifier with its own cache of imported public keys (bounded; per object, so
 * many nodes in one process share nothing).
 */
export function createSignatureVerifier (options: { maxKeys?: number, webcrypto?: boolean } = {}): SignatureVerifier {
  const maxKeys = options.maxKeys ?? 4096
  // Imported keys, by DID; null for a DID that is not a usable Ed25519 did:key.
  const keys = new Map<string, CryptoKey | null>()
  // `webcrypto: false` forces @noble/ed25519 (differential tests; runtimes without Ed25519 WebCrypto).
  let native: boolean | undefined = options.webcrypto === false ? false : undefined

  const importKey = async (did: string): Promise<CryptoKey | null> => {
    const known = keys.get(did)
    if (known !== undefined) return known
    let key: CryptoKey | null
    try {
      key = await crypto.subtle.importKey('raw', publicKeyFromDid(did) as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify'])
    } catch {
      key = null
    }
    if (keys.size >= maxKeys) keys.delete(keys.keys().next().value as string)
    keys.set(did, key)
    return key
  }

  return {
    async verify (did, message, signature) {
      if (!(signature instanceof Uint8Array) || signature.length !== 64) return false
      try {
        native ??= await hasWebCryptoEd25519()
        if (native) {
          const key = keys.get(did) ?? await importKey(did)
          if (key === null) return false
          return await crypto.subtle.verify('Ed25519', key, signature as Uint8Array<ArrayBuffer>, message as Uint8Array<ArrayBuffer>)
        }
        return ed.verify(signature, message, publicKeyFromDid(did), { zip215: false })
      } catch {
        return false
      }
    }
  }
}

/** True when a record's varsig header is Ed25519/DAG-CBOR and `did` signed it. */
export async function verifyRecord (verifier: SignatureVerifier, did: string, record: SignedRecord): Promise<boolean> {
  if (!bytesEqual(record.header, VARSIG_ED25519_DAG_CBOR)) return false
  return await verifier.verify(did, record.signed, record.signature)
}
