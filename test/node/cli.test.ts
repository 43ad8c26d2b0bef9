import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { tempHome, removeHome, runCli, waitFor, ROOT } from '../_helpers.js'

describe('vivim CLI', () => {
  let home = ''
  beforeAll(async () => { home = await tempHome('vivim-cli-') })
  afterAll(async () => { await removeHome(home) })

  it('init prints the DID and home; put (argument and stdin), get, log, timeline and verify work, with --json', async () => {
    const init = await runCli(['init', '--json'], { home })
    expect(init.code).toBe(0)
    const { did } = JSON.parse(init.stdout)
    expect(did).toMatch(/^did:key:z6Mk/)

    const put = await runCli(['put', 'remember the milk', '--capsule', 'notes', '--title', 'errand', '--tag', 'kind=todo', '--uri', 'x://1', '--json'], { home })
    expect(put.code, put.stderr).toBe(0)
    const { cid } = JSON.parse(put.stdout)
    const piped = await runCli(['put', '-c', 'notes'], { home, input: 'from a pipe\n' })
    expect(piped.code, piped.stderr).toBe(0)
    const pipedCid = piped.stdout.trim()

    const get = await runCli(['get', cid, '--json'], { home })
    expect(JSON.parse(get.stdout)).toMatchObject({ cid, text: 'remember the milk', title: 'errand', tags: { kind: 'todo' }, uri: 'x://1', author: did })
    expect((await runCli(['get', pipedCid], { home })).stdout).toContain('from a pipe')

    const log = JSON.parse((await runCli(['log', 'notes', '--json'], { home })).stdout)
    expect(log).toHaveLength(2)
    const tl = JSON.parse((await runCli(['timeline', 'notes', '--json'], { home })).stdout)
    expect(tl.map((f: any) => f.cid)).toEqual([cid, pipedCid])
    const past = JSON.parse((await runCli(['timeline', 'notes', '--as-of', log[1].cid, '--json'], { home })).stdout)
    expect(past.map((f: any) => f.cid)).toEqual([cid])

    const verify = await runCli(['verify', '--json'], { home })
    expect(verify.code).toBe(0)
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, frames: 2, problems: [] })
  })

  it('capsule create/list/branch/merge', async () => {
    expect((await runCli(['capsule', 'create', 'work', '--expires', '30d'], { home })).code).toBe(0)
    expect((await runCli(['put', 'on main', '-c', 'work'], { home })).code).toBe(0)
    expect((await runCli(['capsule', 'branch', 'work', 'draft'], { home })).code).toBe(0)
    expect((await runCli(['put', 'on draft', '-c', 'work', '-b', 'draft'], { home })).code).toBe(0)
    expect((await runCli(['put', 'on main again', '-c', 'work'], { home })).code).toBe(0)
    const merged = await runCli(['capsule', 'merge', 'work', '--from', 'draft', '--json'], { home })
    expect(JSON.parse(merged.stdout).commit).toMatch(/^bafy/)
    const list = JSON.parse((await runCli(['capsule', 'list', '--json'], { home })).stdout)
    const work = list.find((c: any) => c.name === 'work')
    expect(work).toMatchObject({ frames: 3, branches: ['draft', 'main'] })
    expect(work.rules.expires).toBeGreaterThan(Date.now())
  })

  it('vivim start runs the node and holds the home: another process gets NodeInUseError until it stops', async () => {
    const home = await tempHome('vivim-start-')
    expect((await runCli(['put', 'before start', '-c', 'notes'], { home })).code).toBe(0)
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'node/cli/bin.ts'), '--home', home, 'start', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', d => { out += String(d) })
    child.stderr.on('data', d => { err += String(d) })
    const closed = new Promise(resolve => child.on('close', resolve))
    try {
      await waitFor(() => out.trim().endsWith('}') || child.exitCode != null, 90_000, 'vivim start to print its status')
      expect(child.exitCode, err).toBeNull()
      const status = JSON.parse(out)
      expect(status.did).toMatch(/^did:key:/)
      expect(status.peerId).toMatch(/^12D3KooW/)
      expect(status.capsules.map((c: any) => c.name)).toContain('notes')
      const busy = await runCli(['put', 'x'], { home })
      expect(busy.code).toBe(1)
      expect(busy.stderr).toMatch(/NodeInUseError/)
    } finally {
      child.kill('SIGTERM')
      await closed
    }
    expect((await runCli(['put', 'after stop', '-c', 'notes'], { home })).code).toBe(0)
    await removeHome(home)
  }, 240_000)

  it('errors are one line on stderr with a non-zero exit code, no stack trace', async () => {
    for (const args of [['get', 'not-a-cid'], ['put', 'x', '--kind', 'weird'], ['log', 'no-such-capsule'], ['put', 'x', '--tag', 'novalue']]) {
      const r = await runCli(args, { home })
      expect(r.code, args.join(' ')).not.toBe(0)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
    const unknown = await runCli(['frobnicate'], { home })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown command/)
  })
})
