// The standard error of a mean over autocorrelated observations (successive waits in a queue are strongly
// correlated), by the method of batch means: split the run into B consecutive batches; when batches are long
// compared with the correlation time, their means are nearly independent, and SE = sd(batch means) / sqrt(B).
export class BatchMeans {
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  private readonly batchLength: number;
  private observed = 0;

  /** `expected` observations will be added, spread over `batches` batches of equal length. */
  constructor(expected: number, readonly batches = 32) {
    this.batchLength = Math.max(1, Math.ceil(expected / batches));
    this.sums = new Float64Array(batches);
    this.counts = new Float64Array(batches);
  }

  add(value: number): void {
    const batch = Math.min(this.batches - 1, Math.floor(this.observed / this.batchLength));
    this.sums[batch]! += value;
    this.counts[batch]! += 1;
    this.observed++;
  }

  get count(): number {
    return this.observed;
  }

  get mean(): number {
    let sum = 0;
    for (const value of this.sums) sum += value;
    return this.observed === 0 ? 0 : sum / this.observed;
  }

  /** The standard error of `mean`, from the spread of the (full) batch means. */
  standardError(): number {
    const means: number[] = [];
    for (let b = 0; b < this.batches; b++) {
      if (this.counts[b]! > 0) means.push(this.sums[b]! / this.counts[b]!);
    }
    if (means.length < 2) return Infinity;
    const grand = means.reduce((s, m) => s + m, 0) / means.length;
    const variance = means.reduce((s, m) => s + (m - grand) ** 2, 0) / (means.length - 1);
    return Math.sqrt(variance / means.length);
  }
}
