/** A small HTML-to-text conversion for provider HTML snippets (Gemini replies). */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" }

export function decodeEntities (s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (w, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
      return Number.isFinite(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : w
    }
    return ENTITIES[e.toLowerCase()] ?? w
  })
}

/** Readable text from HTML: scripts and styles dropped, blocks and list items on their own lines. */
export function htmlToText (html: string): string {
  return decodeEntities(html
    .replace(/<(script|style|template)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<h([1-6])\b[^>]*>/gi, (_w, n: string) => '\n\n' + '#'.repeat(Number(n)) + ' ')
    .replace(/<pre\b[^>]*>/gi, '\n```\n').replace(/<\/pre\s*>/gi, '\n```\n')
    .replace(/<\/(p|div|ul|ol|h[1-6]|table|tr|blockquote|section)\s*>/gi, '\n\n')
    .replace(/<\/t[dh]\s*>/gi, '\t')
    .replace(/<[^>]*>/g, ''))
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
