import { describe, it, expect, afterAll } from 'vitest'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createNode } from '../../node/index.js'
import { tempHome, removeHome, prng, ROOT } from '../_helpers.js'

const KILLS = 50

describe('crash safety', () => {
  let home = ''
  afterAll(async () => { if (home !== '') await removeHome(home) })

  it(`every acknowledged frame survives ${KILLS} SIGKILLs at random moments, and verify stays clean`, async () => {
    home = await tempHome('vivim-crash-')
    const seed = Number(process.env.VIVIM_CRASH_SEED ?? 7331)
    const rand = prng(seed)
    const acked: string[] = []
    let roundsWithWrites = 0
    for (let round = 0; round < KILLS; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/node/_crash-writer.ts'), home, String(seed * 1000 + round)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
      let buf = ''
      let stderr = ''
      let ready = false
      let ackedThisRound = 0
      child.stderr.on('data', d => { stderr += String(d) })
      child.stdout.on('data', (d) => {
        buf += String(d)
        let i: number
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i); buf = buf.slice(i + 1)
          if (line === 'ready') ready = true
          else if (line.startsWith('ack ')) { acked.push(line.slice(4)); ackedThisRound++ }
        }
      })
      const closed = new Promise<void>(resolve => child.on('close', () => resolve()))
      const deadline = Date.now() + 60_000
      while (!ready && Date.now() < deadline && child.exitCode == null) await new Promise(resolve => setTimeout(resolve, 5))
      expect(ready, `writer did not start (seed ${seed}, round ${round}): ${stderr}`).toBe(true)
      // Kill while the writer is busy: after its first acknowledged write of the round, at a random moment.
      while (ackedThisRound === 0 && Date.now() < deadline && child.exitCode == null) await new Promise(resolve => setTimeout(resolve, 2))
      await new Promise(resolve => setTimeout(resolve, Math.floor(rand() * 150)))
      child.kill('SIGKILL')
      await closed
      if (ackedThisRound > 0) roundsWithWrites++

      const node = await createNode({ home, network: false })
      try {
        // Every acknowledged frame is readable (spot-check all of this round's, a sample of older ones).
        const sample = acked.filter((_, i) => i >= acked.length - ackedThisRound || rand() < 0.05)
        for (const cid of sample) expect((await node.get(cid)).cid, `seed ${seed} round ${round}`).toBe(cid)
        // …and searchable: the index caught up with whatever the crash cut off.
        const last = acked[acked.length - 1]
        if (last != null) {
          const f = await node.get(last)
          const words = f.text.split(' ')[1]
          const hits = await node.search(words, { topK: 50, capsule: f.capsule })
          expect(hits.map(h => h.cid), `seed ${seed} round ${round}: "${words}"`).toContain(last)
        }
        if (round % 10 === 9 || round === KILLS - 1) {
          const report = await node.verify()
          expect(report.problems, `seed ${seed} round ${round}`).toEqual([])
        }
      } finally {
        await node.stop()
      }
    }
    // Finally, all of them, and the live states hold every acknowledged frame.
    const node = await createNode({ home, network: false })
    try {
      const live = new Set<string>()
      for (const c of await node.capsules()) for (const f of (await node.state(c.id)).live) live.add(f)
      const missing = acked.filter(c => !live.has(c))
      expect(missing, `seed ${seed}`).toEqual([])
      expect((await node.verify()).ok).toBe(true)
    } finally {
      await node.stop()
    }
    expect(acked.length).toBeGreaterThan(KILLS)
    expect(roundsWithWrites).toBe(KILLS)
  }, 300_000)
})
