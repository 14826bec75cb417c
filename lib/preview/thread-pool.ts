import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * A few reused worker threads that run CPU work off the thread that answers HTTP requests,
 * each task under a time budget: past it the thread is terminated (the only way to stop
 * synchronous JavaScript) and a fresh one takes its place for the next task. Tasks beyond
 * the free threads wait in a short queue, for one budget at most; past that the pool refuses.
 *
 * The worker script answers each `{ id, input }` message with `{ id, ok: true, output }`
 * or `{ id, ok: false, message }` (preview-thread.ts).
 */
export interface ThreadPoolOptions {
  /** The worker script; `new URL('./x.ts', import.meta.url)` at the call site, so Next.js bundles it. */
  createWorker: () => Worker;
  size: number;
  /** Longest a task may run once a thread has it. */
  budgetMs: number;
  /** Tasks that may wait for a thread; one more is refused (ThreadPoolBusyError). */
  maxWaiting: number;
}

export class ThreadTimeoutError extends Error {
  constructor(readonly budgetMs: number) {
    super(`the task ran longer than ${budgetMs} ms and was stopped`);
    this.name = 'ThreadTimeoutError';
  }
}

export class ThreadPoolBusyError extends Error {
  constructor() {
    super('every thread is busy and the queue is full');
    this.name = 'ThreadPoolBusyError';
  }
}

/** The thread died under the task: out of memory (resourceLimits) or an uncaught error. */
export class ThreadFailedError extends Error {
  constructor(
    message: string,
    readonly outOfMemory: boolean,
  ) {
    super(message);
    this.name = 'ThreadFailedError';
  }
}

/** An error the task itself threw in the thread, with its message. */
export class ThreadTaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThreadTaskError';
  }
}

interface Task {
  input: unknown;
  /** While the task waits for a thread: it gives up after one budget. */
  waitTimer?: ReturnType<typeof setTimeout>;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

type Reply = { id: number; ok: true; output: unknown } | { id: number; ok: false; message: string };

/** Memory a preview thread may use: a runaway transform fails its task, not the web process. */
export const THREAD_RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 };

export function createThreadPool<Input, Output>(options: ThreadPoolOptions) {
  const idle: Worker[] = [];
  let busy = 0;
  const waiting: Task[] = [];
  let nextId = 1;

  function start(task: Task): void {
    clearTimeout(task.waitTimer);
    busy += 1;
    const worker = idle.pop() ?? spawn();
    const id = nextId++;
    let settled = false;
    const finish = (keepWorker: boolean) => {
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      busy -= 1;
      if (keepWorker) idle.push(worker);
      else void worker.terminate();
      const next = waiting.shift();
      if (next) start(next);
    };
    const onMessage = (reply: Reply) => {
      if (settled || reply.id !== id) return;
      finish(true);
      if (reply.ok) task.resolve(reply.output);
      else task.reject(new ThreadTaskError(reply.message));
    };
    const onError = (error: Error & { code?: string }) => {
      if (settled) return;
      finish(false);
      task.reject(new ThreadFailedError(error.message, error.code === 'ERR_WORKER_OUT_OF_MEMORY'));
    };
    const onExit = (code: number) => {
      if (settled) return;
      finish(false);
      task.reject(new ThreadFailedError(`the thread exited with code ${code}`, false));
    };
    const timer = setTimeout(() => {
      if (settled) return;
      finish(false);
      task.reject(new ThreadTimeoutError(options.budgetMs));
    }, options.budgetMs);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    try {
      worker.postMessage({ id, input: task.input });
    } catch (error) {
      // Input the structured clone cannot copy: the task's fault, the thread is fine.
      finish(true);
      task.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  function spawn(): Worker {
    const worker = options.createWorker();
    // An idle thread must not keep the process alive.
    worker.unref();
    // Errors of an idle thread (none expected) are handled by dropping it.
    worker.on('error', () => {
      const at = idle.indexOf(worker);
      if (at >= 0) idle.splice(at, 1);
    });
    return worker;
  }

  return {
    run(input: Input): Promise<Output> {
      return new Promise<Output>((resolve, reject) => {
        const task: Task = { input, resolve: resolve as (output: unknown) => void, reject };
        if (busy < options.size) start(task);
        else if (waiting.length < options.maxWaiting) {
          waiting.push(task);
          task.waitTimer = setTimeout(() => {
            const at = waiting.indexOf(task);
            if (at < 0) return;
            waiting.splice(at, 1);
            reject(new ThreadPoolBusyError());
          }, options.budgetMs);
        } else reject(new ThreadPoolBusyError());
      });
    },
    /** Stops every thread (tests). */
    async close(): Promise<void> {
      for (const task of waiting.splice(0)) {
        clearTimeout(task.waitTimer);
        task.reject(new ThreadPoolBusyError());
      }
      await Promise.all(idle.splice(0).map((worker) => worker.terminate()));
    },
  };
}
