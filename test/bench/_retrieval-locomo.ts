// Loads LoCoMo (read from ../shared at run time, never copied) as docs and questions.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import type { IndexedDoc } from '../../node/context/index.js'

export interface Question {
  sample: string
  question: string
  category: number
  /** Evidence doc ids (`sample:dia_id`) that resolved to a turn. */
  evidence: string[]
  /** Evidence sessions (`sample/session_N`). */
  sessions: string[]
}

export interface Locomo {
  docs: IndexedDoc[]
  questions: Question[]
  /** Evidence entries that named no turn, even after normalising. */
  unresolved: number
  /** The last session time per sample ("now" for its questions). */
  ends: Map<string, number>
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']

/** "1:56 pm on 8 May, 2023" → ms (read as UTC). */
export function parseLocomoDate (s: string): number {
  const m = /(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})/i.exec(s)
  if (m === null) throw new Error(`unreadable LoCoMo date: ${s}`)
  let h = Number(m[1]) % 12
  if (m[3].toLowerCase() === 'pm') h += 12
  return Date.UTC(Number(m[6]), MONTHS.indexOf(m[5].toLowerCase()), Number(m[4]), h, Number(m[2]))
}

export function locomoPath (): string {
  const here = dirname(fileURLToPath(import.meta.url))
  return join(here, '..', '..', '..', 'shared', 'data', 'locomo', 'locomo-dev.json')
}

interface Turn { speaker: string, dia_id: string, text: string, blip_caption?: string }

export async function loadLocomo (path = locomoPath()): Promise<Locomo> {
  const data = JSON.parse(await readFile(path, 'utf8')) as Array<{ sample_id: string, conversation: Record<string, unknown>, qa: Array<{ question: string, category: number, evidence: string[] }> }>
  const docs: IndexedDoc[] = []
  const questions: Question[] = []
  const ends = new Map<string, number>()
  let unresolved = 0
  for (const s of data) {
    const c = s.conversation
    const ids = new Map<string, string>()
    for (const key of Object.keys(c)) {
      const m = /^session_(\d+)$/.exec(key)
      if (m === null) continue
      const date = parseLocomoDate(c[`${key}_date_time`] as string)
      ends.set(s.sample_id, Math.max(ends.get(s.sample_id) ?? 0, date))
      const turns = c[key] as Turn[]
      turns.forEach((t, i) => {
        const text = t.blip_caption === undefined ? t.text : `${t.text} [shares ${t.blip_caption}]`
        const conversation = `${s.sample_id}/${key}`
        ids.set(t.dia_id, conversation)
        docs.push({
          cid: `${s.sample_id}:${t.dia_id}`,
          text,
          uri: `locomo://${s.sample_id}/${t.dia_id}`,
          tags: { session: m[1] },
          time: date + i * 1000,
          capsule: s.sample_id,
          kind: 'message',
          role: t.speaker,
          conversation
        })
      })
    }
    for (const q of s.qa) {
      const evidence = new Set<string>()
      for (const raw of q.evidence) {
        for (const part of raw.split(/[;,\s]+/).filter(p => p !== '')) {
          const id = part.replace(/^D:?(\d+):+(\d+)$/, 'D$1:$2')
          if (ids.has(id)) evidence.add(id); else unresolved++
        }
      }
      if (evidence.size === 0) continue
      questions.push({
        sample: s.sample_id,
        question: q.question,
        category: q.category,
        evidence: [...evidence].map(id => `${s.sample_id}:${id}`),
        sessions: [...new Set([...evidence].map(id => ids.get(id) as string))]
      })
    }
  }
  return { docs, questions, unresolved, ends }
}
