/**
 * @packageDocumentation
 * Capture: importers for the export files that AI providers give their
 * users (ChatGPT, Claude, Gemini Takeout, AI Studio, Grok, DeepSeek, Open
 * WebUI, OpenAI `messages` JSONL, SillyTavern, saved ChatGPT share pages,
 * and the .zip archives they come in) and for documents (Markdown, text, PDF). Each message becomes one frame; the
 * visible thread goes to the capsule, other branches to capsule branches;
 * re-importing adds nothing.
 *
 * @example
 * ```ts
 * import { importFile } from './capture/index.js'
 * const report = await importFile(node, 'conversations.json', { onProgress: p => bar.update(p.bytes) })
 * console.log(report.conversations, report.messages, report.added, report.skipped)
 * ```
 */
import { stat } from 'node:fs/promises'
import type { CaptureSink, ExportFormat, ImportOptions, ImportReport } from './interface.js'
import { bytesSource, fileSource } from './_source.js'
import { checkSink, importSource, resolveFormat } from './_import.js'
import { detectSource } from './detect.js'
import { importFolder, importManifest } from './_folder.js'
import { importZip } from './_zip.js'
import { InvalidParametersError, UnreadableFileError } from './errors.js'

export type * from './interface.js'
export * from './errors.js'
export { DEFAULT_CAPSULES, IMPORTER_VERSION } from './constants.js'
export { FORMATS } from './registry.js'
export { renderText, hasContent } from './render.js'
export { createProgressBar } from './progress.js'

/**
 * Imports an export file, an export archive (.zip, streamed without
 * extracting), an unzipped export folder, or a ChatGPT `export_manifest.json`
 * into the sink. Folder and archive imports go file by file: a file that
 * fails as a whole is listed in `skipped` (with `file`) and stores nothing.
 * @param sink the node (or anything with putMany/hasUri)
 * @param path file or folder
 * @param opts format (default `auto`: detected from content), capsule, onProgress, signal
 * @returns the report: counts, frames added / already present, skipped records, source hash
 * @throws NotAnExportError, UnsupportedFormatError, UnreadableFileError, MalformedExportError, InvalidPdfError, AbortError, InvalidParametersError
 * @example
 * ```ts
 * const r = await importFile(node, '/tmp/export/conversations.json', { capsule: 'work' })
 * ```
 */
export async function importFile (sink: CaptureSink, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  if (typeof path !== 'string' || path === '') throw new InvalidParametersError('path must be a non-empty string')
  checkOpts(opts)
  checkSink(sink)
  let st
  try { st = await stat(path) } catch (err) { throw new UnreadableFileError(`cannot read ${path}`, { cause: err }) }
  if (st.isDirectory()) return importFolder(sink, path, opts)
  const source = await fileSource(path)
  const format = resolveFormat(opts.format)
  const detected = format === 'auto' ? await detectSource(source) : format
  if (detected === 'chatgpt-manifest') return importManifest(sink, path, opts)
  if (detected === 'zip') return importZip(sink, path, opts, path)
  return importSource(sink, source, { ...opts, format: detected })
}

/**
 * Imports an export held in memory (an upload, a test, a fuzz case).
 * @param data bytes or text
 * @param opts as importFile, plus `path` to record as the source name
 * @throws as importFile
 */
export async function importBytes (sink: CaptureSink, data: Uint8Array | string, opts: ImportOptions = {}): Promise<ImportReport> {
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array or a string')
  checkOpts(opts)
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  const source = bytesSource(bytes, opts.path ?? '<memory>')
  const format = resolveFormat(opts.format)
  const detected = format === 'auto' ? await detectSource(source) : format
  if (detected === 'zip') {
    checkSink(sink)
    return importZip(sink, bytes, opts, opts.path ?? '<memory>')
  }
  return importSource(sink, source, { ...opts, format: detected })
}

/**
 * Detects the format of a file from its content.
 * @throws NotAnExportError when it is not an export; UnreadableFileError
 */
export async function detectFormat (path: string): Promise<ExportFormat> {
  return detectSource(await fileSource(path))
}

/** Detects the format of bytes in memory. */
export async function detectBytes (data: Uint8Array | string): Promise<ExportFormat> {
  return detectSource(bytesSource(typeof data === 'string' ? new TextEncoder().encode(data) : data))
}

function checkOpts (opts: unknown): void {
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw new InvalidParametersError('options must be a plain object')
  const o = opts as ImportOptions
  if (o.capsule !== undefined && (typeof o.capsule !== 'string' || o.capsule === '')) throw new InvalidParametersError('capsule must be a non-empty string')
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new InvalidParametersError('onProgress must be a function')
}
