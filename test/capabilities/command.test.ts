// Command path syntax and whole-segment matching (ucan-wg/spec, "Command").
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { commandGrants, isCommand, COMMANDS } from '../../capabilities/index.js'

describe('commands', () => {
  it('accepts the spec\'s examples and our commands; refuses malformed paths', () => {
    for (const ok of ['/', '/crud', '/crud/create', '/stack/pop', '/crypto/sign', '/foo/bar/baz/qux/quux', '/ほげ/ふが', ...Object.values(COMMANDS)]) expect(isCommand(ok), ok).toBe(true)
    for (const bad of ['', 'crud', '/crud/', '//', '/a//b', '/Crud', 42, null]) expect(isCommand(bad), String(bad)).toBe(false)
  })

  it('a command grants itself and its sub-paths, by whole segments only (property, seed 4)', () => {
    const seg = fc.stringMatching(/^[a-z]{1,6}$/)
    fc.assert(fc.property(fc.array(seg, { minLength: 1, maxLength: 4 }), fc.array(seg, { maxLength: 3 }), seg, (base, more, suffix) => {
      const granted = '/' + base.join('/')
      expect(commandGrants(granted, granted)).toBe(true)
      expect(commandGrants('/', granted)).toBe(true)
      expect(commandGrants(granted, [granted, ...more].join('/'))).toBe(true)
      // Gluing characters onto the last segment is never a sub-path.
      expect(commandGrants(granted, granted + suffix)).toBe(false)
      if (base.length > 1) expect(commandGrants(granted, '/' + base.slice(0, -1).join('/'))).toBe(false)
    }), { seed: 4, numRuns: 500 })
  })
})
