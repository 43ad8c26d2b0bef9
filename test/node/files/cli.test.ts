import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { join } from 'node:path'
import { writeFile, readFile, access } from 'node:fs/promises'
import { tempHome, removeHome, runCli as run } from '../../_helpers.js'

// Generous child deadlines: these run beside the fuzz suite on two cores.
const runCli = async (args: string[], o: Parameters<typeof run>[1] = {}): ReturnType<typeof run> => await run(args, { ...o, timeoutMs: 180_000 })

const exists = async (p: string): Promise<boolean> => await access(p).then(() => true, () => false)

describe('vivim capsule export/import, verify FILE, forget, gc', () => {
  let dir = ''
  let a = ''
  let b = ''
  beforeAll(async () => {
    dir = await tempHome('vivim-files-cli-')
    a = join(dir, 'a'); b = join(dir, 'b')
    await writeFile(join(dir, 'pw'), 'a long passphrase\n')
  })
  afterAll(async () => { await removeHome(dir) })

  it('exports plain and encrypted (passphrase from a file), verifies and imports them', async () => {
    expect((await runCli(['put', 'the first note', '-c', 'notes'], { home: a })).code).toBe(0)
    const put = await runCli(['put', 'a secret to forget', '-c', 'notes', '--json'], { home: a })
    const secret = JSON.parse(put.stdout).cid
    const plain = join(dir, 'notes.car')
    const sealed = join(dir, 'notes.vivim')
    const ex = await runCli(['capsule', 'export', 'notes', plain, '--json'], { home: a })
    expect(ex.code, ex.stderr).toBe(0)
    expect(JSON.parse(ex.stdout)).toMatchObject({ commits: 2, frames: 2, encrypted: false })
    const enc = await runCli(['capsule', 'export', 'notes', sealed, '--encrypt', '--passphrase-file', join(dir, 'pw')], { home: a, timeoutMs: 60_000 })
    expect(enc.code, enc.stderr).toBe(0)
    expect((await readFile(sealed)).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x56, 0x49, 0x56]))

    const v = await runCli(['verify', sealed, '--passphrase-file', join(dir, 'pw'), '--json'], { home: b, timeoutMs: 60_000 })
    expect(v.code, v.stderr).toBe(0)
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, encrypted: true, commits: 2, frames: 2, name: 'notes' })
    expect(await exists(join(b, 'store'))).toBe(false) // verify FILE opens no node

    const imp = await runCli(['capsule', 'import', sealed, '--passphrase-file', join(dir, 'pw'), '--json'], { home: b, timeoutMs: 60_000 })
    expect(imp.code, imp.stderr).toBe(0)
    expect(JSON.parse(imp.stdout)).toMatchObject({ created: true, commits: { added: 2 } })
    const again = await runCli(['capsule', 'import', plain, '--json'], { home: b })
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, commits: { added: 0 }, frames: { added: 0 } })
    expect(JSON.parse((await runCli(['get', secret, '--json'], { home: b })).stdout).text).toBe('a secret to forget')

    // forget (with gc by default), then gc finds nothing more; verify reports the hole as forgotten.
    const f = await runCli(['forget', secret, '--json'], { home: b })
    expect(f.code, f.stderr).toBe(0)
    expect(JSON.parse(f.stdout).gc.deleted).toEqual([secret])
    expect(JSON.parse((await runCli(['gc', '--json'], { home: b })).stdout).deleted).toEqual([])
    const gone = await runCli(['get', secret], { home: b })
    expect(gone.code).not.toBe(0)
    expect(gone.stderr).toMatch(/FrameForgottenError/)
    expect(JSON.parse((await runCli(['verify', '--json'], { home: b })).stdout)).toMatchObject({ ok: true, forgotten: 1 })
    const q = await runCli(['forget', '--query', 'first', '--no-gc', '--json'], { home: b })
    expect(JSON.parse(q.stdout).gc).toBeUndefined()
    expect(JSON.parse((await runCli(['gc', '--json'], { home: b })).stdout).deleted).toHaveLength(1)
  }, 600_000)

  it('never takes a passphrase from an argument, and without a terminal or a file it says so', async () => {
    const sealed = join(dir, 'notes.vivim')
    const noTty = await runCli(['capsule', 'import', sealed], { home: join(dir, 'c') })
    expect(noTty.code).not.toBe(0)
    expect(noTty.stderr.trim().split('\n')).toHaveLength(1)
    expect(noTty.stderr).toMatch(/PassphraseRequiredError/)
    const exportNoTty = await runCli(['capsule', 'export', 'notes', join(dir, 'x.vivim'), '--encrypt'], { home: a })
    expect(exportNoTty.stderr).toMatch(/PassphraseRequiredError/)
    expect(await exists(join(dir, 'x.vivim'))).toBe(false)
    const arg = await runCli(['capsule', 'export', 'notes', join(dir, 'y.vivim'), '--encrypt', '--passphrase', 'oops'], { home: a })
    expect(arg.code).toBe(2)
    await writeFile(join(dir, 'wrong'), 'not it\n')
    const wrong = await runCli(['capsule', 'import', sealed, '--passphrase-file', join(dir, 'wrong')], { home: join(dir, 'c'), timeoutMs: 60_000 })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/WrongPassphraseError/)
  }, 300_000)

  it('verify FILE names each problem and exits 1; a damaged plain file is refused on import', async () => {
    const bytes = await readFile(join(dir, 'notes.car'))
    const damaged = join(dir, 'damaged.car')
    await writeFile(damaged, bytes.subarray(0, bytes.length - 20))
    const v = await runCli(['verify', damaged, '--json'], { home: b })
    expect(v.code).toBe(1)
    const report = JSON.parse(v.stdout)
    expect(report.ok).toBe(false)
    expect(report.problems[0].error).toBe('TruncatedFileError')
    const human = await runCli(['verify', damaged], { home: b })
    expect(human.stdout).toMatch(/PROBLEM TruncatedFileError/)
    const imp = await runCli(['capsule', 'import', damaged], { home: join(dir, 'd') })
    expect(imp.code).toBe(1)
    expect(imp.stderr).toMatch(/TruncatedFileError/)
  }, 300_000)

  it('forget in a private capsule destroys the key: the CLI says so, and an old export no longer opens it on this home', async () => {
    const h = join(dir, 'p')
    expect((await runCli(['capsule', 'create', 'vault', '--private'], { home: h })).code).toBe(0)
    const put = await runCli(['put', 'my passport number is X123', '-c', 'vault', '--json'], { home: h })
    const cid = JSON.parse(put.stdout).cid
    expect((await runCli(['put', 'a sealed note to keep', '-c', 'vault'], { home: h })).code).toBe(0)
    const old = join(dir, 'vault-old.car')
    expect((await runCli(['capsule', 'export', 'vault', old], { home: h })).code).toBe(0)
    const f = await runCli(['forget', cid], { home: h })
    expect(f.code, f.stderr).toBe(0)
    expect(f.stdout).toMatch(/destroyed 1 frame keys/)
    expect(JSON.parse((await runCli(['forget', cid, '--json'], { home: h })).stdout)).toMatchObject({ already: [cid], keysDestroyed: 0 })
    expect((await runCli(['capsule', 'import', old], { home: h })).code).toBe(0)
    const gone = await runCli(['get', cid], { home: h })
    expect(gone.stderr).toMatch(/FrameForgottenError/)
    const tl = await runCli(['timeline', 'vault', '--json'], { home: h })
    expect(tl.stdout).toMatch(/a sealed note to keep/)
    expect(tl.stdout).not.toMatch(/passport/)
  }, 300_000)
})
