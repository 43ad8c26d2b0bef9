/**
 * Markdown and plain-text documents: split into passages that keep the
 * heading path they sit under. The document's id is the SHA-256 of its
 * bytes, so re-importing the same file adds nothing.
 */
import { basename } from 'node:path'
import type { Importer, Source } from './interface.js'
import { markdownPassages, textPassages } from './_passages.js'
import { documentConversation } from './_document.js'
import { sha256Hex } from './_util.js'
import { MAX_WHOLE_FILE_BYTES } from './constants.js'
import { MalformedExportError, NotAnExportError } from './errors.js'

/**
 * Decodes a text file strictly as UTF-8.
 * @throws NotAnExportError for binary content
 */
export async function readUtf8 (source: Source): Promise<{ text: string, bytes: Uint8Array }> {
  if (source.size > MAX_WHOLE_FILE_BYTES) throw new MalformedExportError(`${source.path} is larger than ${MAX_WHOLE_FILE_BYTES} bytes`)
  const bytes = await source.bytes()
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new NotAnExportError(`${source.path} is not UTF-8 text`)
  }
  if (text.includes('\u0000')) throw new NotAnExportError(`${source.path} is binary`)
  return { text: text.replace(/^\ufeff/, ''), bytes }
}

function titleOf (text: string, path: string): string {
  const h1 = /^\s{0,3}#\s+(.+?)\s*#*\s*$/m.exec(text)
  if (h1 !== null) return h1[1]
  const first = text.split('\n').find(l => l.trim() !== '')?.trim()
  const name = basename(path)
  return name !== '' && !name.startsWith('<') ? name : (first ?? 'document').slice(0, 120)
}

function docImporter (format: 'markdown' | 'text'): Importer {
  return {
    format,
    provider: 'document',
    name: `${format}-document`,
    async * read (source) {
      const { text, bytes } = await readUtf8(source)
      const sha = sha256Hex(bytes)
      const passages = format === 'markdown' ? markdownPassages(text) : textPassages(text)
      yield {
        type: 'conversation',
        conversation: documentConversation({
          provider: 'document',
          id: sha,
          uriBase: `document://${sha}`,
          title: titleOf(text, source.path),
          time: source.mtime !== undefined ? Math.round(source.mtime) : undefined,
          passages,
          tags: { media_type: format === 'markdown' ? 'text/markdown' : 'text/plain' }
        })
      }
    }
  }
}

export const markdown = docImporter('markdown')
export const text = docImporter('text')
