/**
 * Reads a zip's central directory (PKWARE APPNOTE.TXT 6.3.10, sections 4.3.12 and 4.3.16): each entry's name,
 * the system that made it, its Unix mode and its stored date and time, which fflate's `unzipSync` does not show.
 */

/** One entry of a zip's central directory. */
export interface ZipEntry {
  readonly name: string;
  /** Upper byte of "version made by": 3 is Unix, so {@link mode} is a Unix mode. */
  readonly madeBy: number;
  /** Unix mode: the upper 16 bits of the external file attributes. */
  readonly mode: number;
  /** The MS-DOS date and time fields as written, local time without a zone: `YYYY-MM-DDTHH:MM:SS`. */
  readonly dosTime: string;
  readonly compressedSize: number;
  readonly size: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;

/**
 * The entries of the central directory of `zip`, in their stored order.
 *
 * @example
 * ```ts
 * zipEntries(readFileSync("lambda.zip")).map((entry) => entry.name); // ["chunks/…", "index.mjs"]
 * ```
 */
export function zipEntries(zip: Uint8Array): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.byteLength - 22;
  while (end >= 0 && view.getUint32(end, true) !== END_OF_CENTRAL_DIRECTORY) end -= 1;
  if (end < 0) throw new Error("not a zip: no end of central directory record");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    if (view.getUint32(at, true) !== CENTRAL_FILE_HEADER) throw new Error(`no central file header at ${at}`);
    const time = view.getUint16(at + 12, true);
    const date = view.getUint16(at + 14, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const two = (n: number) => String(n).padStart(2, "0");
    entries.push({
      name: new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)),
      madeBy: view.getUint8(at + 5),
      mode: view.getUint32(at + 38, true) >>> 16,
      dosTime: `${(date >> 9) + 1980}-${two((date >> 5) & 15)}-${two(date & 31)}T${two(time >> 11)}:${two((time >> 5) & 63)}:${two((time & 31) * 2)}`,
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
