/**
 * A saved ChatGPT share page (chatgpt.com/share/<id>, "Save page as…").
 * The conversation is in `window.__reactRouterContext.streamController
 * .enqueue("<turbo-stream JSON>")` scripts (2024+) or in the
 * `<script id="__NEXT_DATA__">` of older chat.openai.com pages, at
 * `serverResponse.data`: the same conversation object as the export
 * (`mapping`, `current_node`, `linear_conversation`). It is imported with
 * the ChatGPT rules and uris, so a shared conversation that is also in an
 * export is stored once.
 */
import type { Importer } from './interface.js'
import { chatgptConversation } from './chatgpt.js'
import { decodeTurboStream } from './_turbo-stream.js'
import { readUtf8 } from './document.js'
import { isObj, str, type Obj } from './_util.js'
import { NotAnExportError } from './errors.js'

const ENQUEUE = /streamController\.enqueue\(\s*("(?:[^"\\]|\\.)*")\s*\)/g
const NEXT_DATA = /<script[^>]*id="__NEXT_DATA__"[^>]*>([\s\S]*?)<\/script>/

function jsString (lit: string): string | undefined {
  try {
    return JSON.parse(lit.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\\'/g, "'")) as string
  } catch {
    return undefined
  }
}

/** Finds the conversation object (has mapping or linear_conversation) breadth-first. */
function findConversation (root: unknown): { data: Obj, shareId?: string } | undefined {
  const queue: unknown[] = [root]
  const seen = new Set<unknown>()
  let shareId: string | undefined
  for (let i = 0; i < queue.length && i < 100_000; i++) {
    const v = queue[i]
    if (!isObj(v) && !Array.isArray(v)) continue
    if (seen.has(v)) continue
    seen.add(v)
    if (isObj(v)) {
      shareId ??= str(v.sharedConversationId)
      if (isObj(v.mapping) || Array.isArray(v.linear_conversation)) return { data: v, shareId }
      queue.push(...Object.values(v))
    } else {
      queue.push(...v)
    }
  }
  return undefined
}

/** Extracts the conversation data from a share page's HTML. */
export function sharePageData (html: string): { data: Obj, shareId?: string } | undefined {
  for (const m of html.matchAll(ENQUEUE)) {
    const s = jsString(m[1])
    if (s === undefined || !s.startsWith('[')) continue
    let flat: unknown
    try { flat = JSON.parse(s) } catch { continue }
    if (!Array.isArray(flat)) continue
    const found = findConversation(decodeTurboStream(flat))
    if (found !== undefined) return found
  }
  const next = NEXT_DATA.exec(html)
  if (next !== null) {
    try {
      const found = findConversation(JSON.parse(next[1]))
      if (found !== undefined) return found
    } catch {}
  }
  return undefined
}

export const chatgptShare: Importer = {
  format: 'chatgpt-share',
  provider: 'chatgpt',
  name: 'chatgpt-share-page',
  async * read (source) {
    const { text } = await readUtf8(source)
    const found = sharePageData(text)
    if (found === undefined) throw new NotAnExportError(`${source.path} holds no ChatGPT conversation`)
    const conv = chatgptConversation(found.data, undefined, found.shareId)
    conv.source = source.path
    conv.tags = { ...conv.tags, ...(found.shareId !== undefined ? { share_id: found.shareId } : {}) }
    yield { type: 'conversation', conversation: conv }
  }
}
