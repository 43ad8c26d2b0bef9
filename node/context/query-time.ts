import type * as Chrono from 'chrono-node'
import { chrono } from './_chrono.js'

/** A query with its natural-language time taken out. */
export interface ParsedQuery {
  /** The query without the time words. */
  text: string
  /** The time range the words named, [since, until) in ms, if any. */
  since?: number
  until?: number
  /** The words that were read as time. */
  timeText?: string
}

type Unit = 'day' | 'week' | 'month' | 'year'

/** Offset of a time zone from UTC at an instant, in minutes (east positive). */
// A memo of immutable formatters (building one costs ~0.1 ms); it holds no node state.
const FORMATTERS = new Map<string, Intl.DateTimeFormat>()

export function zoneOffset (timeZone: string, at: number): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0
  let f = FORMATTERS.get(timeZone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric'
    })
    if (FORMATTERS.size > 64) FORMATTERS.clear()
    FORMATTERS.set(timeZone, f)
  }
  const p: Record<string, number> = {}
  for (const part of f.formatToParts(new Date(at))) if (part.type !== 'literal') p[part.type] = Number(part.value)
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return Math.round((wall - Math.floor(at / 1000) * 1000) / 60_000)
}

/** The UTC instant of a wall-clock time in a zone. */
function fromWall (timeZone: string, y: number, m: number, d: number): number {
  const guess = Date.UTC(y, m, d)
  const off = zoneOffset(timeZone, guess - zoneOffset(timeZone, guess) * 60_000)
  return guess - off * 60_000
}

/** Wall-clock date parts of an instant in a zone. */
function wallParts (timeZone: string, at: number): { y: number, m: number, d: number, wd: number } {
  const w = new Date(at + zoneOffset(timeZone, at) * 60_000)
  return { y: w.getUTCFullYear(), m: w.getUTCMonth(), d: w.getUTCDate(), wd: w.getUTCDay() }
}

function range (timeZone: string, at: number, unit: Unit): [number, number] {
  const { y, m, d, wd } = wallParts(timeZone, at)
  switch (unit) {
    case 'year': return [fromWall(timeZone, y, 0, 1), fromWall(timeZone, y + 1, 0, 1)]
    case 'month': return [fromWall(timeZone, y, m, 1), fromWall(timeZone, y, m + 1, 1)]
    case 'week': {
      const monday = d - ((wd + 6) % 7)
      return [fromWall(timeZone, y, m, monday), fromWall(timeZone, y, m, monday + 7)]
    }
    default: return [fromWall(timeZone, y, m, d), fromWall(timeZone, y, m, d + 1)]
  }
}

function unitOf (r: Chrono.ParsedResult): Unit | undefined {
  const t = r.text.toLowerCase()
  if (/\bweeks?\b/.test(t) && !/\bago\b/.test(t)) return 'week'
  if (/\bmonths?\b/.test(t) && !/\bago\b/.test(t)) return 'month'
  if (/\byears?\b/.test(t) && !/\bago\b/.test(t)) return 'year'
  const s = r.start
  if (s.isCertain('day') || s.isCertain('weekday')) return 'day'
  if (s.isCertain('month')) return 'month'
  if (s.isCertain('year')) return 'year'
  return undefined
}

/** Words without which chrono (casual English) finds no date: digits, months, relative words. */
const TIMEY = /\b(\d{1,4}(st|nd|rd|th)?|jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?|(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?|yesterday|today|tonight|tomorrow|ago|last|next|past|weekend|week|month|year)s?\b/i

/** Words chrono reads as time that, alone, are too vague or too common to filter by. */
const VAGUE = /^(now|today|tonight|this (morning|afternoon|evening)|[0-9]{1,2}|(mon|tue|wed|thu|fri|sat|sun)[a-z]*)$/i

/**
 * Finds natural-language time in a query ("last Tuesday", "in May 2023", "yesterday") with
 * chrono-node, reads it in `timeZone` relative to `now`, and returns the query without those
 * words plus the [since, until) range they name (a whole day, week, month or year). A bare
 * weekday ("Sunday"), "now" and "today" are left in the text: alone they are more often
 * topic words than a time filter.
 */
export function parseQueryTime (query: string, timeZone: string, now: Date): ParsedQuery {
  // chrono is slow next to a search; most queries name no time, and this says so cheaply.
  if (!TIMEY.test(query)) return { text: query }
  const instant = now.getTime()
  const results = chrono().casual.parse(query, { instant: now, timezone: zoneOffset(timeZone, instant) }, { forwardDate: false })
  let since: number | undefined
  let until: number | undefined
  const used: Chrono.ParsedResult[] = []
  for (const r of results) {
    if (VAGUE.test(r.text.trim())) continue
    // A lone month or day word ("march forward", "may") is a time only after a preposition ("in March").
    if (!/\s/.test(r.text.trim()) && !/^(yesterday|tomorrow)$/i.test(r.text.trim()) &&
      !/\b(in|during|since|before|after|until|till|by|last|this|next|of|on)\s+$/i.test(query.slice(0, r.index))) continue
    const unit = unitOf(r)
    if (unit === undefined) continue
    const [a] = range(timeZone, r.start.date().getTime(), unit)
    const [, b] = range(timeZone, (r.end ?? r.start).date().getTime(), unit)
    since = since === undefined ? a : Math.min(since, a)
    until = until === undefined ? b : Math.max(until, b)
    used.push(r)
  }
  // A bare year after a preposition ("in 2022"), which chrono leaves alone.
  if (used.length === 0) {
    const y = /\b(in|during|since|of|from)\s+((?:19|20)\d{2})\b(?!\s*[-/:])/i.exec(query)
    if (y === null) return { text: query }
    const year = Number(y[2])
    const text = (query.slice(0, y.index) + ' ' + query.slice(y.index + y[0].length)).replace(/\s+/g, ' ').trim()
    return { text, since: fromWall(timeZone, year, 0, 1), until: fromWall(timeZone, year + 1, 0, 1), timeText: y[0] }
  }
  let text = query
  for (const r of [...used].sort((x, y) => y.index - x.index)) {
    text = text.slice(0, r.index) + ' ' + text.slice(r.index + r.text.length)
  }
  text = text.replace(/\b(in|on|during|from|since|at)\s*(?=[?.!,]*\s*$)/i, '').replace(/\s+/g, ' ').trim()
  return { text, since, until, timeText: used.map(r => r.text).join(', ') }
}

/**
 * A score factor for docs inside a named time range and the stretch after it (as long as the
 * range, at least a week): people tell of things after they happen ("last night we…").
 */
export function timeBoost (range: { since?: number, until?: number }, times: Float64Array, factor: number): ((n: number) => number) | undefined {
  if (range.since === undefined || range.until === undefined) return undefined
  const since = range.since
  const until = range.until + Math.max(range.until - range.since, 7 * 86_400_000)
  return (n) => times[n] >= since && times[n] < until ? factor : 1
}
