// The helper threads of a sweep on k workers: the main thread runs jobs itself and k - 1 helper threads run jobs
// beside it, all taking the next job from one shared counter. Measured on the 2-core machine (README, Benchmarks),
// this beats a pool of k threads fed by an idle main thread: the main thread has the simulator loaded already,
// one thread fewer loads it and warms its JIT, and no thread waits for the main thread to hand it a job.
// Helpers are started early (`startSweepPool` before the scenario is read and checked), so that their start-up
// (loading the simulator, about 0.2 s of CPU) overlaps the main thread's.
import { Worker } from "node:worker_threads";
import type { RunSummary } from "../report/report-data.js";
import { failureError, type JobFailure } from "./sweep-failure.js";
import type { SweepJob } from "./sweep-job.js";

/** Main thread to helper: one batch. `next` is an Int32Array's buffer: the index into `order` to take next. */
export interface HelperMessage {
  jobs: SweepJob[];
  order: number[];
  next: SharedArrayBuffer;
}

/** Helper to main thread: a finished job, the batch's end for this helper, or a failure (the helper stops). */
export type HelperReply =
  | { kind: "result"; position: number; summary: RunSummary }
  | { kind: "idle" }
  | { kind: "failed"; failure: JobFailure };

interface Helper {
  worker: Worker;
  /** Why the thread ended, once it has (an error at start-up, say); null while it runs. */
  ended: Error | null;
}

export class SweepPool {
  private readonly helpers: Helper[];

  constructor(helpers: number, warm?: WarmUp) {
    this.helpers = Array.from({ length: helpers }, () => {
      const helper: Helper = { worker: new Worker(new URL("./sweep-worker.js", import.meta.url), { workerData: warm ?? null }), ended: null };
      // Listened to from the start: a thread that fails while loading (before any batch) must not throw an
      // unhandled 'error' event, and a batch handed to it later must fail at once instead of waiting forever.
      helper.worker.on("error", (error) => { helper.ended ??= error; });
      helper.worker.on("exit", (code) => { helper.ended ??= new Error(`a sweep worker thread exited (code ${code}) before its jobs were done`); });
      // A helper never keeps the process alive on its own: `close` ends it, and an error path that forgets to
      // must not leave lbsim hanging.
      helper.worker.unref();
      return helper;
    });
  }

  get size(): number {
    return this.helpers.length;
  }

  /**
   * Hands every helper the batch; resolves when all have run out of jobs, with the first failure (or null).
   * `onResult` hears each helper's finished job as the main thread's event loop receives it.
   */
  async run(batch: HelperMessage, onResult: (position: number, summary: RunSummary) => void): Promise<Error | null> {
    let failure: Error | null = null;
    const stop = (error: Error): void => {
      failure ??= error;
      // The sweep has failed: no thread takes another job.
      Atomics.store(new Int32Array(batch.next), 0, batch.order.length);
    };
    await Promise.all(this.helpers.map((helper) => new Promise<void>((settle) => {
      const { worker } = helper;
      const done = (): void => {
        worker.off("message", onMessage);
        worker.off("exit", onExit);
        worker.unref();
        settle();
      };
      const onMessage = (reply: HelperReply): void => {
        if (reply.kind === "result") onResult(reply.position, reply.summary);
        else if (reply.kind === "idle") done();
        else {
          stop(failureError(reply.failure));
          done();
        }
      };
      const onExit = (): void => {
        stop(helper.ended!);
        done();
      };
      if (helper.ended !== null) {
        stop(helper.ended);
        settle();
        return;
      }
      worker.on("message", onMessage);
      // 'exit' follows an 'error', and the constructor's listener has recorded why by then.
      worker.on("exit", onExit);
      worker.ref();
      worker.postMessage(batch);
    })));
    return failure;
  }

  /**
   * Ends every helper (one still running a job is stopped), without waiting for the threads to go. On Node 20 a
   * helper told to terminate moments after it started (a sweep whose first run fails at once) was seen never to
   * settle terminate()'s promise while the event loop emptied: awaiting it left a top-level await pending, and
   * Node exited 13 instead of lbsim's 3 (about one such sweep in three on 2 threads; 0 in 40 without the await).
   * Unref'd, the threads keep nothing alive, and they end with the process at the latest.
   */
  async close(): Promise<void> {
    for (const helper of this.helpers) {
      helper.worker.unref();
      helper.worker.terminate().catch(() => undefined);
    }
  }
}

/**
 * A scenario a helper loads as soon as it has started, before any batch: V8 compiles the YAML parser and the
 * schema's checks while the main thread is still busy, and a batch whose cells have these overrides (a sweep
 * without --vary) finds it loaded (sweep-job.ts keeps loaded scenarios per thread).
 */
export interface WarmUp {
  file: string;
  set: string[];
}

/** The helpers for a sweep on `workers` threads: the main thread is one of them, so `workers - 1` helpers. */
export function startSweepPool(workers: number, warm?: WarmUp): SweepPool {
  return new SweepPool(Math.max(0, workers - 1), warm);
}
