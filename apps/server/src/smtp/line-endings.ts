// SMTP smuggling defence: DATA must use CRLF only. A bare LF or a bare CR anywhere in the message is
// refused (ERR_SMTP_BARE_LINE_ENDING, 554 5.6.0), so no server behind us can read a different end of
// data than we did. Checked on the raw bytes, across chunk boundaries.
export class LineEndingCheck {
  #prevCr = false;
  #bad: 'bare-lf' | 'bare-cr' | null = null;

  /** Feeds the next chunk; returns false once a bare CR or LF has been seen. */
  update(chunk: Uint8Array): boolean {
    if (this.#bad) return false;
    let prevCr = this.#prevCr;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 0x0a) {
        if (!prevCr) {
          this.#bad = 'bare-lf';
          return false;
        }
        prevCr = false;
      } else if (prevCr) {
        this.#bad = 'bare-cr';
        return false;
      } else {
        prevCr = b === 0x0d;
      }
    }
    this.#prevCr = prevCr;
    return true;
  }

  /** Call at the end: a CR as the last byte is bare too. */
  end(): boolean {
    if (!this.#bad && this.#prevCr) this.#bad = 'bare-cr';
    return this.#bad === null;
  }

  get problem(): 'bare-lf' | 'bare-cr' | null {
    return this.#bad;
  }
}
