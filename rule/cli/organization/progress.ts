/** Where the progress bar draws: a terminal on stderr. Absent when stderr is not a terminal: then nothing is drawn. */
export interface Terminal {
  readonly write: (text: string) => void;
  /** Its width in columns. */
  readonly columns: number;
}

/** How far a scan has got. */
export interface ScanProgress {
  readonly done: number;
  readonly total: number;
  readonly nonCompliant: number;
  readonly errors: number;
  readonly elapsedMs: number;
}

/**
 * One frame of the progress bar, at most `columns - 1` characters (the last column of a terminal wraps on some).
 *
 * @example
 * ```ts
 * progressFrame({ done: 12, total: 45, nonCompliant: 2, errors: 1, elapsedMs: 7_000 }, 80);
 * // "[######..............] 12/45 accounts  NON_COMPLIANT 2  errors 1  0:07"
 * ```
 */
export function progressFrame(progress: ScanProgress, columns: number): string {
  const seconds = Math.floor(progress.elapsedMs / 1000);
  const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  const text = `${progress.done}/${progress.total} accounts  NON_COMPLIANT ${progress.nonCompliant}  errors ${progress.errors}  ${clock}`;
  const room = Math.max(0, Math.min(30, columns - 1 - text.length - 3));
  if (room < 5) return text.slice(0, Math.max(0, columns - 1));
  const filled = progress.total === 0 ? room : Math.floor((room * progress.done) / progress.total);
  return `[${"#".repeat(filled)}${".".repeat(room - filled)}] ${text}`;
}

/**
 * Draws {@link progressFrame} on one line of `terminal`, redrawing in place (`\r`, erase to end of line); does
 * nothing without a terminal. `finish` erases the line, so the output that follows starts clean.
 *
 * @example
 * ```ts
 * const bar = new ProgressBar(io.terminal, Date.now);
 * bar.update({ done: 0, total: 45, nonCompliant: 0, errors: 0 });
 * bar.finish();
 * ```
 */
export class ProgressBar {
  #last: Omit<ScanProgress, "elapsedMs"> | undefined;
  readonly #started: number;
  readonly #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly terminal: Terminal | undefined,
    private readonly clock: () => number,
  ) {
    this.#started = clock();
    // The elapsed time ticks even while every account in flight waits on IAM.
    this.#timer = terminal ? setInterval(() => this.#draw(), 1_000) : undefined;
    this.#timer?.unref();
  }

  update(progress: Omit<ScanProgress, "elapsedMs">): void {
    this.#last = progress;
    this.#draw();
  }

  finish(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.terminal?.write("\r\x1b[K");
  }

  #draw(): void {
    if (!this.terminal || !this.#last) return;
    const frame = progressFrame(
      { ...this.#last, elapsedMs: this.clock() - this.#started },
      this.terminal.columns,
    );
    this.terminal.write(`\r${frame}\x1b[K`);
  }
}
