import type { IndexedDoc } from './interface.js'
import type { ChatComplete, MemoryUnit, UnitExtractor, UnitType } from './units-interface.js'

const RULES: Array<{ type: UnitType, re: RegExp, confidence: number }> = [
  { type: 'preference', re: /\b(i|we)\s+(really\s+|absolutely\s+|just\s+)?(love|like|enjoy|prefer|adore|hate|dislike|can't stand|cannot stand)\b|\bmy\s+(favou?rite|go-to)\b|\b(i'm|i am)\s+(a\s+)?(big\s+)?fan of\b/i, confidence: 0.7 },
  { type: 'project', re: /\b(i'm|i am|we're|we are|i've been|we've been)\s+(working on|building|writing|developing|making|creating|planning|starting|launching)\b|\bmy\s+(project|startup|business|book|app|thesis|studio|store)\b/i, confidence: 0.6 },
  { type: 'idea', re: /\b(what if|how about we|i have an idea|idea:|maybe we could|i've been thinking( about)?|it would be (cool|great|nice) to)\b/i, confidence: 0.5 },
  { type: 'fact', re: /\b(i'm|i am|i was|i work|i worked|i live|i lived|i moved|i have|i've got|i got|i graduated|i study|i studied|i joined|i lost|i bought|i adopted|i started)\b|\bmy\s+(name|job|birthday|age|home|wife|husband|partner|son|daughter|kids?|dog|cat|mom|dad|mother|father|sister|brother)\b/i, confidence: 0.5 }
]

const RELATION = /\b[Mm]y\s+(wife|husband|partner|boyfriend|girlfriend|friend|best friend|son|daughter|mom|dad|mother|father|sister|brother|boss|colleague|coworker|teacher|mentor|grandma|grandpa|cousin|neighbou?r)\s*,?\s+([A-Z][\p{L}'-]+)/gu
const NAMED = /\b(?:with|met|meet|named|called|told|and)\s+([A-Z][\p{L}'-]{2,})\b/gu
const NOT_NAMES = new Set(['I', 'The', 'This', 'That', 'It', 'My', 'We', 'They', 'He', 'She', 'You', 'Thanks', 'Yes', 'No', 'Hey', 'Wow', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'])
const CODE = /```[\s\S]*?```|^( {4}|\t)\S.*$/m

/**
 * Extracts typed memory units from frames by rules: first-person statements of liking
 * (preference), doing (project), having or being (fact), musing (idea); people named with a
 * relation ("my sister Ana") or after "with/met" (person); fenced or indented code (code).
 * Assistant turns are skipped: units describe the user. Each unit cites its frame.
 */
export function extractUnits (docs: Iterable<IndexedDoc>): MemoryUnit[] {
  const out: MemoryUnit[] = []
  const sentences = new Intl.Segmenter('und', { granularity: 'sentence' })
  const seen = new Set<string>()
  const push = (u: MemoryUnit): void => {
    const key = `${u.type}\u0000${u.text.toLowerCase()}`
    if (seen.has(key)) return
    seen.add(key)
    out.push(u)
  }
  for (const d of docs) {
    if (d.role === 'assistant' || d.role === 'system' || d.role === 'tool') continue
    const base = { cid: d.cid, uri: d.uri, time: d.time }
    const code = CODE.exec(d.text)
    if (code !== null) push({ ...base, type: 'code', text: code[0].trim().slice(0, 2000), subject: d.role, confidence: 0.9 })
    for (const s of sentences.segment(d.text)) {
      const text = s.segment.trim()
      if (text.length < 8 || text.endsWith('?')) continue
      const rule = RULES.find(r => r.re.test(text))
      if (rule !== undefined) push({ ...base, type: rule.type, text, subject: d.role, confidence: rule.confidence })
      for (const m of text.matchAll(RELATION)) push({ ...base, type: 'person', text, subject: `${m[2]} (${m[1]})`, confidence: 0.8 })
      for (const m of text.matchAll(NAMED)) {
        if (!NOT_NAMES.has(m[1]) && !text.startsWith(m[1])) push({ ...base, type: 'person', text, subject: m[1], confidence: 0.4 })
      }
    }
  }
  return out
}

/** The rule extractor as a `UnitExtractor`. */
export function ruleUnitExtractor (): UnitExtractor {
  return { extract: async (docs) => extractUnits(docs) }
}

const TYPES: ReadonlySet<string> = new Set(['fact', 'preference', 'project', 'person', 'code', 'idea'])

/**
 * A `UnitExtractor` that asks the user's own chat model (through `complete`, which holds their
 * key) for units as JSON lines, and keeps only well-formed ones that cite a given frame.
 */
export function llmUnitExtractor (complete: ChatComplete): UnitExtractor {
  return {
    async extract (docs, options) {
      const list = [...docs]
      const byCid = new Map(list.map(d => [d.cid, d]))
      const prompt = [
        'Extract durable memory units about the user from these messages.',
        'Answer with one JSON object per line: {"type": "fact|preference|project|person|code|idea", "text": "...", "cid": "<the message id>", "subject": "..."}.',
        ...list.map(d => `<message id="${d.cid}" role="${d.role ?? ''}">${d.text}</message>`)
      ].join('\n')
      const answer = await complete(prompt, options)
      const out: MemoryUnit[] = []
      for (const line of answer.split('\n')) {
        let v: Record<string, unknown>
        try { v = JSON.parse(line.trim()) as Record<string, unknown> } catch { continue }
        const d = typeof v.cid === 'string' ? byCid.get(v.cid) : undefined
        if (d === undefined || typeof v.type !== 'string' || !TYPES.has(v.type) || typeof v.text !== 'string' || v.text === '') continue
        out.push({ type: v.type as UnitType, text: v.text, cid: d.cid, uri: d.uri, time: d.time, subject: typeof v.subject === 'string' ? v.subject : undefined, confidence: 0.8 })
      }
      return out
    }
  }
}
