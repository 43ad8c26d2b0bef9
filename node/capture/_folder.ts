/**
 * Exports that are folders: an unzipped export directory, or ChatGPT's split
 * form (`conversations-000.json`, `conversations-001.json`, … listed by
 * `export_manifest.json`). Every known file in it is imported by content;
 * the reports are merged.
 */
import { readdir, readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { CaptureSink, ImportOptions, ImportReport } from './interface.js'
import { fileSource } from './_source.js'
import { importSource } from './_import.js'
import { IMPORTER_VERSION } from './constants.js'
import { NotAnExportError, UnreadableFileError } from './errors.js'
import { sha256Hex } from './_util.js'

/** Files of an unzipped export that hold conversations or memory. */
const EXPORT_FILE = /^(conversations(-\d+)?\.json|projects\.json|memories\.json|MyActivity\.json|prod-grok-backend\.json|.*\.jsonl)$/i

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

async function importList (sink: CaptureSink, paths: string[], opts: ImportOptions, format: ImportReport['format']): Promise<ImportReport> {
  if (paths.length === 0) throw new NotAnExportError('the folder holds no export file')
  const reports: ImportReport[] = []
  const failed: ImportReport['skipped'] = []
  const done: string[] = []
  for (const [i, p] of paths.entries()) {
    try {
      const r = await importSource(sink, await fileSource(p), opts)
      for (const s of r.skipped) s.file = p
      reports.push(r)
      done.push(p)
    } catch (err) {
      // a file that fails as a whole stored nothing; the folder's other files still count
      const e = err as Error
      if (e.name === 'AbortError' || e.name === 'InvalidParametersError') throw err
      failed.push({ position: i, file: p, error: e.name, reason: e.message })
    }
  }
  if (reports.length === 0) throw new NotAnExportError(`no file of the folder could be imported (${failed.map(f => f.error).join(', ')})`)
  const out = merge(reports, done, format, sha256Hex(reports.map(r => r.sourceSha256).join('\n')))
  out.skipped.push(...failed)
  return out
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
  const chosen = names.filter(n => EXPORT_FILE.test(n)).sort().map(n => join(dir, n))
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
