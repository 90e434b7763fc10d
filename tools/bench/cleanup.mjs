/**
 * Cleanup that must happen however the run ends: normal end, error, Ctrl-C or SIGTERM. Tasks run
 * newest first (stop the servers before the database they use). Each module that starts something
 * registers how to undo it right after starting it.
 */

const tasks = [];
const TASK_TIMEOUT_MS = 15000;
let interrupted = false;

/** True once Ctrl-C or SIGTERM arrived: the run is being torn down, errors are expected. */
export function wasInterrupted() {
  return interrupted;
}

export function onCleanup(name, task) {
  tasks.push({ name, task });
}

export async function runCleanup() {
  while (tasks.length > 0) {
    const { name, task } = tasks.pop();
    let timer;
    try {
      await Promise.race([
        task(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), TASK_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      console.error(`cleanup: ${name} failed: ${error instanceof Error ? error.message : error}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Ctrl-C / SIGTERM: clean up, then exit with the conventional 128 + signal number. */
export function installSignalHandlers() {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ]) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`\n${signal}: stopping the servers and removing the bench database…`);
      void runCleanup().finally(() => process.exit(code));
    });
  }
}
