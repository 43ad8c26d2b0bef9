/** A block whose bytes do not hash to its CID. */
export class HashMismatchError extends Error {
  static override name = 'HashMismatchError'
  override name = 'HashMismatchError'
  constructor (message = 'Block bytes do not match their CID') { super(message) }
}

/** A CID whose codec or hash we do not store or cannot check. */
export class UnsupportedCidError extends Error {
  static override name = 'UnsupportedCidError'
  override name = 'UnsupportedCidError'
  constructor (message = 'Unsupported CID') { super(message) }
}

/** A record (frame, commit, genesis) whose shape or field types are wrong. */
export class InvalidRecordError extends Error {
  static override name = 'InvalidRecordError'
  override name = 'InvalidRecordError'
  constructor (message = 'Invalid record') { super(message) }
}

/** A frame kind not in FRAME_KINDS. */
export class UnknownKindError extends Error {
  static override name = 'UnknownKindError'
  override name = 'UnknownKindError'
  constructor (message = 'Unknown frame kind') { super(message) }
}

/** A block larger than MAX_BLOCK_SIZE. */
export class BlockTooLargeError extends Error {
  static override name = 'BlockTooLargeError'
  override name = 'BlockTooLargeError'
  constructor (message = 'Block too large') { super(message) }
}

/** A commit or genesis whose signature does not verify. */
export class InvalidSignatureError extends Error {
  static override name = 'InvalidSignatureError'
  override name = 'InvalidSignatureError'
  constructor (message = 'Invalid signature') { super(message) }
}

/** A block the history needs but the store does not hold. */
export class MissingBlockError extends Error {
  static override name = 'MissingBlockError'
  override name = 'MissingBlockError'
  constructor (message = 'Missing block') { super(message) }
}
