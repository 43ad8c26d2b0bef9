// `vivim verify FILE`: every check an import makes, nothing written, each problem named.
import { scanCapsuleFile, type CapsuleSource } from './scan.js'
import { Ledger } from './ledger.js'
import type { FileReport, ImportOptions } from './interface.js'
import type { SignatureVerifier } from '../../dag/index.js'

/**
 * Checks a capsule file without importing it: block hashes, signatures, shapes, completeness
 * and the owner's rules (expiry, re-sharing). Stream-level failures (wrong passphrase,
 * truncation, tampering) end the check as one problem.
 */
export async function verifyCapsuleFile (src: CapsuleSource, c: { verifier: SignatureVerifier, now: () => number }, opts: ImportOptions = {}): Promise<FileReport> {
  const ledger = Ledger.temporary()
  let scan
  try {
    scan = await scanCapsuleFile(src, { passphrase: opts.passphrase, verifier: c.verifier, now: c.now(), collect: true, signal: opts.signal, ledger })
  } finally {
    await ledger.clear()
  }
  const m = scan.manifest?.value
  const g = scan.genesis?.value
  const report: FileReport = {
    ok: scan.problems.length === 0,
    encrypted: scan.encrypted,
    branches: m != null ? Object.fromEntries(Object.entries(m.branches).map(([b, hs]) => [b, hs.map(String)])) : {},
    blocks: scan.blocks,
    commits: scan.commits,
    frames: scan.frames,
    forgotten: scan.forgotten.size,
    problems: scan.problems
  }
  if (scan.genesis != null) report.capsule = scan.genesis.cid.toString()
  if (g != null) { report.name = g.name; report.owner = g.owner }
  if (m != null) report.exporter = m.exporter
  return report
}
