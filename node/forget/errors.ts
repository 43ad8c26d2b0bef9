/** A forget query or target list that names nothing to forget. */
export class NothingToForgetError extends Error {
  static override name = 'NothingToForgetError'
  override name = 'NothingToForgetError'
  constructor (message = 'Nothing matches: no frame to forget') { super(message) }
}
