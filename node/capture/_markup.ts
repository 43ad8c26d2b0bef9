/**
 * Provider markup inside message text, turned into typed parts:
 * - ChatGPT citation markers `【3:0†source】` and private-use tokens
 *   U+E200 (start) … U+E202 (separator) … U+E201 (end), e.g. `cite`, `entity`, `navlist`;
 * - ChatGPT Canvas blocks `:::writing{…} … :::`;
 * - Claude `<antThinking>` and `<antArtifact …>`; Grok `<xaiArtifact …>` and `<grok:render …>`;
 * - `<think>` and Open WebUI `<details type="reasoning"|"tool_calls">`;
 * - Markdown code fences become code parts.
 */
import type { Part } from './interface.js'

/** Entity / citation details a provider gives next to the text (ChatGPT content_references). */
export interface CitationSource {
  /** marker text as it appears in the message → sources */
  byMarker?: Map<string, Array<{ url?: string, title?: string }>>
  /** ordered list for `【n†…】` markers (metadata.citations) */
  list?: Array<{ url?: string, title?: string }>
}

const PUA_TOKEN = /\ue200([^\ue200\ue201]*)\ue201/g
const PUA_STRAY = /[\ue200-\ue2ff]/g
const BRACKET_CITE = /【([^【】]{0,200})】/g
const GROK_RENDER = /<grok:render\b([^>]{0,2000})>([\s\S]{0,4000}?)<\/grok:render>/g

/** Removes inline citation markup, returning clean text and the citations/entities found. */
export function extractInline (text: string, src: CitationSource = {}): { text: string, parts: Part[] } {
  const parts: Part[] = []
  let out = text.replace(PUA_TOKEN, (whole, inner: string) => {
    const fields = inner.split('\ue202')
    const kind = fields[0]
    if (kind === 'entity') {
      let name = fields[1] ?? ''
      let ekind: string | undefined
      let description: string | undefined
      try {
        const a: unknown = JSON.parse(fields[1] ?? '')
        if (Array.isArray(a)) {
          ekind = typeof a[0] === 'string' ? a[0] : undefined
          name = typeof a[1] === 'string' ? a[1] : name
          description = typeof a[2] === 'string' ? a[2] : undefined
        }
      } catch {}
      parts.push({ type: 'entity', kind: ekind, name, description })
      return name
    }
    const known = src.byMarker?.get(whole)
    if (known !== undefined && known.length > 0) {
      for (const k of known) parts.push({ type: 'citation', url: k.url, title: k.title, ref: fields.slice(kind === 'navlist' ? 2 : 1).join(',') })
    } else if (kind === 'cite' || kind === 'filecite' || kind === 'navlist') {
      const refs = fields.slice(1).flatMap(f => f.split(','))
      for (const r of refs) if (r.trim() !== '') parts.push({ type: 'citation', ref: r.trim(), title: kind === 'navlist' ? fields[1] : undefined })
    } else {
      parts.push({ type: 'citation', ref: fields.join(' ').trim() })
    }
    return ''
  })
  // Grok inline cards: <grok:render card_id="…" …><argument …>…</argument></grok:render>
  out = out.replace(GROK_RENDER, (_w, attrs: string, inner: string) => {
    parts.push({ type: 'citation', ref: attr(attrs, 'card_id') ?? inner.replace(/<[^>]+>/g, ' ').trim() })
    return ''
  })
  let n = 0
  out = out.replace(BRACKET_CITE, (_w, inner: string) => {
    if (!inner.includes('†')) return _w
    const listed = src.list?.[n++]
    const fields = inner.split('†')
    parts.push({ type: 'citation', ref: fields[0], url: listed?.url, title: listed?.title ?? (fields[1] !== 'source' ? fields[1] : undefined) })
    return ''
  })
  out = out.replace(PUA_STRAY, '')
  // a removed marker leaves its surrounding spaces behind
  if (parts.length > 0) out = out.replace(/(\S) {2,}(?=\S)/g, '$1 ').replace(/(\S) +([.,;:!?])/g, '$1$2')
  out = out.replace(/[ \t]+\n/g, '\n')
  return { text: out, parts }
}

/**
 * Tool output (ChatGPT browsing) marks links as `【n†text】` and search
 * results as `【n†title†domain】`: keep the readable text, return the results.
 */
export function cleanToolText (text: string): { text: string, results: Part[] } {
  const results: Part[] = []
  const out = text.replace(BRACKET_CITE, (w, inner: string) => {
    if (!inner.includes('†')) return w
    const [ref, title, domain] = inner.split('†').map(x => x.trim())
    if (domain !== undefined) {
      results.push({ type: 'citation', ref, title, url: domain })
      return domain !== '' ? `${title} (${domain})` : title
    }
    return title ?? ''
  }).replace(PUA_STRAY, '')
  return { text: out, results }
}

