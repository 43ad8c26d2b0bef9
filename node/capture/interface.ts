/**
 * Types shared by the capture importers: the sink they write into (the node),
 * the normalized conversation model every importer produces, and the report.
 */

/** One frame to store; the same shape as `node.put`'s input. */
export interface PutInput {
  text: string
  capsule?: string
  branch?: string
  title?: string
  uri?: string
  tags?: Record<string, string>
  /** When it happened: a Date or ms since the epoch (UTC). */
  time?: Date | number
  kind?: 'message' | 'note' | 'document' | 'passage'
  role?: string
  conversation?: string
}

export interface PutManyOptions {
  capsule?: string
  branch?: string
}

/** Where importers write. The node implements it; tests use an in-memory double. */
export interface CaptureSink {
  /** Stores the frames in order; resolves once they are durable and searchable. */
  putMany (inputs: PutInput[], opts?: PutManyOptions): Promise<{ cids: string[] }>
  /** Idempotency: is a frame with this uri already stored? */
  hasUri (uri: string): Promise<boolean>
  /** Records the imported source file (hash, importer, version, counts). */
  recordSource? (record: SourceRecord): Promise<void>
  /**
   * Optional: stores several threads (each one putMany's worth) in one atomic, durable write,
   * in order. When present, the importer gathers many conversations per call instead of
   * paying one commit per thread.
   */
  putBatch? (threads: Array<{ inputs: PutInput[], opts: PutManyOptions }>): Promise<void>
  /** Optional: which of these uris are already stored (one lookup pass for a whole conversation). */
  hasUris? (uris: string[]): Promise<Set<string>>
}

export interface SourceRecord {
  sha256: string
  path: string
  format: string
  importer: string
  version: string
  conversations: number
  messages: number
}

/** Formats `importFile` knows. `auto` detects from content. */
export type ExportFormat =
  | 'chatgpt'
  | 'chatgpt-manifest'
  | 'zip'
  | 'chatgpt-share'
  | 'chatgpt-html'
  | 'claude'
  | 'claude-projects'
  | 'claude-memories'
  | 'gemini'
  | 'gemini-html'
  | 'aistudio'
  | 'grok'
  | 'deepseek'
  | 'openwebui'
  | 'openai-messages'
  | 'sillytavern'
  | 'markdown'
  | 'text'
  | 'pdf'

/** Typed pieces of a message. Provider markup becomes parts, never noise in `text`. */
export type Part =
  | { type: 'text', text: string }
  | { type: 'code', text: string, language?: string }
  | { type: 'image', pointer?: string, name?: string, mime?: string, width?: number, height?: number, size?: number, localPath?: string }
  | { type: 'file', name?: string, pointer?: string, mime?: string, size?: number, localPath?: string, text?: string }
  | { type: 'citation', url?: string, title?: string, ref?: string, text?: string }
  | { type: 'tool-call', name: string, input?: string, id?: string }
  | { type: 'tool-result', name?: string, text: string, id?: string }
  | { type: 'reasoning', text: string, summary?: string }
  | { type: 'artifact', id?: string, title?: string, mime?: string, language?: string, text: string }
  | { type: 'entity', kind?: string, name: string, description?: string }

export type PartType = Part['type']

export interface Message {
  id: string
  /** user | assistant | system | tool */
  role: string
  /** Display name where the provider gives one (a tool's name, a character's name). */
  author?: string
  /** ms since the epoch, UTC; undefined where the provider gives none. */
  time?: number
  model?: string
  parts: Part[]
  /** Small provider facts worth keeping (status, finish reason, …), as strings. */
  meta?: Record<string, string>
}

/** A branch that the provider did not show: regenerations, edited prompts. */
export interface Branch {
  /** Id of the message on the main thread (or an earlier branch) it forks from; undefined at the root. */
  forkFrom?: string
  messages: Message[]
}

export interface Conversation {
  provider: string
  id: string
  title?: string
  model?: string
  created?: number
  updated?: number
  /** Where it came from: file path and, for streams, the record's position. */
  source?: string
  /** The visible thread, oldest first. */
  messages: Message[]
  branches: Branch[]
  /** Kind of frame to write; documents and notes use 'passage' / 'note'. */
  kind?: 'message' | 'note' | 'passage' | 'document'
  /** Overrides the `<provider>://<id>` base of message uris (`<base>/<messageId>`). */
  uriBase?: string
  /** Overrides the frames' `conversation` value (default: the uri base). */
  conversationUri?: string
  tags?: Record<string, string>
}

/** A record an importer could not read; the rest of the file is still imported. */
export interface SkippedRecord {
  /** 0-based index of the record (array element, line, entry) in the file. */
  position: number
  /** Byte offset of the record's start, where known. */
  byte?: number
  /** 1-based line, for line-oriented formats. */
  line?: number
  /** Name of the error class that describes the failure. */
  error: string
  reason: string
  /** For folder and manifest imports: the file the record (or the failure of a whole file) belongs to. */
  file?: string
}

export interface ImportProgress {
  bytes: number
  total: number
  conversations: number
  messages: number
}

export interface ImportOptions {
  /** `auto` (default) detects from content. */
  format?: ExportFormat | 'auto'
  /** Capsule to write into; default one per provider (DEFAULT_CAPSULES). */
  capsule?: string
  onProgress?: (progress: ImportProgress) => void
  signal?: AbortSignal
  /** Name to record as the source path (importBytes/importText). */
  path?: string
}

export interface ImportReport {
  /** The format read; `folder` for an export folder holding several formats. */
  format: ExportFormat | 'folder'
  importer: string
  version: string
  sourceSha256: string
  conversations: number
  messages: number
  /** Frames newly stored. */
  added: number
  /** Frames whose uri was already stored (re-import). */
  alreadyPresent: number
  branches: number
  skipped: SkippedRecord[]
  /** Set where the format was read from a directory or manifest of several files. */
  files?: string[]
}

/** What an importer yields while reading: a conversation or a record it skipped. */
export type ImportItem =
  | { type: 'conversation', conversation: Conversation }
  | { type: 'skip', skipped: SkippedRecord }

/** Bytes to import, with streaming access. */
export interface Source {
  /** Display path. */
  path: string
  /** Folder of the file, where it is one (ChatGPT attachments are looked up there). */
  dir?: string
  size: number
  /** Last modification time, ms, where known (documents use it as their time). */
  mtime?: number
  /** Streams the bytes in chunks. */
  chunks (signal?: AbortSignal): AsyncIterable<Uint8Array>
  /** The whole content (for formats that are not streamed). */
  bytes (): Promise<Uint8Array>
}

export interface ImportContext {
  signal?: AbortSignal
  /** Called by streaming readers with the bytes consumed so far. */
  onBytes?: (bytes: number) => void
}

export interface Importer {
  format: ExportFormat
  /** Provider name: default capsule and uri scheme. */
  provider: string
  /** Importer name recorded with the source. */
  name: string
  read (source: Source, ctx: ImportContext): AsyncIterable<ImportItem>
}
