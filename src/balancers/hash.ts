// Well-defined 32-bit string hashes, written out so every host computes the same values: MurmurHash3 x86_32
// (Austin Appleby, public domain) and FNV-1a 32. Both hash the UTF-8 bytes of the string, encoded on the fly
// without allocating, so ASCII keys match the published test vectors of each function.

/** MurmurHash3 x86_32 of the UTF-8 bytes of `key`, as an unsigned 32-bit integer. */
export function murmur3(key: string, seed = 0): number {
  let h = seed >>> 0;
  let block = 0;
  let filled = 0;
  let length = 0;
  for (let i = 0; i < key.length; i++) {
    let code = key.charCodeAt(i);
    // Combine a surrogate pair into one code point; a lone surrogate encodes as U+FFFD, as TextEncoder does.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < key.length) {
      const low = key.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      } else {
        code = 0xfffd;
      }
    } else if (code >= 0xd800 && code <= 0xdfff) {
      code = 0xfffd;
    }
    let bytes: number;
    let first: number;
    if (code < 0x80) {
      bytes = 1;
      first = code;
    } else if (code < 0x800) {
      bytes = 2;
      first = 0xc0 | (code >> 6);
    } else if (code < 0x10000) {
      bytes = 3;
      first = 0xe0 | (code >> 12);
    } else {
      bytes = 4;
      first = 0xf0 | (code >> 18);
    }
    for (let k = 0; k < bytes; k++) {
      const byte = k === 0 ? first : 0x80 | ((code >> (6 * (bytes - 1 - k))) & 0x3f);
      block |= byte << (8 * filled);
      filled++;
      length++;
      if (filled === 4) {
        h = mixBlock(h, block);
        block = 0;
        filled = 0;
      }
    }
  }
  if (filled > 0) h ^= scramble(block);
  h ^= length;
  return fmix32(h);
}

/** FNV-1a 32 of the UTF-8 bytes of an ASCII or Latin-1 key (code units above 0x7f are hashed as UTF-8). */
export function fnv1a32(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code < 0x80) {
      h = Math.imul(h ^ code, 0x01000193);
    } else if (code < 0x800) {
      h = Math.imul(h ^ (0xc0 | (code >> 6)), 0x01000193);
      h = Math.imul(h ^ (0x80 | (code & 0x3f)), 0x01000193);
    } else {
      // Three-byte form; surrogate pairs are hashed per code unit (good enough for keys, documented here).
      h = Math.imul(h ^ (0xe0 | (code >> 12)), 0x01000193);
      h = Math.imul(h ^ (0x80 | ((code >> 6) & 0x3f)), 0x01000193);
      h = Math.imul(h ^ (0x80 | (code & 0x3f)), 0x01000193);
    }
  }
  return h >>> 0;
}

/** MurmurHash3's finalizer: a cheap full-avalanche mix of a 32-bit integer. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function scramble(k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, 0x1b873593);
}

function mixBlock(h: number, block: number): number {
  h ^= scramble(block);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}
