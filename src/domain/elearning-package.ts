import { unzipSync, type UnzipFileInfo } from 'fflate';

/** An uploaded e-learning package (zip) may be at most this large. */
export const MAX_PACKAGE_BYTES = 20 * 1024 * 1024;
/** Its files may unpack to at most this much together (a zip bomb is refused before unpacking). */
export const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;
/** And it may hold at most this many files. */
export const MAX_PACKAGE_FILES = 500;
/** The page a module opens with, at the package's root or in its one top folder. */
export const ENTRY_FILE = 'index.html';

export type PackageRejection = 'package_too_large' | 'package_not_zip' | 'package_unsafe_path' | 'package_too_many_files' | 'package_unpacks_too_large' | 'package_no_entry';

export interface ModulePackage {
  /** Relative paths (forward slashes, no `..`) and their contents. */
  files: Map<string, Uint8Array>;
  entryPath: string;
  totalBytes: number;
}

/** A path inside the package that stays inside it: relative, no `..`, `.`, backslash, NUL or drive letter. */
export function isSafePackagePath(name: string): boolean {
  if (name === '' || name.length > 500 || name.startsWith('/') || /[\\\0:]/.test(name)) return false;
  return name.split('/').every((part, i, all) => part !== '..' && part !== '.' && (part !== '' || i === all.length - 1));
}

class Rejected extends Error {
  constructor(readonly reason: PackageRejection) {
    super(reason);
  }
}

/**
 * Reads an uploaded HTML package: refuses an unsafe path (zip slip), too many files, or more unpacked
 * bytes than allowed, both by the sizes the zip declares (before inflating anything) and by what
 * inflating really gives; finds `index.html` at the root or in the one folder everything is in.
 */
export function readModulePackage(zip: Uint8Array): { ok: true; value: ModulePackage } | { ok: false; reason: PackageRejection } {
  if (zip.byteLength > MAX_PACKAGE_BYTES) return { ok: false, reason: 'package_too_large' };
  let count = 0;
  let declared = 0;
  const filter = (file: UnzipFileInfo) => {
    if (file.name.endsWith('/')) return false; // a folder entry: folders follow from the file paths
    if (!isSafePackagePath(file.name)) throw new Rejected('package_unsafe_path');
    if (++count > MAX_PACKAGE_FILES) throw new Rejected('package_too_many_files');
    declared += file.originalSize;
    if (declared > MAX_UNPACKED_BYTES) throw new Rejected('package_unpacks_too_large');
    return true;
  };
  let unpacked: Record<string, Uint8Array>;
  try {
    unpacked = unzipSync(zip, { filter });
  } catch (error) {
    if (error instanceof Rejected) return { ok: false, reason: error.reason };
    return { ok: false, reason: 'package_not_zip' };
  }
  const files = new Map(Object.entries(unpacked));
  let totalBytes = 0;
  for (const content of files.values()) totalBytes += content.byteLength;
  if (totalBytes > MAX_UNPACKED_BYTES) return { ok: false, reason: 'package_unpacks_too_large' };

  const entryPath = findEntry([...files.keys()]);
  if (!entryPath) return { ok: false, reason: 'package_no_entry' };
  return { ok: true, value: { files, entryPath, totalBytes } };
}

function findEntry(paths: string[]): string | undefined {
  if (paths.includes(ENTRY_FILE)) return ENTRY_FILE;
  const tops = new Set(paths.map((p) => p.split('/')[0]));
  if (tops.size !== 1) return undefined;
  const nested = `${[...tops][0]}/${ENTRY_FILE}`;
  return paths.includes(nested) ? nested : undefined;
}

const MEDIA_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  webm: 'video/webm',
  woff: 'font/woff',
  woff2: 'font/woff2',
  txt: 'text/plain; charset=utf-8',
  pdf: 'application/pdf',
};

/** The media type a module file is served with, by its extension; anything unknown as plain bytes. */
export function moduleMediaType(filePath: string): string {
  const extension = filePath.slice(filePath.lastIndexOf('.') + 1).toLowerCase();
  return MEDIA_TYPES[extension] ?? 'application/octet-stream';
}
