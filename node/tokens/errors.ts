/** Sharing a capsule whose rules forbid re-sharing, or that this node may not share. */
export class ShareForbiddenError extends Error {
  static override name = 'ShareForbiddenError'
  override name = 'ShareForbiddenError'
  constructor (message = 'This capsule may not be shared by this node') { super(message) }
}

/** A token CID this node neither issued nor received. */
export class TokenNotFoundError extends Error {
  static override name = 'TokenNotFoundError'
  override name = 'TokenNotFoundError'
  constructor (message = 'Token not found') { super(message) }
}
