// HdrHistogram (Gil Tene's log-linear buckets) for non-negative integers at 3 significant digits, in plain
// TypeScript: the bucket scheme, percentile rule and mean of hdr-histogram-js's WebAssembly build
// (HdrHistogramJS assembly/Histogram.ts: getBucketIndex, getSubBucketIndex, getValueAtPercentile, getMean),
// with lowestDiscernibleValue 1 and autoResize, so every figure it reports is the same as that build's
// (test/metrics/hdr-histogram.test.ts compares the two on random and edge-case values).
//
// Why not the package itself: each recordValue crossed the JS/WebAssembly boundary (the loader's wrapper, then
// the module), four times per simulated request; profiled on the full model that was 12-14% of the run. Here
// recordValue is a few integer operations the JIT inlines into the caller, and nothing has to be loaded or
// freed (destroy() is kept so callers need not change).
//
// Layout (HdrHistogram's): 2048 sub-buckets of unit width for values below 2048 (bucket 0), then for each
// further power of two a bucket of 1024 sub-buckets twice as wide as the previous one's; counts index
// bucket * 1024 + (value >> bucket).

const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 10; // ceil(log2(2 * 10^3)) - 1
const SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE; // 1024
const SUB_BUCKET_COUNT = 2 * SUB_BUCKET_HALF_COUNT; // 2048: bucket 0 covers 0..2047 at unit resolution
const TWO_POW_32 = 2 ** 32;
/**
 * Counts are 32-bit (half the memory of doubles, so the hot part of a histogram stays in cache: on the full model
 * each record was a cache miss) until the total reaches this, the largest a Uint32Array holds; then they widen to
 * doubles (exact to 2^53), since no count can exceed the total.
 */
const WIDEN_AT = TWO_POW_32 - 1;
/**
 * Counts are also summed per block of 2^7 = 128 indices, so a percentile adds up whole blocks and then at most 128
 * indices of one (blocks of 1024 scanned up to 1024 indices for each of a window's four percentiles: 1.6% of the
 * full model, whose windows close every 432 requests). Counts arrays are multiples of 1024 long.
 */
const BLOCK_MAGNITUDE = 7;
/** Above every index a histogram can have (a 2^53 value is index 44,032). */
const NO_INDEX = 2 ** 30;
/** leadingZeroCountBase of the 64-bit build: 64 - unitMagnitude (0) - subBucketHalfCountMagnitude - 1. */
const LEADING_ZERO_COUNT_BASE = 64 - SUB_BUCKET_HALF_COUNT_MAGNITUDE - 1;

/** The bucket of a value (HdrHistogram getBucketIndex: leadingZeroCountBase - clz64(value | subBucketMask)). */
function bucketIndexOf(value: number): number {
  if (value < SUB_BUCKET_COUNT) return 0;
  if (value < TWO_POW_32) return LEADING_ZERO_COUNT_BASE - 32 - Math.clz32(value);
  return LEADING_ZERO_COUNT_BASE - Math.clz32(Math.floor(value / TWO_POW_32));
}

/** The lowest value counted at `index` (HdrHistogram valueFromIndex). */
function valueFromIndex(index: number): number {
  let bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
  let subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    subBucket -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  return subBucket * 2 ** bucket;
}

/** Counts-array length covering values up to `value` (getLengthForNumberOfBuckets(getBucketsNeededToCoverValue)). */
function lengthToCover(value: number): number {
  let smallestUntrackable = SUB_BUCKET_COUNT;
  let buckets = 1;
  while (smallestUntrackable <= value) {
    smallestUntrackable *= 2;
    buckets++;
  }
  return (buckets + 1) * SUB_BUCKET_HALF_COUNT;
}

/** HdrHistogram's ulp: the spacing of doubles at x. */
function ulp(x: number): number {
  return Math.pow(2, Math.floor(Math.log2(x)) - 52);
}

export class HdrHistogram {
  /** Values recorded. */
  totalCount = 0;
  /** The largest value recorded (0 when none). */
  maxValue = 0;
  private counts: Uint32Array | Float64Array = new Uint32Array(lengthToCover(2));
  /** Counts summed per block of 128 indices (index >> BLOCK_MAGNITUDE), so a percentile skips whole blocks. */
  private blockCounts: Uint32Array | Float64Array = new Uint32Array(this.counts.length >> BLOCK_MAGNITUDE);
  /** The lowest index counted since the last reset (NO_INDEX when none): scans start here, not at 0. */
  private lowestIndex = NO_INDEX;

