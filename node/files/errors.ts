// One class per way a capsule file can be refused (STYLE.md "Errors"): callers check `name`.

/** The file is empty. */
export class EmptyFileError extends Error {
  static override name = 'EmptyFileError'
  override name = 'EmptyFileError'
  constructor (message = 'The capsule file is empty') { super(message) }
}

/** Not a capsule file: not a CAR v1, a malformed CAR, a missing or wrong manifest, roots that do not match, or blocks that belong to no capsule. */
export class InvalidCapsuleFileError extends Error {
  static override name = 'InvalidCapsuleFileError'
  override name = 'InvalidCapsuleFileError'
  constructor (message = 'Not a valid capsule file') { super(message) }
}

/** A container version, KDF or parameter this code does not read. */
export class UnsupportedFileError extends Error {
  static override name = 'UnsupportedFileError'
  override name = 'UnsupportedFileError'
  constructor (message = 'Unsupported capsule file') { super(message) }
}

/** The file is encrypted and no passphrase was given (or none can be asked for). */
export class PassphraseRequiredError extends Error {
  static override name = 'PassphraseRequiredError'
  override name = 'PassphraseRequiredError'
  constructor (message = 'The capsule file is encrypted: a passphrase is required') { super(message) }
}

/** The passphrase does not open the file (its key check fails while the header is intact). */
export class WrongPassphraseError extends Error {
  static override name = 'WrongPassphraseError'
  override name = 'WrongPassphraseError'
  constructor (message = 'Wrong passphrase') { super(message) }
}

/** The file ends early: inside the header, inside a chunk, or exactly at a chunk boundary before the last chunk. */
export class TruncatedFileError extends Error {
  static override name = 'TruncatedFileError'
  override name = 'TruncatedFileError'
  constructor (message = 'The capsule file is truncated') { super(message) }
}

/** Bytes were altered (header or chunk authentication fails), or data follows the last chunk. */
export class TamperedFileError extends Error {
  static override name = 'TamperedFileError'
  override name = 'TamperedFileError'
  constructor (message = 'The capsule file was altered') { super(message) }
}

/** A chunk stands at the wrong place: it authenticates under a later chunk number. */
export class ReorderedChunksError extends Error {
  static override name = 'ReorderedChunksError'
  override name = 'ReorderedChunksError'
  constructor (message = 'Chunks of the capsule file are out of order') { super(message) }
}

/** A chunk appears twice: it authenticates under the number of a chunk already read. */
export class DuplicatedChunkError extends Error {
  static override name = 'DuplicatedChunkError'
  override name = 'DuplicatedChunkError'
  constructor (message = 'A chunk of the capsule file appears twice') { super(message) }
}

/** The capsule's history in the file is not closed: a commit, frame or genesis it names is absent. */
export class IncompleteCapsuleError extends Error {
  static override name = 'IncompleteCapsuleError'
  override name = 'IncompleteCapsuleError'
  constructor (message = 'The capsule file lacks blocks its history needs') { super(message) }
}

/** The owner's rules forbid re-sharing, and the exporter is not the owner. */
export class ReshareNotAllowedError extends Error {
  static override name = 'ReshareNotAllowedError'
  override name = 'ReshareNotAllowedError'
  constructor (message = 'The capsule\'s owner does not allow re-sharing it') { super(message) }
}
