/**
 * @packageDocumentation
 *
 * Identity (Ed25519 `did:key`), UCAN capabilities and encryption keys.
 *
 * @example
 * ```ts
 * import { Ed25519Key, verifyDidSignature } from './capabilities/index.js'
 * const key = Ed25519Key.generate()
 * verifyDidSignature(key.did, msg, key.sign(msg))
 * ```
 */
export { Ed25519Key, didFromPublicKey, publicKeyFromDid, verifyDidSignature } from './identity.js'
export type { Signer } from './identity.js'
export { InvalidDidError, InvalidKeyError } from './errors.js'
