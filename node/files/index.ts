/**
 * @packageDocumentation
 *
 * Capsule files: one file per capsule that any IPLD tool reads (CAR v1), optionally wrapped in
 * an authenticated encrypted stream, imported only once every block, signature and link checked.
 *
 * Format. Roots: the head commits of every exported branch (sorted), then a manifest block
 * (dag-cbor `{ v, type: 'capsule-file', capsule, branches: { name: [heads] }, forgotten, exporter, time, sig }`,
 * signed by the exporter). Blocks: the manifest, the capsule's genesis, then each commit of the
 * history followed by the frames it adds. Frames the node forgot are listed in the manifest and absent.
 * Encrypted: see `encrypted.ts` for the header layout and chunk rules.
 *
 * @example
 * ```ts
 * await node.exportCapsule('notes', 'notes.car')
 * await node.exportCapsule('notes', 'notes.vivim', { encrypt: { passphrase } })
 * const report = await node.verifyFile('notes.vivim', { passphrase })
 * await other.importCapsule('notes.vivim', { passphrase })
 * ```
 */
export * from './errors.js'
export type * from './interface.js'
export * from './constants.js'
export { planExport, checkExportRules } from './export.js'
export type { ExportPlan } from './export.js'
export { importCapsuleFile, recoverImports } from './import.js'
export { Ledger, DEFAULT_LEDGER_BYTES } from './ledger.js'
export type { LedgerSpace } from './ledger.js'
export { scanCapsuleFile } from './scan.js'
export type { CapsuleSource, Scan } from './scan.js'
export { verifyCapsuleFile } from './verify-file.js'
export { encryptStream, decryptStream, isEncrypted } from './encrypted.js'
export { writeTo } from './sink.js'
export type { CapsuleSink } from './sink.js'
export { createManifest, validateManifest } from './manifest.js'
export { ByteReader } from './_bytes.js'
