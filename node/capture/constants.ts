/** Version of the importers, recorded with every imported source. Bump when output changes. */
export const IMPORTER_VERSION = '1.0.0'

/** Bytes read from the head of a file to detect its format. */
export const DETECT_HEAD_BYTES = 1024 * 1024

/** A single streamed record (conversation, line) larger than this is skipped, not buffered. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024

/** Files read whole (share pages, PDFs, documents, single-object JSON) may not exceed this. */
export const MAX_WHOLE_FILE_BYTES = 512 * 1024 * 1024

/** Target size of a document passage, in characters. */
export const DEFAULT_PASSAGE_CHARS = 1500

/** Default capsule per provider; `capsule` in the options overrides it. */
export const DEFAULT_CAPSULES: Readonly<Record<string, string>> = {
  chatgpt: 'chatgpt',
  claude: 'claude',
  gemini: 'gemini',
  aistudio: 'aistudio',
  grok: 'grok',
  deepseek: 'deepseek',
  openwebui: 'openwebui',
  openai: 'openai',
  sillytavern: 'sillytavern',
  document: 'documents'
}

/** Minimum interval between progress callbacks, ms. */
export const PROGRESS_INTERVAL_MS = 100

/** How often long CPU loops yield to the event loop, ms. */
export const ASYNC_TICK_MS = 10

/**
 * Frames gathered into one atomic write for sinks with putBatch (whole conversations per write).
 * Small enough that a batch's objects die young: those that outlive two scavenges are promoted
 * and die in the old generation, whose growth sets the heap's size (sampled on the 50 MB export:
 * 500 frames promoted about 200 MB over the import, 100 frames about 30 MB; the 200 MB import's
 * V8 heap peaked at 180 MB, then 105 MB). Large enough that commits and fsyncs stay a small
 * share of the time (500, 200, 100 and 50 imported at the same rate within the noise).
 */
export const IMPORT_BATCH_FRAMES = 100
