/**
 * Export archives (.zip) as the providers deliver them: every export file
 * inside (conversations.json, conversations-NNN.json, projects.json,
 * memories.json, MyActivity.json / My Activity.html, prod-grok-backend.json,
 * *.jsonl, projects/*.json) is streamed straight out of the archive with
 * yauzl, without extracting to disk, and imported like a folder.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import yauzl from 'yauzl'
import type { CaptureSink, ImportOptions, ImportReport, Source } from './interface.js'
import { EXPORT_FILE, importParts, withChatHtml, type ExportPart } from './_folder.js'
import { MalformedExportError } from './errors.js'
import { sha256Hex } from './_util.js'

const ZIP_OPTIONS = { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }

async function archiveHash (archive: string | Uint8Array): Promise<string> {
  if (typeof archive !== 'string') return sha256Hex(archive)
  const hash = createHash('sha256')
  for await (const c of createReadStream(archive)) hash.update(c as Buffer)
  return hash.digest('hex')
}

function isExportEntry (name: string): boolean {
  const base = basename(name)
  if (name.endsWith('/') || base.startsWith('._') || name.includes('__MACOSX/')) return false
  return EXPORT_FILE.test(base) || /(^|\/)My ?Activity\.html$/i.test(name) || /(^|\/)projects\/[^/]+\.json$/.test(name)
}

function entrySource (zip: yauzl.ZipFile, entry: yauzl.Entry, path: string): Source {
  const chunks = async function * (signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    let stream
    try {
      stream = await zip.openReadStreamPromise(entry)
    } catch (err) {
      throw new MalformedExportError(`cannot read ${path}: ${(err as Error).message}`)
    }
    try {
      for await (const c of stream) {
        signal?.throwIfAborted()
        yield c as Buffer
      }
    } catch (err) {
      if (signal?.aborted === true) throw err
      throw new MalformedExportError(`cannot read ${path}: ${(err as Error).message}`)
    } finally {
      stream.destroy()
    }
  }
  return {
    path,
    size: entry.uncompressedSize,
    mtime: entry.getLastModDate({ timezone: 'UTC' }).getTime(),
    chunks,
    async bytes () {
      const parts: Uint8Array[] = []
      for await (const c of chunks()) parts.push(c)
      return Buffer.concat(parts)
    }
  }
}

/**
 * Imports every export file of a zip archive (on disk, or in memory).
 * @throws MalformedExportError for a broken archive; NotAnExportError when it holds no export file
 */
export async function importZip (sink: CaptureSink, archive: string | Uint8Array, opts: ImportOptions, label: string): Promise<ImportReport> {
  let zip: yauzl.ZipFile
  try {
    zip = typeof archive === 'string'
      ? await yauzl.openPromise(archive, ZIP_OPTIONS)
      : await yauzl.fromBufferPromise(Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength), ZIP_OPTIONS)
  } catch (err) {
    throw new MalformedExportError(`${label} is not a readable zip archive: ${(err as Error).message}`)
  }
  try {
    const entries = new Map<string, yauzl.Entry>()
    try {
      for await (const entry of zip.eachEntry()) {
        if (!entry.isEncrypted() && !entry.fileName.endsWith('/')) entries.set(entry.fileName, entry)
      }
    } catch (err) {
      throw new MalformedExportError(`${label} has a broken directory: ${(err as Error).message}`)
    }
    const all = [...entries.keys()].filter(n => !n.includes('__MACOSX/'))
    const parts: ExportPart[] = withChatHtml(all.filter(isExportEntry), all).map(name => {
      const entry = entries.get(name) as yauzl.Entry
      return { name: `${label}!/${name}`, open: async () => entrySource(zip, entry, `${label}!/${name}`) }
    })
    parts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    const report = await importParts(sink, parts, { ...opts, format: 'auto' }, 'zip')
    report.sourceSha256 = await archiveHash(archive)
    return report
  } finally {
    zip.close()
  }
}
