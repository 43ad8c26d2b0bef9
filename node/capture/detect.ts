/**
 * Format detection from content, never from the file name: PDF magic bytes,
 * share-page HTML markers, JSONL signatures, and for JSON the earliest
 * signature key of each provider (keys inside strings are escaped and never match).
 */
import type { ExportFormat, Source } from './interface.js'
import { DETECT_HEAD_BYTES } from './constants.js'
import { NotAnExportError } from './errors.js'

async function head (source: Source, max = DETECT_HEAD_BYTES): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let n = 0
  for await (const c of source.chunks()) {
    parts.push(c)
    n += c.length
    if (n >= max) break
  }
  const all = parts.length === 1 ? parts[0] : Buffer.concat(parts)
  return all.subarray(0, Math.min(max, all.length))
}

function key (name: string): RegExp {
  return new RegExp(`(?<!\\\\)"${name}"\\s*:`)
}

interface Signature { format: ExportFormat, keys: RegExp[], all?: RegExp[] }

// For each format, the position of its earliest key decides; `all` must also be present.
const SIGNATURES: Signature[] = [
  { format: 'gemini', keys: [key('products')], all: [key('title'), key('time')] },
  { format: 'aistudio', keys: [key('chunkedPrompt')] },
  { format: 'grok', keys: [key('responses')], all: [key('conversation')] },
  { format: 'deepseek', keys: [key('biz_data'), key('chat_session')] },
  { format: 'chatgpt', keys: [key('mapping'), key('linear_conversation')] },
  { format: 'claude', keys: [key('chat_messages')] },
  { format: 'claude-memories', keys: [key('conversations_memory'), key('project_memories')] },
  { format: 'claude-projects', keys: [key('prompt_template'), key('is_starter_project')] },
  { format: 'openwebui', keys: [key('history'), key('childrenIds')] }
]

const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f]/

function firstIndex (text: string, res: RegExp[]): number {
  let best = Infinity
  for (const re of res) {
    const m = re.exec(text)
    if (m !== null && m.index < best) best = m.index
  }
  return best
}

function detectJsonl (text: string): ExportFormat | undefined {
  const lines = text.split('\n').map(l => l.trim()).filter(l => l !== '')
  if (lines.length === 0) return undefined
  let first: unknown
  try { first = JSON.parse(lines[0]) } catch { return undefined }
  if (typeof first !== 'object' || first === null || Array.isArray(first)) return undefined
  const o = first as Record<string, unknown>
  const m0 = o.messages
  // an Open WebUI chat saved on one line also has `messages`, next to `history`
  const otherShape = ['history', 'chat', 'mapping', 'chat_messages', 'title', 'id'].some(k => k in o)
  if (Array.isArray(m0) && !otherShape && (m0.length === 0 || (typeof m0[0] === 'object' && m0[0] !== null && 'role' in m0[0]))) return 'openai-messages'
  if ('character_name' in o || 'user_name' in o || ('mes' in o && 'is_user' in o)) return 'sillytavern'
  return undefined
}

/** Detects a format from the first bytes of a file. */
export function detectFromHead (bytes: Uint8Array, complete: boolean): ExportFormat {
  if (bytes.length === 0) throw new NotAnExportError('the file is empty')
  const latin = Buffer.from(bytes.subarray(0, 1024)).toString('latin1')
  if (latin.includes('%PDF-')) return 'pdf'
  // local file header or empty-archive signature
  if (latin.startsWith('PK\u0003\u0004') || latin.startsWith('PK\u0005\u0006')) return 'zip'
  // drop a multi-byte character cut at the end of the head
  let end = bytes.length
  if (!complete) while (end > 0 && end > bytes.length - 4 && (bytes[end - 1] & 0xc0) === 0x80) end--
  if (!complete && end > 0 && bytes[end - 1] >= 0xc0) end--
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end))
  } catch {
    throw new NotAnExportError('the file is neither text nor a PDF')
  }
  text = text.replace(/^\ufeff/, '')
  if (CONTROL.test(text)) throw new NotAnExportError('the file is binary')
  const t = text.trimStart()
  if (t === '') throw new NotAnExportError('the file is empty')
  if (t.startsWith('<')) {
    if (/var\s+jsonData\s*=\s*[[{]/.test(text) && key('mapping').test(text)) return 'chatgpt-html'
    if ((/__reactRouterContext|streamController\.enqueue|__NEXT_DATA__/.test(text)) && /chatgpt|openai/i.test(text)) return 'chatgpt-share'
    if (/class="outer-cell\b/.test(text) && /mdl-typography--title/.test(text) && /Gemini|Bard/.test(text)) return 'gemini-html'
    throw new NotAnExportError('HTML that is neither a saved ChatGPT share page nor a Gemini activity page')
  }
  if (t.startsWith('{') || t.startsWith('[')) {
    const jsonl = detectJsonl(text)
    if (jsonl !== undefined) return jsonl
    let best: ExportFormat | undefined
    let bestAt = Infinity
    for (const s of SIGNATURES) {
      const at = firstIndex(text, s.keys)
      if (at < bestAt && (s.all ?? []).every(re => re.test(text))) { best = s.format; bestAt = at }
    }
    if (best === 'chatgpt' && key('fragments').test(text)) best = 'deepseek'
    if (best !== undefined) return best
    if (/"[^"]*\bconversations(-\d+)?\.json"/.test(text)) return 'chatgpt-manifest'
    if (/^[[{]\s*($|["{[\]}\d-]|true|false|null)/.test(t)) throw new NotAnExportError('JSON of no known export shape')
  }
  // documents: Markdown when it has Markdown structure, else plain text
  if (/^\s{0,3}(#{1,6}\s|```|~~~|[-*+]\s|\d+\.\s|>\s)|\[[^\]]+\]\([^)]+\)|^[^\n]+\n(=+|-+)\s*$/m.test(text)) return 'markdown'
  return 'text'
}

/**
 * Detects the format of a source from its content.
 * @throws NotAnExportError when it is no export we know
 */
export async function detectSource (source: Source): Promise<ExportFormat> {
  const h = await head(source)
  return detectFromHead(h, h.length >= source.size)
}
