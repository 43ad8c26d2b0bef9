/**
 * @packageDocumentation
 *
 * Native (node:crypto) Ed25519 signing and verification for the node's hot paths.
 */
export { nativeVerifier, nativeSigner } from './native.js'
