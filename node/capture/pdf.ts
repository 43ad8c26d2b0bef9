/**
 * PDF documents through unpdf (a maintained pure-JS build of PDF.js; version
 * 0.12 runs on Node 20). One passage group per page, `page` kept in tags.
 */
import { basename } from 'node:path'
import type { Importer } from './interface.js'
import { chunkText, type Passage } from './_passages.js'
import { documentConversation } from './_document.js'
import { sha256Hex } from './_util.js'
import { MAX_WHOLE_FILE_BYTES } from './constants.js'
import { InvalidPdfError, MalformedExportError } from './errors.js'

interface PdfText { pages: string[], title?: string }

async function extract (bytes: Uint8Array): Promise<PdfText> {
  const { getDocumentProxy, extractText } = await import('unpdf')
  let doc
  try {
    // PDF.js takes ownership of (and may detach) the buffer it is given
    doc = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false })
  } catch (err) {
    throw new InvalidPdfError('the PDF could not be parsed', { cause: err })
  }
  try {
    const { text } = await extractText(doc, { mergePages: false })
    let title: string | undefined
    try {
      const meta = await doc.getMetadata()
      const t = (meta.info as Record<string, unknown> | undefined)?.Title
      if (typeof t === 'string' && t.trim() !== '') title = t.trim()
    } catch {}
    return { pages: Array.isArray(text) ? text : [text], title }
  } catch (err) {
    throw new InvalidPdfError('the PDF text could not be extracted', { cause: err })
  } finally {
    await doc.destroy().catch(() => {})
  }
}

export const pdf: Importer = {
  format: 'pdf',
  provider: 'document',
  name: 'pdf-unpdf',
  async * read (source) {
    if (source.size > MAX_WHOLE_FILE_BYTES) throw new MalformedExportError(`${source.path} is larger than ${MAX_WHOLE_FILE_BYTES} bytes`)
    const bytes = await source.bytes()
    const sha = sha256Hex(bytes)
    const { pages, title } = await extract(bytes)
    const passages: Passage[] = []
    pages.forEach((p, i) => {
      for (const t of chunkText(p)) passages.push({ text: t, headings: [], page: i + 1 })
    })
    const name = basename(source.path)
    yield {
      type: 'conversation',
      conversation: documentConversation({
        provider: 'document',
        id: sha,
        uriBase: `document://${sha}`,
        title: title ?? (name !== '' && !name.startsWith('<') ? name : pages.find(p => p.trim() !== '')?.split('\n')[0]?.slice(0, 120)),
        time: source.mtime !== undefined ? Math.round(source.mtime) : undefined,
        passages,
        tags: { media_type: 'application/pdf', pages: String(pages.length) }
      })
    }
  }
}
