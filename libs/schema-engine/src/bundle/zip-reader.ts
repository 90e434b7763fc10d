import { crc32, inflateRaw, type InputType, type ZlibOptions } from 'node:zlib';

/**
 * Reading zip archives without trusting them. The central directory is parsed by hand so that
 * every entry's compressed bytes can be located and checked against the others before anything
 * is inflated: two entries sharing bytes (the non-recursive zip bomb) are refused. Each entry is
 * then inflated on the libuv thread pool (async zlib, never on the event loop) with a cap on the
 * bytes it actually produces: a size the archive declares is never trusted, so an entry that
 * claims 174 bytes and inflates to a gigabyte stops after the first chunk past its claim.
 */

/** The archive cannot be read (truncated, not a zip, an unsupported feature). */
export class ZipFormatError extends Error {}

/** The archive is readable but refused: a cap, a size that lies, entries that overlap. */
export class ZipRefusedError extends Error {
  constructor(
    message: string,
    /** The entry the refusal is about, when it is about one. */
    readonly entry?: string,
  ) {
    super(message);
  }
}

export interface ZipEntry {
  name: string;
  /** Uncompressed size as the central directory declares it (never trusted on its own). */
  declaredSize: number;
  compressedSize: number;
  /** 0 stored, 8 deflate. */
  method: number;
  crc: number;
  /** Offset of the entry's local header. */
  localOffset: number;
  /** Offset of its compressed bytes (after the local header). */
  dataOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const UTF8_NAMES = 0x800;

function inflateCapped(data: InputType, options: ZlibOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    inflateRaw(data, options, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

function decodeName(bytes: Buffer, flags: number): string {
  if (flags & UTF8_NAMES) return bytes.toString('utf8');
  try {
    // Many tools write UTF-8 names without setting the flag; others use CP437 (read as latin1).
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

function endOfCentralDirectory(archive: Buffer): number {
  const last = archive.length - 22;
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
    if (archive.readUInt32LE(at) === EOCD) return at;
  }
  throw new ZipFormatError('no end of central directory record');
}

/**
 * The entries of the central directory, at most `maxEntries`, each located in the archive.
 * Refuses entries whose bytes overlap another entry's or the central directory.
 */
export function listZipEntries(archive: Buffer, maxEntries: number): ZipEntry[] {
  const eocd = endOfCentralDirectory(archive);
  const count = archive.readUInt16LE(eocd + 10);
  const cdSize = archive.readUInt32LE(eocd + 12);
  const cdOffset = archive.readUInt32LE(eocd + 16);
  if (
    count === 0xffff ||
    cdOffset === 0xffffffff ||
    (eocd >= 20 && archive.readUInt32LE(eocd - 20) === ZIP64_LOCATOR)
  ) {
    throw new ZipFormatError('it is a ZIP64 archive, which a schema bundle never needs');
  }
  if (archive.readUInt16LE(eocd + 4) !== 0 || archive.readUInt16LE(eocd + 6) !== 0) {
    throw new ZipFormatError('it spans several disks');
  }
  if (count > maxEntries) throw new ZipRefusedError(`the zip has more than ${maxEntries} entries`);
  if (cdOffset + cdSize > eocd) throw new ZipFormatError('the central directory is out of bounds');

  const entries: ZipEntry[] = [];
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || archive.readUInt32LE(at) !== CENTRAL) {
      throw new ZipFormatError('the central directory is corrupt');
    }
    const flags = archive.readUInt16LE(at + 8);
    const nameLength = archive.readUInt16LE(at + 28);
    const next =
      at + 46 + nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
    if (next > eocd) throw new ZipFormatError('the central directory is corrupt');
    const name = decodeName(archive.subarray(at + 46, at + 46 + nameLength), flags);
    if (flags & 1) throw new ZipFormatError(`entry "${name}" is encrypted`);
    const entry = {
      name,
      method: archive.readUInt16LE(at + 10),
      crc: archive.readUInt32LE(at + 16),
      compressedSize: archive.readUInt32LE(at + 20),
      declaredSize: archive.readUInt32LE(at + 24),
      localOffset: archive.readUInt32LE(at + 42),
      dataOffset: 0,
    };
    if (entry.method !== 0 && entry.method !== 8) {
      throw new ZipFormatError(
        `entry "${name}" uses compression method ${entry.method}; only stored and deflate are read`,
      );
    }
    const local = entry.localOffset;
    if (local + 30 > cdOffset || archive.readUInt32LE(local) !== LOCAL) {
      throw new ZipFormatError(`entry "${name}" has no local header where the directory says`);
    }
    entry.dataOffset =
      local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    entries.push(entry);
    at = next;
  }
  refuseOverlaps(entries, cdOffset);
  return entries;
}

/** Each entry's bytes (local header and data) must be its own, before the central directory. */
function refuseOverlaps(entries: ZipEntry[], cdOffset: number): void {
  const spans = entries
    .map((entry) => ({
      entry,
      start: entry.localOffset,
      end: entry.dataOffset + entry.compressedSize,
    }))
    .sort((a, b) => a.start - b.start);
  for (let i = 0; i < spans.length; i++) {
    const { entry, end } = spans[i];
    if (end > cdOffset) {
      throw new ZipRefusedError(
        `zip entry "${entry.name}" runs into the central directory (a crafted archive)`,
        entry.name,
      );
    }
    const next = spans[i + 1];
    if (next && next.start < end) {
      throw new ZipRefusedError(
        `zip entries "${entry.name}" and "${next.entry.name}" overlap: they share compressed bytes, which is how zip bombs are built`,
        next.entry.name,
      );
    }
  }
}

/**
 * The entry's content, inflated off the event loop. Refused when it inflates to more than
 * `cap` bytes (checked on the bytes actually produced; inflation stops there) or to anything
 * other than the size and CRC the archive declares.
 */
export async function readZipEntry(archive: Buffer, entry: ZipEntry, cap: number): Promise<Buffer> {
  const data = archive.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  const limit = Math.min(cap, entry.declaredSize);
  let bytes: Buffer;
  if (entry.method === 0) {
    bytes = data;
  } else {
    try {
      // maxOutputLength 0 is "no limit" to zlib: an empty entry gets the smallest real cap.
      bytes = await inflateCapped(data, { maxOutputLength: Math.max(1, limit) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ZipRefusedError(tooLarge(entry, cap, limit), entry.name);
      }
      throw new ZipFormatError(
        `entry "${entry.name}" does not inflate (${(error as Error).message})`,
      );
    }
  }
  if (bytes.length > limit) throw new ZipRefusedError(tooLarge(entry, cap, limit), entry.name);
  if (bytes.length !== entry.declaredSize || crc32(bytes) !== entry.crc) {
    throw new ZipFormatError(`entry "${entry.name}" is corrupt (its size or CRC does not match)`);
  }
  return bytes;
}

function tooLarge(entry: ZipEntry, cap: number, limit: number): string {
  return limit < cap
    ? `zip entry "${entry.name}" inflates to more than the ${entry.declaredSize} bytes it declares (a zip bomb); inflation was stopped there`
    : `zip entry "${entry.name}" inflates to more than ${cap} bytes, the most accepted`;
}
