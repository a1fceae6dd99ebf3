import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number, total: number, label?: string): void;
  stop(): void;
}

/**
 * A progress bar on the terminal (stderr, so stdout stays clean for results). When stderr is not a
 * terminal (CI, a pipe) it prints a line at most every few seconds instead.
 */
export function progressBar(title: string): Progress {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      format: `${title} |{bar}| {percentage}% {value}/{total} {label} eta {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    });
    let started = false;
    return {
      update(done, total, label = '') {
        if (!started) {
          bar.start(Math.max(total, 1), 0, { label });
          started = true;
        }
        bar.setTotal(Math.max(total, 1));
        bar.update(done, { label });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let last = 0;
  return {
    update(done, total, label = '') {
      const now = Date.now();
      if (now - last < 5_000 && done < total) return;
      last = now;
      process.stderr.write(`${title}: ${done}/${total} ${label}\n`);
    },
    stop() {},
  };
}
