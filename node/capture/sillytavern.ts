/**
 * SillyTavern chat `.jsonl`: line 1 is the header `{user_name,
 * character_name, create_date, chat_metadata?}`, every further line one
 * message `{name, is_user, is_system?, send_date, mes, swipes?, swipe_id?,
 * swipe_info?, extra?}`. The chosen swipe is the visible message; the other
 * swipes become branches forking from the previous message. `send_date` is
 * epoch ms in old files and text ("2026-08-14@10h03m", "December 11, 2024
 * 7:39pm") in newer ones; text dates carry no zone and are read as UTC.
 */
import { chrono } from './_chrono.js'
import type { Branch, Conversation, ImportItem, Importer, Message } from './interface.js'
import { streamJsonLines } from './_lines.js'
import { skipItem } from './_json-records.js'
import { parseMarkup } from './_markup.js'
import { arr, isObj, metaOf, nonEmpty, num, obj, str, stableId, toMs, type Obj } from './_util.js'
import { MAX_RECORD_BYTES } from './constants.js'
import { InvalidRecordShapeError } from './errors.js'

/** SillyTavern's own `humanizedDateTime` shape: 2026-08-14@10h03m(12s)(345ms). */
const ST_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})\s*@\s*(\d{1,2})h\s*(\d{1,2})m(?:\s*(\d{1,2})s)?(?:\s*(\d{1,3})ms)?/

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const EN_DATE = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4}),? (\d{1,2}):(\d{2})\s*([ap]m)?$/i

export function sillyTime (v: unknown): number | undefined {
  const direct = toMs(v)
  if (direct !== undefined) return direct
  const s = str(v)?.trim()
  if (s === undefined || s === '') return undefined
  const m = ST_DATE.exec(s)
  if (m !== null) return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0), +(m[7] ?? 0))
  // SillyTavern's `getMessageTimeStamp` shape: "December 11, 2024 7:39pm" (fast path before chrono)
  const en = EN_DATE.exec(s)
  const month = en !== null ? MONTHS.indexOf(en[1].slice(0, 3).toLowerCase()) : -1
  if (en !== null && month >= 0) {
    let hour = +en[4] % 12
    if (en[6]?.toLowerCase() === 'pm') hour += 12
    if (en[6] === undefined) hour = +en[4]
    return Date.UTC(+en[3], month, +en[2], hour, +en[5])
  }
  const d = chrono().parseDate(s, { instant: new Date(0), timezone: 'UTC' })
  return d !== null && Number.isFinite(d.getTime()) ? d.getTime() : undefined
}

function roleOf (m: Obj): string {
  if (m.is_system === true) return 'system'
  return m.is_user === true ? 'user' : 'assistant'
}

export const sillytavern: Importer = {
  format: 'sillytavern',
  provider: 'sillytavern',
  name: 'sillytavern-jsonl',
  async * read (source, ctx): AsyncGenerator<ImportItem> {
    let header: Obj | undefined
    const messages: Message[] = []
    const branches: Branch[] = []
    for await (const rec of streamJsonLines(source.chunks(ctx.signal), { maxRecordBytes: MAX_RECORD_BYTES, onBytes: ctx.onBytes, signal: ctx.signal })) {
      if (rec.error !== undefined) { yield skipItem(rec.index, rec.error, rec.byte, rec.line); continue }
      const v = rec.value
      if (rec.index === 0 && isObj(v) && !('mes' in v)) { header = v; continue }
      if (!isObj(v) || typeof v.mes !== 'string') { yield skipItem(rec.index, new InvalidRecordShapeError(`line ${rec.line} is not a message`), rec.byte, rec.line); continue }
      const id = `m${rec.index}`
      const extra = obj(v.extra)
      const model = str(extra?.model)
      const prev = messages[messages.length - 1]?.id
      messages.push({
        id,
        role: roleOf(v),
        author: nonEmpty(v.name),
        time: sillyTime(v.send_date) ?? sillyTime(v.gen_finished),
        model,
        parts: [...(nonEmpty(extra?.reasoning) !== undefined ? [{ type: 'reasoning' as const, text: String(extra?.reasoning) }] : []), ...parseMarkup(v.mes)],
        meta: metaOf({ api: extra?.api })
      })
      const swipes = arr(v.swipes)
      const chosen = num(v.swipe_id) ?? 0
      swipes.forEach((s, k) => {
        const text = str(s)
        if (k === chosen || text === undefined || text === v.mes || text.trim() === '') return
        const info = obj(arr(v.swipe_info)[k])
        branches.push({ forkFrom: prev, messages: [{ id: `${id}/swipe${k}`, role: roleOf(v), author: nonEmpty(v.name), time: sillyTime(info?.send_date) ?? sillyTime(info?.gen_started), model: str(obj(info?.extra)?.model) ?? model, parts: parseMarkup(text), meta: { swipe: String(k) } }] })
      })
    }
    if (header === undefined && messages.length === 0) return
    const character = str(header?.character_name) ?? messages.find(m => m.role === 'assistant')?.author
    const created = sillyTime(header?.create_date)
    const id = `${character ?? 'chat'}-${str(header?.create_date) ?? stableId(source.path, messages[0]?.time)}`
    const conv: Conversation = {
      provider: 'sillytavern',
      id,
      title: character !== undefined ? `Chat with ${character}` : undefined,
      created: created ?? messages[0]?.time,
      updated: messages[messages.length - 1]?.time,
      messages,
      branches,
      source: source.path,
      tags: metaOf({ character, user_name: header?.user_name })
    }
    yield { type: 'conversation', conversation: conv }
  }
}