  /** Records a value: a non-negative number, truncated to an integer as the WebAssembly build's u64 argument is. */
  recordValue(value: number): void {
    let index: number;
    if ((value | 0) === value && value >= 0) {
      // The common case, an integer below 2^31: clz32 gives the bucket, a shift the sub-bucket.
      if (value < SUB_BUCKET_COUNT) index = value;
      else {
        const bucket = LEADING_ZERO_COUNT_BASE - 32 - Math.clz32(value);
        index = (bucket << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (value >>> bucket);
      }
    } else {
      if (!(value >= 0) || value > Number.MAX_SAFE_INTEGER) throw new RangeError(`a histogram records values from 0 to 2^53, got ${value}`);
      value = Math.floor(value);
      const bucket = bucketIndexOf(value);
      index = bucket * SUB_BUCKET_HALF_COUNT + Math.floor(value / 2 ** bucket);
    }
    if (index >= this.counts.length) this.resize(value);
    if (index < this.lowestIndex) this.lowestIndex = index;
    this.counts[index]!++;
    this.blockCounts[index >> BLOCK_MAGNITUDE]!++;
    if (++this.totalCount === WIDEN_AT) this.widen();
    if (value > this.maxValue) this.maxValue = value;
  }

  /**
   * The value at `percentile` (0 to 100): the highest value equivalent to the bucket in which the running count
   * reaches ceil(percentile% of the total), as HdrHistogram's getValueAtPercentile; the lowest one at 0.
   */
  getValueAtPercentile(percentile: number): number {
    const requested = Math.min(percentile, 100);
    const fpCount = (requested / 100) * this.totalCount;
    const countAtPercentile = Math.max(Math.ceil(fpCount - ulp(fpCount)), 1);
    const counts = this.counts;
    const end = this.highestIndex();
    // Whole blocks first while the running count stays below the target, then index by index in the block that
    // reaches it: the same first index as a scan of every index (counts are exact integers in doubles).
    const blocks = this.blockCounts;
    let total = 0;
    let i = this.lowestIndex;
    for (let block = i >> BLOCK_MAGNITUDE; block < end >> BLOCK_MAGNITUDE; block++) {
      if (total + blocks[block]! >= countAtPercentile) break;
      total += blocks[block]!;
      i = (block + 1) << BLOCK_MAGNITUDE;
    }
    for (; i <= end; i++) {
      total += counts[i]!;
      if (total >= countAtPercentile) {
        const value = valueFromIndex(i);
        return percentile === 0 ? value : value + 2 ** bucketIndexOf(value) - 1;
      }
    }
    return 0;
  }

  /** The mean of every bucket's median equivalent value, weighted by its count (HdrHistogram getMean, exact sum). */
  get mean(): number {
    if (this.totalCount === 0) return 0;
    const counts = this.counts;
    const end = this.highestIndex();
    let sum = 0;
    // medianAt(i) 1024 indices at a time: in row k >= 2 (indices k * 1024 ...) every index counts values of width
    // 2^(k-1) from (i - (k - 1) * 1024) * 2^(k-1), whose median is that plus 2^(k-2); rows 0 and 1 are bucket 0,
    // unit width, median the index itself. The same products summed in the same order as index by index.
    for (let i = this.lowestIndex; i <= end; ) {
      const row = i >> SUB_BUCKET_HALF_COUNT_MAGNITUDE;
      const rowEnd = Math.min(end, ((row + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1);
      if (row < 2) {
        for (; i <= rowEnd; i++) {
          const count = counts[i]!;
          if (count !== 0) sum += i * count;
        }
      } else {
        const width = 2 ** (row - 1);
        const offset = (row - 1) * SUB_BUCKET_HALF_COUNT;
        const half = width / 2;
        for (; i <= rowEnd; i++) {
          const count = counts[i]!;
          if (count !== 0) sum += ((i - offset) * width + half) * count;
        }
      }
    }
    // The WebAssembly build sums in u64; a double sum is exact below 2^53, and above it the exact sum is redone.
    if (sum >= Number.MAX_SAFE_INTEGER) {
      let exact = 0n;
      for (let i = this.lowestIndex; i <= end; i++) {
        const count = counts[i]!;
        if (count !== 0) exact += BigInt(this.medianAt(i)) * BigInt(count);
      }
      return Number(exact) / this.totalCount;
    }
    return sum / this.totalCount;
  }

  /**
   * Adds every count of `other` to this one (HdrHistogram add): afterwards this reports what it would had every
   * value recorded into either been recorded into it. Exact, since both have the same buckets (every histogram
   * here has the one configuration), so a figure of the sum is the figure of one histogram of all the values.
   */
  add(other: HdrHistogram): void {
    if (other.totalCount === 0) return;
    if (this.totalCount + other.totalCount >= WIDEN_AT) this.widen();
    const end = other.highestIndex();
    if (end >= this.counts.length) this.resize(other.maxValue);
    const counts = this.counts;
    const from = other.counts;
    for (let i = other.lowestIndex; i <= end; i++) counts[i]! += from[i]!;
    const blocks = this.blockCounts;
    const fromBlocks = other.blockCounts;
    for (let b = other.lowestIndex >> BLOCK_MAGNITUDE; b <= end >> BLOCK_MAGNITUDE; b++) blocks[b]! += fromBlocks[b]!;
    if (other.lowestIndex < this.lowestIndex) this.lowestIndex = other.lowestIndex;
    this.totalCount += other.totalCount;
    if (other.maxValue > this.maxValue) this.maxValue = other.maxValue;
  }

  /** Bytes held: the counts array and the object's fields. */
  get estimatedFootprintInBytes(): number {
    return this.counts.byteLength + this.blockCounts.byteLength + 64;
  }

  /** Forgets every value; the counts array keeps its size. */
  reset(): void {
    if (this.totalCount > 0) {
      const end = this.highestIndex();
      this.counts.fill(0, this.lowestIndex, end + 1);
      this.blockCounts.fill(0, this.lowestIndex >> BLOCK_MAGNITUDE, (end >> BLOCK_MAGNITUDE) + 1);
    }
    this.lowestIndex = NO_INDEX;
    this.totalCount = 0;
    this.maxValue = 0;
  }

  /** Nothing to free (the WebAssembly build's histograms had to be); kept so callers need not know which they hold. */
  destroy(): void {}

  /** The index counting the largest value recorded: nothing above it is counted (-1 when nothing is). */
  private highestIndex(): number {
    if (this.totalCount === 0) return -1;
    const value = this.maxValue;
    const bucket = bucketIndexOf(value);
    return bucket * SUB_BUCKET_HALF_COUNT + Math.floor(value / 2 ** bucket);
  }

  private medianAt(index: number): number {
    const value = valueFromIndex(index);
    return value + Math.floor(2 ** bucketIndexOf(value) / 2);
  }

  /**
   * Grows the counts to cover `value` and two buckets beyond it (4x the value): a maximum that creeps up one
   * power of two at a time would otherwise copy the whole array at each (at 1,000 backends, one histogram each,
   * those copies were 10% of the run). Two spare buckets cost 16 KB a histogram; which index counts what is
   * unchanged.
   */
  private resize(value: number): void {
    this.reallocate(lengthToCover(Math.min(value * 4, Number.MAX_SAFE_INTEGER)), this.counts instanceof Float64Array);
  }

  /** Counts become doubles: the total is about to pass what 32 bits hold. Once per histogram at most. */
  private widen(): void {
    if (!(this.counts instanceof Float64Array)) this.reallocate(this.counts.length, true);
  }

  /** New counts arrays of `length`, holding the counts so far. */
  private reallocate(length: number, wide: boolean): void {
    const grown = wide ? new Float64Array(length) : new Uint32Array(length);
    grown.set(this.counts);
    this.counts = grown;
    const blocks = wide ? new Float64Array(length >> BLOCK_MAGNITUDE) : new Uint32Array(length >> BLOCK_MAGNITUDE);
    blocks.set(this.blockCounts);
    this.blockCounts = blocks;
  }
}
