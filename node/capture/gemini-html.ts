/**
 * Gemini through Google Takeout in its default HTML form (`My Activity.html`):
 * repeated `<div class="outer-cell …">` blocks, each with a header cell
 * (product name, localised) and a content cell holding
 * `Prompted&nbsp;<prompt><br><date><br><reply html>`. Dates are localised
 * free text ("Sep 2, 2026, 1:26:27 PM PDT"), read with chrono-node (English,
 * then German, French, Spanish, Portuguese, Dutch, Japanese). Entries are
 * grouped like the JSON form.
 */
import { chrono } from './_chrono.js'
import type { ImportItem, Importer, Part } from './interface.js'
import { groupEntries, NON_PROMPT, PROMPT_PREFIX, type Entry } from './gemini.js'
import { decodeEntities, htmlToText } from './_html.js'
import { skipItem } from './_json-records.js'
import { readUtf8 } from './document.js'
import { InvalidRecordShapeError } from './errors.js'

const parsers = (): Array<{ parseDate: ReturnType<typeof chrono>['parseDate'] }> => { const c = chrono(); return [c.en, c.de, c.fr, c.es, c.pt, c.nl, c.ja] }
// a date line has a year and a clock time
const DATE_LINE = /\d{4}.*\d{1,2}:\d{2}|\d{1,2}:\d{2}.*\d{4}/

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
/** Offsets (minutes) of the zone names Takeout writes most; others go through chrono. */
const ZONES: Record<string, number> = { UTC: 0, GMT: 0, Z: 0, PST: -480, PDT: -420, MST: -420, MDT: -360, CST: -360, CDT: -300, EST: -300, EDT: -240, BST: 60, CET: 60, CEST: 120, MEZ: 60, MESZ: 120, EET: 120, EEST: 180, IST: 330, JST: 540, KST: 540, AEST: 600, AEDT: 660 }
// "Sep 2, 2026, 1:26:27 PM PDT" (Takeout's English form)
const EN_DATE = /^([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AP]M)? ?([A-Z]{1,5})?$/i

function fastDate (s: string): number | undefined {
  const m = EN_DATE.exec(s)
  if (m === null) return undefined
  const month = MONTHS.indexOf(m[1].slice(0, 3).toLowerCase())
  const zone = ZONES[(m[8] ?? 'UTC').toUpperCase()]
  if (month < 0 || zone === undefined) return undefined
  let hour = +m[4]
  if (m[7] !== undefined) hour = (hour % 12) + (m[7].toUpperCase() === 'PM' ? 12 : 0)
  return Date.UTC(+m[3], month, +m[2], hour, +m[5], +(m[6] ?? 0)) - zone * 60_000
}

function parseDate (s: string): number | undefined {
  const fast = fastDate(s)
  if (fast !== undefined) return fast
  // dotted numeric dates (12.03.2026) are day-first in every locale that writes them
  const order = /\d{1,2}\.\d{1,2}\.\d{4}/.test(s) ? [chrono().de, ...parsers()] : parsers()
  for (const p of order) {
    const d = p.parseDate(s, { instant: new Date(0), timezone: 'UTC' })
    if (d !== null && Number.isFinite(d.getTime())) return d.getTime()
  }
  return undefined
}

function cellEntry (cell: string, index: number, byte: number): Entry | undefined {
  const header = htmlToText(/mdl-typography--title[^>]*>([\s\S]*?)<\/p>/.exec(cell)?.[1] ?? '')
  const content = /<div class="content-cell[^"]*"[^>]*>([\s\S]*?)<\/div>/.exec(cell)?.[1]
  const products = /Products:<\/b>([\s\S]*?)(<\/div>|<b>)/.exec(cell)?.[1] ?? ''
  if (!/gemini|bard/i.test(header + ' ' + htmlToText(products))) return undefined
  if (content === undefined) throw new InvalidRecordShapeError(`entry ${index} has no content cell`)
  const segments = content.split(/<br\s*\/?>/i)
  const at = segments.findIndex(seg => DATE_LINE.test(decodeEntities(seg.replace(/<[^>]*>/g, ''))))
  if (at < 1) throw new InvalidRecordShapeError(`entry ${index} has no date line`)
  const title = decodeEntities(segments.slice(0, at).join('\n').replace(/<[^>]*>/g, '')).replace(/\u00a0/g, ' ').trim()
  if (NON_PROMPT.test(title)) return undefined
  const time = parseDate(decodeEntities(segments[at].replace(/<[^>]*>/g, '')).replace(/\u202f|\u00a0/g, ' ').trim())
  if (time === undefined) throw new InvalidRecordShapeError(`entry ${index} has an unreadable date`)
  const replyText = htmlToText(segments.slice(at + 1).join('<br>'))
  const reply: Part[] = replyText !== '' ? [{ type: 'text', text: replyText }] : []
  const app = /gemini\.google\.com\/app\/([A-Za-z0-9_-]+)/.exec(cell)?.[1]
  return { time, prompt: title.replace(PROMPT_PREFIX, ''), reply, app, index, byte }
}

export const geminiHtml: Importer = {
  format: 'gemini-html',
  provider: 'gemini',
  name: 'gemini-takeout-myactivity-html',
  async * read (source): AsyncGenerator<ImportItem> {
    const { text } = await readUtf8(source)
    const entries: Entry[] = []
    const skipped: ImportItem[] = []
    const starts = [...text.matchAll(/<div class="outer-cell\b/g)].map(m => m.index)
    for (const [i, start] of starts.entries()) {
      const cell = text.slice(start, starts[i + 1] ?? text.length)
      try {
        const e = cellEntry(cell, i, start)
        if (e !== undefined) entries.push(e)
      } catch (err) {
        skipped.push(skipItem(i, err, start))
      }
    }
    yield * skipped
    yield * groupEntries(entries, source.path)
  }
}
