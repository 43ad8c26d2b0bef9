import { describe, expect, it } from 'vitest'
import { parseQueryTime } from '../../../node/context/index.js'

const now = new Date('2023-06-15T12:00:00Z') // a Thursday
const iso = (t?: number): string | undefined => t === undefined ? undefined : new Date(t).toISOString()

describe('parseQueryTime', () => {
  it('reads "last Tuesday" as that whole day in the user\'s zone', () => {
    const r = parseQueryTime('what did I do last Tuesday', 'America/New_York', now)
    expect(r.text).toBe('what did I do')
    expect([iso(r.since), iso(r.until)]).toEqual(['2023-06-13T04:00:00.000Z', '2023-06-14T04:00:00.000Z'])
  })

  it('reads "in May 2023" as the month and "yesterday" as the day', () => {
    const may = parseQueryTime('trips in May 2023', 'Europe/Paris', now)
    expect(may.text).toBe('trips')
    expect([iso(may.since), iso(may.until)]).toEqual(['2023-04-30T22:00:00.000Z', '2023-05-31T22:00:00.000Z'])
    const y = parseQueryTime('yesterday meeting notes', 'Asia/Tokyo', now)
    expect(y.text).toBe('meeting notes')
    expect([iso(y.since), iso(y.until)]).toEqual(['2023-06-13T15:00:00.000Z', '2023-06-14T15:00:00.000Z'])
  })

  it('leaves queries without time alone', () => {
    expect(parseQueryTime('When did Caroline go to the group?', 'UTC', now)).toEqual({ text: 'When did Caroline go to the group?' })
    expect(parseQueryTime('Sunday brunch ideas', 'UTC', now).since).toBeUndefined()
  })
})

describe('parseQueryTime ambiguity', () => {
  it('reads a lone month word as time only after a preposition', () => {
    expect(parseQueryTime('march forward plans', 'UTC', now).since).toBeUndefined()
    const r = parseQueryTime('trip in March', 'UTC', now)
    expect(r.text).toBe('trip')
    expect(iso(r.since)).toBe('2023-03-01T00:00:00.000Z')
  })
})
