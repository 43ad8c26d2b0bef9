/**
 * Capture errors. Callers and tests check `err.name`, never the message.
 */

/** The file is not an export of any format we know (nothing was stored). */
export class NotAnExportError extends Error {
  static override readonly name = 'NotAnExportError'
  override readonly name = 'NotAnExportError'
  constructor (message = 'The file is not a recognised export') { super(message) }
}

/** `--format` named a format this build does not have. */
export class UnsupportedFormatError extends Error {
  static override readonly name = 'UnsupportedFormatError'
  override readonly name = 'UnsupportedFormatError'
  constructor (message = 'Unsupported export format') { super(message) }
}

/** The file could not be read (missing, a directory without exports, permissions). */
export class UnreadableFileError extends Error {
  static override readonly name = 'UnreadableFileError'
  override readonly name = 'UnreadableFileError'
  constructor (message = 'The file could not be read', options?: { cause?: unknown }) { super(message, options) }
}

/** The file has the right format but is broken as a whole (truncated, unbalanced); nothing was stored. */
export class MalformedExportError extends Error {
  static override readonly name = 'MalformedExportError'
  override readonly name = 'MalformedExportError'
  /** Byte offset where the damage was found, if known. */
  readonly byte?: number
  constructor (message = 'The export is malformed', byte?: number) {
    super(message)
    this.byte = byte
  }
}

/** One record is not valid JSON; it is skipped, the rest imported. */
export class InvalidRecordJsonError extends Error {
  static override readonly name = 'InvalidRecordJsonError'
  override readonly name = 'InvalidRecordJsonError'
  constructor (message = 'The record is not valid JSON') { super(message) }
}

/** One record is valid JSON but not of the expected shape; it is skipped. */
export class InvalidRecordShapeError extends Error {
  static override readonly name = 'InvalidRecordShapeError'
  override readonly name = 'InvalidRecordShapeError'
  constructor (message = 'The record does not have the expected shape') { super(message) }
}

/** One record is larger than MAX_RECORD_BYTES; it is skipped unread. */
export class RecordTooLargeError extends Error {
  static override readonly name = 'RecordTooLargeError'
  override readonly name = 'RecordTooLargeError'
  constructor (message = 'The record is too large') { super(message) }
}

/** The PDF could not be parsed. */
export class InvalidPdfError extends Error {
  static override readonly name = 'InvalidPdfError'
  override readonly name = 'InvalidPdfError'
  constructor (message = 'The PDF could not be read', options?: { cause?: unknown }) { super(message, options) }
}

/** The import was cancelled through its signal. */
export class AbortError extends Error {
  static override readonly name = 'AbortError'
  override readonly name = 'AbortError'
  constructor (message = 'The import was aborted') { super(message) }
}

/** A wrong argument at a public entry point. */
export class InvalidParametersError extends Error {
  static override readonly name = 'InvalidParametersError'
  override readonly name = 'InvalidParametersError'
  constructor (message = 'Invalid parameters') { super(message) }
}
