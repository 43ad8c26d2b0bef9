/**
 * Gemini through Google Takeout (`My Activity/Gemini Apps/MyActivity.json`):
 * a flat array, newest first, one prompt + reply per entry, no conversation
 * id. Entries are grouped into conversations by the Gemini app URL in
 * `details`/`titleUrl` where present, else by time: an entry less than
 * GEMINI_SESSION_GAP_MS after the previous one continues its conversation.
 * Message uris hang on the entry's own time and prompt, not on the
 * grouping, so a later overlapping export adds only the new entries.
 * Entries that are not prompts ("Gave feedback: …", other products) are ignored.
 */
import type { Conversation, ImportItem, Importer, Message, Part } from './interface.js'
import { streamJsonRecords } from './_json-stream.js'
import { skipItem } from './_json-records.js'
import { htmlToText } from './_html.js'
import { arr, isObj, obj, stableId, str, toMs } from './_util.js'
import { MAX_RECORD_BYTES } from './constants.js'
import { InvalidRecordShapeError } from './errors.js'

/** Entries further apart than this start a new conversation. */
export const GEMINI_SESSION_GAP_MS = 30 * 60 * 1000

// "Prompted " in the languages Takeout is known to use; the prefix is localised.
export const PROMPT_PREFIX = /^(Prompted|Eingegebener Prompt:|Prompt saisi ?:|Prompt enviado:|Prompt inviato:|Indicación:|Prompt ingresado:|Prompt:|プロンプト:|已提示|Запрос:)\s*/i
export const NON_PROMPT = /^(Gave feedback|Created|Selected preferred draft|Used|Updated|Deleted|Searched|Visited|Viewed)\b/i

export interface Entry { time: number, prompt: string, reply: Part[], app?: string, index: number, byte: number }

function entryOf (raw: unknown, index: number, byte: number): Entry | undefined {
  if (!isObj(raw)) throw new InvalidRecordShapeError('activity entry is not an object')
  const header = str(raw.header) ?? ''
  const products = arr(raw.products).map(str).join(' ')
  if (!/gemini|bard/i.test(header + ' ' + products)) return undefined
  const title = str(raw.title)
  if (title === undefined) throw new InvalidRecordShapeError('activity entry has no title')
  if (NON_PROMPT.test(title)) return undefined
  const time = toMs(raw.time)
  if (time === undefined) throw new InvalidRecordShapeError('activity entry has no valid time')
  const prompt = title.replace(PROMPT_PREFIX, '')
  const reply: Part[] = []
  for (const item of arr(raw.safeHtmlItem)) {
    const html = str(obj(item)?.html)
    if (html !== undefined) {
      const t = htmlToText(html)
      if (t !== '') reply.push({ type: 'text', text: t })
    }
  }
  for (const f of arr(raw.attachedFiles)) {
    const name = str(f) ?? str(obj(f)?.name)
    if (name !== undefined) reply.push({ type: 'file', name })
  }
  const image = str(raw.imageFile)
  if (image !== undefined) reply.push({ type: 'image', name: image })
  let app: string | undefined
  for (const u of [str(raw.titleUrl), ...arr(raw.details).map(d => str(obj(d)?.url) ?? str(obj(d)?.name))]) {
    const m = u !== undefined ? /gemini\.google\.com\/app\/([A-Za-z0-9_-]+)/.exec(u) : null
    if (m !== null) { app = m[1]; break }
  }
  return { time, prompt, reply, app, index, byte }
}

function toConversation (group: Entry[], id: string): Conversation {
  const messages: Message[] = []
  for (const e of group) {
    const key = `${new Date(e.time).toISOString()}-${stableId(e.prompt).slice(0, 12)}`
    messages.push({ id: `${key}/prompt`, role: 'user', time: e.time, parts: [{ type: 'text', text: e.prompt }] })
    if (e.reply.length > 0) messages.push({ id: `${key}/response`, role: 'assistant', time: e.time, parts: e.reply })
  }
  return {
    provider: 'gemini',
    id,
    title: group[0].prompt.slice(0, 120),
    created: group[0].time,
    updated: group[group.length - 1].time,
    messages,
    branches: [],
    uriBase: 'gemini://activity',
    conversationUri: `gemini://${encodeURIComponent(id)}`
  }
}

/** Groups activity entries into conversations (by app URL, else by GEMINI_SESSION_GAP_MS). */
export function * groupEntries (entries: Entry[], path: string): Generator<ImportItem> {
  entries.sort((a, b) => a.time - b.time || b.index - a.index)
  const byApp = new Map<string, Entry[]>()
  let session: Entry[] = []
  const sessions: Entry[][] = []
  for (const e of entries) {
    if (e.app !== undefined) {
      const g = byApp.get(e.app) ?? []
      g.push(e)
      byApp.set(e.app, g)
      continue
    }
    const last = session[session.length - 1]
    if (last !== undefined && e.time - last.time > GEMINI_SESSION_GAP_MS) { sessions.push(session); session = [] }
    session.push(e)
  }
  if (session.length > 0) sessions.push(session)
  for (const [app, g] of byApp) yield { type: 'conversation', conversation: { ...toConversation(g, app), source: path } }
  for (const g of sessions) yield { type: 'conversation', conversation: { ...toConversation(g, `session-${new Date(g[0].time).toISOString()}`), source: path } }
}

export const gemini: Importer = {
  format: 'gemini',
  provider: 'gemini',
  name: 'gemini-takeout-myactivity',
  async * read (source, ctx): AsyncGenerator<ImportItem> {
    const entries: Entry[] = []
    for await (const rec of streamJsonRecords(source.chunks(ctx.signal), { maxRecordBytes: MAX_RECORD_BYTES, onBytes: ctx.onBytes, signal: ctx.signal })) {
      if (rec.error !== undefined) { yield skipItem(rec.index, rec.error, rec.byte); continue }
      try {
        const e = entryOf(rec.value, rec.index, rec.byte)
        if (e !== undefined) entries.push(e)
      } catch (err) {
        yield skipItem(rec.index, err, rec.byte)
      }
    }
    yield * groupEntries(entries, source.path)
  }
}
