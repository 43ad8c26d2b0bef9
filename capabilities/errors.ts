/** A DID that is not a did:key we understand (only Ed25519 did:key is supported). */
export class InvalidDidError extends Error {
  static name = 'InvalidDidError'
  override name = 'InvalidDidError'
  constructor (message = 'Invalid or unsupported DID') { super(message) }
}

/** A secret key of the wrong type or length. */
export class InvalidKeyError extends Error {
  static name = 'InvalidKeyError'
  override name = 'InvalidKeyError'
  constructor (message = 'Invalid key') { super(message) }
}
