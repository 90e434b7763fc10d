import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * Hand-made zip archives for the zip bomb tests, built in memory in a few milliseconds (nothing
 * binary is committed): headers that lie about sizes, and entries that share their bytes.
 */

export interface CraftedEntry {
  name: string;
  /** The entry's bytes as stored (deflated when `method` is 8). */
  data: Buffer;
  method: 0 | 8;
  /** What the headers claim the entry inflates to. */
  declaredSize: number;
  crc: number;
}

/**
 * A raw deflate stream of `megabytes` MiB of zeros, about 1 KB per MiB: one fully flushed block
 * (which never refers back) repeated, then an empty final block.
 */
export function deflatedZeros(megabytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: constants.Z_FULL_FLUSH });
  return Buffer.concat([...Array.from({ length: megabytes }, () => block), Buffer.from([3, 0])]);
}

/** A deflated entry with true headers. */
export function honestEntry(name: string, text: string): CraftedEntry {
  const bytes = Buffer.from(text);
  return {
    name,
    data: deflateRawSync(bytes),
    method: 8,
    declaredSize: bytes.length,
    crc: crc32(bytes),
  };
}

function localHeader(entry: CraftedEntry, name: Buffer): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(0x800, 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt32LE(entry.crc, 14);
  header.writeUInt32LE(entry.data.length, 18);
  header.writeUInt32LE(entry.declaredSize, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name]);
}

function centralHeader(entry: CraftedEntry, name: Buffer, offset: number): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(20, 6);
  header.writeUInt16LE(0x800, 8);
  header.writeUInt16LE(entry.method, 10);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(entry.data.length, 20);
  header.writeUInt32LE(entry.declaredSize, 24);
  header.writeUInt16LE(name.length, 28);
  header.writeUInt32LE(offset, 42);
  return Buffer.concat([header, name]);
}

function endRecord(count: number, cdSize: number, cdOffset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(cdOffset, 16);
  return end;
}

/** A zip of these entries, each with its own local header and bytes, as the headers say. */
export function craftZip(entries: CraftedEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const local = Buffer.concat([localHeader(entry, name), entry.data]);
    centrals.push(centralHeader(entry, name, offset));
    locals.push(local);
    offset += local.length;
  }
  const cd = Buffer.concat(centrals);
  return Buffer.concat([...locals, cd, endRecord(entries.length, cd.length, offset)]);
}

/**
 * The non-recursive zip bomb: one stored local entry, and `names.length` central directory
 * entries that all point at it, so its bytes count once in the archive and once per name when
 * extracted.
 */
export function overlappingZip(entry: CraftedEntry, names: string[]): Buffer {
  const local = Buffer.concat([localHeader(entry, Buffer.from(entry.name)), entry.data]);
  const cd = Buffer.concat(names.map((name) => centralHeader(entry, Buffer.from(name), 0)));
  return Buffer.concat([local, cd, endRecord(names.length, cd.length, local.length)]);
}

/** A zip whose one entry claims `declaredSize` bytes and inflates to `megabytes` MiB of zeros. */
export function lyingZipBomb(name: string, megabytes: number, declaredSize = 174): Buffer {
  return craftZip([{ name, data: deflatedZeros(megabytes), method: 8, declaredSize, crc: 0 }]);
}
