/**
 * Exports that are folders: an unzipped export directory, or ChatGPT's split
 * form (`conversations-000.json`, `conversations-001.json`, … listed by
 * `export_manifest.json`). Every known file in it is imported by content;
 * the reports are merged.
 */
import { readdir, readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { CaptureSink, ImportOptions, ImportReport, Source } from './interface.js'
import { fileSource } from './_source.js'
import { importSource } from './_import.js'
import { IMPORTER_VERSION } from './constants.js'
import { NotAnExportError, UnreadableFileError } from './errors.js'
import { sha256Hex } from './_util.js'

/** Files of an unzipped export that hold conversations or memory. */
export const EXPORT_FILE = /^(conversations(-\d+)?\.json|projects\.json|memories\.json|MyActivity\.json|prod-grok-backend\.json|.*\.jsonl)$/i

/** ChatGPT's chat.html repeats conversations.json: read it only when that file is missing. */
export function withChatHtml (names: string[], all: string[]): string[] {
  const hasJson = names.some(n => /(^|\/)conversations(-\d+)?\.json$/.test(n))
  return hasJson ? names : [...names, ...all.filter(n => /(^|\/)chat\.html$/.test(n))]
}

function merge (reports: ImportReport[], files: string[], format: ImportReport['format'], sha: string): ImportReport {
  const out: ImportReport = { format, importer: reports[0]?.importer ?? 'folder', version: IMPORTER_VERSION, sourceSha256: sha, conversations: 0, messages: 0, added: 0, alreadyPresent: 0, branches: 0, skipped: [], files }
  for (const r of reports) {
    out.conversations += r.conversations
    out.messages += r.messages
    out.added += r.added
    out.alreadyPresent += r.alreadyPresent
    out.branches += r.branches
    out.skipped.push(...r.skipped)
  }
  return out
}

/** One file of a multi-file export, opened on demand (a path on disk or a zip entry). */
export interface ExportPart {
  name: string
  open: () => Promise<Source>
}

/** Imports several files: a file that fails as a whole is reported and the others still imported. */
export async function importParts (sink: CaptureSink, parts: ExportPart[], opts: ImportOptions, format: ImportReport['format']): Promise<ImportReport> {
  if (parts.length === 0) throw new NotAnExportError('the folder holds no export file')
  const reports: ImportReport[] = []
  const failed: ImportReport['skipped'] = []
  const done: string[] = []
  for (const [i, part] of parts.entries()) {
    try {
      const r = await importSource(sink, await part.open(), opts)
      for (const s of r.skipped) s.file = part.name
      reports.push(r)
      done.push(part.name)
    } catch (err) {
      // a file that fails as a whole stored nothing; the export's other files still count
      const e = err as Error
      if (e.name === 'AbortError' || e.name === 'InvalidParametersError') throw err
      failed.push({ position: i, file: part.name, error: e.name, reason: e.message })
    }
  }
  if (reports.length === 0) throw new NotAnExportError(`no file of the export could be imported (${failed.map(f => f.error).join(', ')})`)
  const out = merge(reports, done, format, sha256Hex(reports.map(r => r.sourceSha256).join('\n')))
  out.skipped.push(...failed)
  return out
}

async function importList (sink: CaptureSink, paths: string[], opts: ImportOptions, format: ImportReport['format']): Promise<ImportReport> {
  return importParts(sink, paths.map(p => ({ name: p, open: async () => fileSource(p) })), opts, format)
}

/** Imports the split ChatGPT export that a manifest lists (or its siblings `conversations-NNN.json`). */
export async function importManifest (sink: CaptureSink, path: string, opts: ImportOptions): Promise<ImportReport> {
  const dir = dirname(path)
  let listed: string[] = []
  try {
    const text = await readFile(path, 'utf8')
    listed = [...new Set([...text.matchAll(/conversations(-\d+)?\.json/g)].map(m => m[0]))]
  } catch (err) {
    throw new UnreadableFileError(`cannot read ${path}`, { cause: err })
  }
  let names: string[] = []
  try { names = await readdir(dir) } catch {}
  const present = listed.filter(n => names.includes(n))
  const files = (present.length > 0 ? present : names.filter(n => /^conversations(-\d+)?\.json$/.test(n))).sort().map(n => join(dir, n))
  return importList(sink, files, { ...opts, format: 'chatgpt' }, 'chatgpt-manifest')
}

/** Imports every export file found in a folder (not recursive). */
export async function importFolder (sink: CaptureSink, dir: string, opts: ImportOptions): Promise<ImportReport> {
  let names: string[]
  try { names = await readdir(dir) } catch (err) { throw new UnreadableFileError(`cannot read ${dir}`, { cause: err }) }
  const chosen = withChatHtml(names.filter(n => EXPORT_FILE.test(n)), names).sort().map(n => join(dir, n))
  // newer Claude exports keep one file per project under projects/ (reported)
  if (names.includes('projects')) {
    try {
      const sub = join(dir, 'projects')
      chosen.push(...(await readdir(sub)).filter(n => n.endsWith('.json')).sort().map(n => join(sub, n)))
    } catch {}
  }
  const format = chosen.length > 0 && chosen.every(n => /^conversations/.test(basename(n))) ? 'chatgpt' : 'folder'
  return importList(sink, chosen, opts, format)
}
