// Proves the string hashes match their published test vectors and hash UTF-8 bytes, so rings are reproducible.
import { describe, expect, it } from "vitest";
import { fmix32, fnv1a32, murmur3 } from "../../src/balancers/hash.js";

/** A byte-at-a-time reference MurmurHash3 x86_32, written independently from the streaming one under test. */
function murmur3Bytes(bytes: Uint8Array, seed: number): number {
  let h = seed >>> 0;
  const blocks = Math.floor(bytes.length / 4);
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  for (let i = 0; i < blocks; i++) {
    let k = bytes[4 * i]! | (bytes[4 * i + 1]! << 8) | (bytes[4 * i + 2]! << 16) | (bytes[4 * i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = bytes.length & 3;
  for (let i = tail - 1; i >= 0; i--) k = (k << 8) | bytes[4 * blocks + i]!;
  if (tail > 0) {
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= bytes.length;
  return fmix32(h);
}

describe("murmur3", () => {
  it("matches the published x86_32 vectors", () => {
    expect(murmur3("")).toBe(0);
    expect(murmur3("", 1)).toBe(0x514e28b7);
    expect(murmur3("hello")).toBe(0x248bfa47);
    expect(murmur3("The quick brown fox jumps over the lazy dog")).toBe(0x2e4ff723);
  });

  it("hashes the UTF-8 bytes of non-ASCII keys", () => {
    for (const key of ["ä", "ä€", "ä€😀x", "naïve-κλειδί-鍵", "\ud800lone"]) {
      expect(murmur3(key, 7)).toBe(murmur3Bytes(new TextEncoder().encode(key), 7));
    }
  });
});

describe("fnv1a32", () => {
  it("matches the published vectors", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });
});