interface BlockRule {
  re: RegExp
  make: (m: RegExpExecArray) => Part
}

function attr (attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`).exec(attrs)
  return m === null ? undefined : (m[1] ?? m[2] ?? m[3])
}

function unescapeHtml (s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
}

const RULES: BlockRule[] = [
  { re: /<antThinking>([\s\S]*?)<\/antThinking>/y, make: m => ({ type: 'reasoning', text: m[1].trim() }) },
  { re: /<think(?:ing)?>([\s\S]*?)<\/think(?:ing)?>/y, make: m => ({ type: 'reasoning', text: m[1].trim() }) },
  {
    re: /<(antArtifact|xaiArtifact)\b([^>]*)>([\s\S]*?)<\/\1>/y,
    make: m => ({ type: 'artifact', id: attr(m[2], 'identifier') ?? attr(m[2], 'artifact_id') ?? attr(m[2], 'id'), title: attr(m[2], 'title'), mime: attr(m[2], 'type') ?? attr(m[2], 'contentType'), language: attr(m[2], 'language'), text: m[3].replace(/^\n/, '').replace(/\n$/, '') })
  },
  {
    re: /<details\b([^>]*\btype="reasoning"[^>]*)>\s*(?:<summary>([\s\S]*?)<\/summary>)?([\s\S]*?)<\/details>/y,
    make: m => ({ type: 'reasoning', summary: m[2]?.trim(), text: m[3].split('\n').map(l => l.replace(/^>\s?/, '')).join('\n').trim() })
  },
  {
    re: /<details\b([^>]*\btype="tool_calls"[^>]*)>([\s\S]*?)<\/details>/y,
    make: m => ({ type: 'tool-call', name: attr(m[1], 'name') ?? 'tool', id: attr(m[1], 'id'), input: unescapeHtml(attr(m[1], 'arguments') ?? '') })
  },
  { re: /:::writing\{([^}]*)\}\n?([\s\S]*?)\n?:::/y, make: m => ({ type: 'artifact', id: attr(m[1], 'id'), title: attr(m[1], 'variant'), text: m[2] }) },
  { re: /```([^\n`]*)\n([\s\S]*?)\n?```/y, make: m => ({ type: 'code', language: m[1].trim() === '' ? undefined : m[1].trim(), text: m[2] }) }
]

/** Characters every kind of markup handled here starts with. */
const MARKUP_HINT = /[\ue200-\ue2ff【<`:]/
const BLOCK_START = /<antThinking>|<think(?:ing)?>|<antArtifact\b|<xaiArtifact\b|<details\b|:::writing\{|```/g

/**
 * Splits message text into typed parts. Text between blocks stays text (with
 * inline citations extracted); an unterminated block stays plain text.
 */
export function parseMarkup (text: string, src: CitationSource = {}): Part[] {
  // most messages carry no markup at all: skip the scanners
  if (!MARKUP_HINT.test(text)) {
    const t = text.trim()
    return t === '' ? [] : [{ type: 'text', text: t }]
  }
  const parts: Part[] = []
  let plainStart = 0
  const pushPlain = (end: number): void => {
    if (end <= plainStart) return
    const inl = extractInline(text.slice(plainStart, end), src)
    const t = inl.text.trim()
    if (t !== '') parts.push({ type: 'text', text: t })
    parts.push(...inl.parts)
  }
  BLOCK_START.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = BLOCK_START.exec(text)) !== null) {
    const at = m.index
    let matched = false
    for (const rule of RULES) {
      rule.re.lastIndex = at
      const r = rule.re.exec(text)
      if (r !== null) {
        pushPlain(at)
        const part = rule.make(r)
        if (part.type === 'tool-call') {
          // Open WebUI keeps the call's result in the same <details>
          const res = attr(r[1], 'result')
          parts.push(part)
          if (res !== undefined) parts.push({ type: 'tool-result', name: part.name, id: part.id, text: unescapeHtml(res) })
        } else if (part.type === 'text' || part.type === 'code' || part.type === 'reasoning' || part.type === 'artifact') {
          if (part.type === 'code') parts.push({ ...part, text: extractInline(part.text).text })
          else parts.push(part)
        } else {
          parts.push(part)
        }
        plainStart = at + r[0].length
        BLOCK_START.lastIndex = plainStart
        matched = true
        break
      }
    }
    if (!matched) BLOCK_START.lastIndex = at + 1
  }
  pushPlain(text.length)
  return parts
}
