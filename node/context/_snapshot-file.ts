import { mkdir, open, readdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'

/**
 * Snapshot generations as files of their own (`snapshot-<gen>.bin` in the index's folder): the
 * same named chunks as in level, one record each (name, chunk number, length, bytes), then a
 * trailer with the record count and a CRC-32 of everything before it. Writing tens of MB into
 * level at every stop cost more than the bytes: LevelDB rewrote them through its compactions,
 * and the table files those read stayed mapped in the process (30–50 MB of RSS at the end of a
 * 200 MB import). A file is written once, synced, and renamed into place.
 */
const MAGIC = 0x564d5331 // 'VMS1'
const TRAILER = 12

export function snapshotPath (dir: string, gen: number): string { return join(dir, `snapshot-${String(gen).padStart(8, '0')}.bin`) }

/** Writes a generation: `fill` puts its chunks; the file appears whole or not at all. */
export async function writeSnapshotFile (dir: string, gen: number, fill: (put: (name: string, i: number, bytes: Uint8Array) => Promise<void>) => Promise<void>): Promise<void> {
  await mkdir(dir, { recursive: true })
  const path = snapshotPath(dir, gen)
  const tmp = `${path}.tmp`
  const fh = await open(tmp, 'w')
  let crc = 0
  let records = 0
  try {
    const write = async (b: Uint8Array): Promise<void> => {
      crc = crc32(b, crc)
      await fh.write(b)
    }
    await fill(async (name, i, bytes) => {
      const n = Buffer.from(name, 'utf8')
      const head = Buffer.alloc(10 + n.length)
      head.writeUInt16LE(n.length, 0)
      n.copy(head, 2)
      head.writeUInt32LE(i, 2 + n.length)
      head.writeUInt32LE(bytes.length, 6 + n.length)
      await write(head)
      await write(bytes)
      records++
    })
    const trailer = Buffer.alloc(TRAILER)
    trailer.writeUInt32LE(MAGIC, 0)
    trailer.writeUInt32LE(records, 4)
    trailer.writeUInt32LE(crc >>> 0, 8)
    await fh.write(trailer)
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, path)
  // The rename is durable once the folder is.
  const d = await open(dir, 'r')
  try { await d.sync() } finally { await d.close() }
}

/**
 * Reads a generation's chunks in order, calling `take(name, i, bytes)` for each.
 * @throws when the file is missing, truncated or damaged (its CRC does not match)
 */
export async function readSnapshotFile (dir: string, gen: number, take: (name: string, i: number, bytes: Uint8Array) => void): Promise<void> {
  const fh = await open(snapshotPath(dir, gen), 'r')
  try {
    const size = (await fh.stat()).size
    if (size < TRAILER) throw new Error('snapshot file is truncated')
    const trailer = Buffer.alloc(TRAILER)
    await fh.read(trailer, 0, TRAILER, size - TRAILER)
    if (trailer.readUInt32LE(0) !== MAGIC) throw new Error('snapshot file has no trailer (truncated or not a snapshot)')
    const end = size - TRAILER
    let pos = 0
    let crc = 0
    let records = 0
    const read = async (n: number): Promise<Buffer> => {
      if (pos + n > end) throw new Error('snapshot file is truncated')
      const b = Buffer.allocUnsafeSlow(n)
      const { bytesRead } = await fh.read(b, 0, n, pos)
      if (bytesRead !== n) throw new Error('snapshot file is truncated')
      pos += n
      crc = crc32(b, crc)
      return b
    }
    while (pos < end) {
      const len = (await read(2)).readUInt16LE(0)
      const head = await read(len + 8)
      const name = head.toString('utf8', 0, len)
      const i = head.readUInt32LE(len)
      const bytes = await read(head.readUInt32LE(len + 4))
      take(name, i, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length))
      records++
    }
    if (records !== trailer.readUInt32LE(4) || (crc >>> 0) !== trailer.readUInt32LE(8)) throw new Error('snapshot file is damaged (its checksum does not match)')
  } finally {
    await fh.close()
  }
}

/** Deletes every snapshot file in `dir` but generation `keep`'s (leftovers of interrupted writes too). */
export async function dropOtherSnapshotFiles (dir: string, keep: number | undefined): Promise<void> {
  let names: string[]
  try { names = await readdir(dir) } catch { return }
  const kept = keep === undefined ? undefined : snapshotPath(dir, keep)
  for (const name of names) {
    if (!/^snapshot-\d+\.bin(\.tmp)?$/.test(name)) continue
    const path = join(dir, name)
    if (path !== kept) await rm(path, { force: true })
  }
}
