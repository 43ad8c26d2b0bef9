import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** Repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** A fresh temporary home folder; remove it with `rm(home)` in afterEach. */
export async function tempHome (prefix = 'vivim-test-'): Promise<string> {
  return await mkdtemp(join(tmpdir(), prefix))
}

export async function removeHome (home: string): Promise<void> {
  await rm(home, { recursive: true, force: true })
}

/** Polls `fn` until it returns truthy, failing after `timeoutMs`. */
export async function waitFor<T> (fn: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

/** A small seeded PRNG (mulberry32), so random tests replay from their printed seed. */
export function prng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Runs the vivim CLI from source in a child process. */
export async function runCli (args: string[], opts: { home?: string, input?: string, env?: Record<string, string>, timeoutMs?: number } = {}): Promise<{ code: number, stdout: string, stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'node/cli/bin.ts'), ...(opts.home != null ? ['--home', opts.home] : []), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => { stdout += String(d) })
  child.stderr.on('data', (d) => { stderr += String(d) })
  if (opts.input != null) child.stdin.end(opts.input)
  else child.stdin.end()
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000)
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)))
  clearTimeout(timer)
  return { code, stdout, stderr }
}
