/** A capsule name or id the node does not hold. */
export class CapsuleNotFoundError extends Error {
  static override name = 'CapsuleNotFoundError'
  override name = 'CapsuleNotFoundError'
  constructor (message = 'Capsule not found') { super(message) }
}

/** A branch the capsule does not have. */
export class BranchNotFoundError extends Error {
  static override name = 'BranchNotFoundError'
  override name = 'BranchNotFoundError'
  constructor (message = 'Branch not found') { super(message) }
}

/** Creating a branch or capsule that exists already. */
export class AlreadyExistsError extends Error {
  static override name = 'AlreadyExistsError'
  override name = 'AlreadyExistsError'
  constructor (message = 'Already exists') { super(message) }
}

/** A frame CID the node does not hold. */
export class FrameNotFoundError extends Error {
  static override name = 'FrameNotFoundError'
  override name = 'FrameNotFoundError'
  constructor (message = 'Frame not found') { super(message) }
}

/** The node was used after `stop()`. */
export class NodeStoppedError extends Error {
  static override name = 'NodeStoppedError'
  override name = 'NodeStoppedError'
  constructor (message = 'The node is stopped') { super(message) }
}

/** search/context on a node created with `search: false`. */
export class SearchDisabledError extends Error {
  static override name = 'SearchDisabledError'
  override name = 'SearchDisabledError'
  constructor (message = 'This node was created with search: false') { super(message) }
}

/** An argument of the wrong value (types get TypeError). */
export class InvalidParametersError extends Error {
  static override name = 'InvalidParametersError'
  override name = 'InvalidParametersError'
  constructor (message = 'Invalid parameters') { super(message) }
}

/** A capsule past the expiry its owner signed into its rules: no longer served, searched or exported. */
export class CapsuleExpiredError extends Error {
  static override name = 'CapsuleExpiredError'
  override name = 'CapsuleExpiredError'
  constructor (message = 'The capsule has expired') { super(message) }
}

/** A frame this node forgot (tombstoned, then its block deleted by gc). */
export class FrameForgottenError extends Error {
  static override name = 'FrameForgottenError'
  override name = 'FrameForgottenError'
  constructor (message = 'The frame was forgotten') { super(message) }
}
