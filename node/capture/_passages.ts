/**
 * Splits documents into passages that keep their place: the heading path
 * they sit under (Markdown) or the page they come from (PDF).
 */
import { DEFAULT_PASSAGE_CHARS } from './constants.js'

export interface Passage {
  text: string
  /** Heading path, outermost first. */
  headings: string[]
  page?: number
}

/** Splits text at blank lines into chunks of about `max` characters (never inside a code fence). */
export function chunkText (text: string, max = DEFAULT_PASSAGE_CHARS): string[] {
  const paras: string[] = []
  let cur: string[] = []
  let inFence = false
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence
    if (!inFence && line.trim() === '') {
      if (cur.length > 0) { paras.push(cur.join('\n')); cur = [] }
    } else {
      cur.push(line)
    }
  }
  if (cur.length > 0) paras.push(cur.join('\n'))
  const out: string[] = []
  let acc = ''
  for (const p of paras) {
    if (acc !== '' && acc.length + p.length + 2 > max) { out.push(acc); acc = '' }
    if (p.length > max * 2) {
      // a single huge paragraph: cut at sentence or word boundaries
      let rest = p
      while (rest.length > max) {
        let cut = rest.lastIndexOf('. ', max)
        if (cut < max / 2) cut = rest.lastIndexOf(' ', max)
        if (cut < max / 2) cut = max
        out.push(rest.slice(0, cut + 1).trim())
        rest = rest.slice(cut + 1)
      }
      acc = rest.trim()
    } else {
      acc = acc === '' ? p : acc + '\n\n' + p
    }
  }
  if (acc.trim() !== '') out.push(acc)
  return out
}

/** Markdown → passages under their heading path (ATX `#` and setext headings). */
export function markdownPassages (md: string, max = DEFAULT_PASSAGE_CHARS): Passage[] {
  const lines = md.replace(/\r\n?/g, '\n').split('\n')
  const out: Passage[] = []
  const path: Array<{ level: number, text: string }> = []
  let body: string[] = []
  let inFence = false
  const flush = (): void => {
    const text = body.join('\n').trim()
    body = []
    if (text === '') return
    for (const t of chunkText(text, max)) out.push({ text: t, headings: path.map(h => h.text) })
  }
  const setHeading = (level: number, text: string): void => {
    flush()
    while (path.length > 0 && path[path.length - 1].level >= level) path.pop()
    path.push({ level, text })
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (/^\s{0,3}(```|~~~)/.test(line)) inFence = !inFence
    if (!inFence) {
      const atx = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line)
      if (atx !== null) { setHeading(atx[1].length, atx[2]); continue }
      const next = lines[i + 1]
      if (next !== undefined && line.trim() !== '' && /^\s{0,3}(=+|-+)\s*$/.test(next) && body.length >= 0 && !/^\s*[-*+]\s/.test(line)) {
        const prevBlank = i === 0 || lines[i - 1].trim() === ''
        if (prevBlank) { setHeading(next.trim().startsWith('=') ? 1 : 2, line.trim()); i++; continue }
      }
    }
    body.push(line)
  }
  flush()
  return out
}

/** Plain text → passages (no headings). */
export function textPassages (text: string, max = DEFAULT_PASSAGE_CHARS): Passage[] {
  return chunkText(text.replace(/\r\n?/g, '\n'), max).map(t => ({ text: t, headings: [] }))
}
