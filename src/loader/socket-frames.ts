// A broker connection's bytes as whole Kafka frames (a response: INT32 size, then that many bytes).
// kafkajs reads a socket's 'data' chunks, keeps them in a list and copies them into one buffer when
// a response is complete (network/connection.js, processData): a 10 MiB Fetch answer was ~160 new
// 64 KiB read buffers and then their copy, all external memory, which is what sets off V8's full
// garbage collections during a load. Here the socket reads into one buffer of its own, used again
// for every read (Node's `onread`), and each frame is copied once, straight into a buffer of its
// exact size, which kafkajs then gets as one 'data' chunk (so it copies nothing). The read buffer's
// bytes are copied out before the read callback returns, and a frame's buffer is never written
// after it is handed over: nothing handed to kafkajs is ever reused. A size that is no frame's
// (negative) turns the framing off: from there on the bytes go to kafkajs as read, as before.

/** Node's read size for a socket (stream_base's default): the reused read buffer's size. */
export const READ_BUFFER_BYTES = 64 * 1024;

const SIZE_BYTES = 4;

export class FrameAssembler {
  /** The frame being filled (null: its size is not read yet). */
  private frame: Buffer | null = null;
  private filled = 0;
  /** The size's bytes read so far, while it is split between reads. */
  private readonly size = Buffer.alloc(SIZE_BYTES);
  private sizeBytes = 0;
  /** The bytes are no frames (a negative size came): handed over as they are read. */
  private raw = false;

  constructor(private readonly emit: (bytes: Buffer) => void) {}

  /**
   * Takes bytes `0..length` of `chunk` (a buffer the caller reuses once this returns): every frame
   * they complete is handed to `emit` in a buffer of its own.
   */
  push(chunk: Uint8Array, length: number): void {
    if (this.raw) return this.emit(Buffer.from(chunk.subarray(0, length)));
    let at = 0;
    while (at < length) {
      let frame = this.frame;
      if (!frame) {
        while (this.sizeBytes < SIZE_BYTES && at < length) this.size[this.sizeBytes++] = chunk[at++] as number;
        if (this.sizeBytes < SIZE_BYTES) return;
        this.sizeBytes = 0;
        const size = this.size.readInt32BE(0);
        if (size < 0) {
          this.raw = true;
          return this.emit(Buffer.concat([this.size, chunk.subarray(at, length)]));
        }
        frame = this.frame = Buffer.allocUnsafe(SIZE_BYTES + size);
        this.size.copy(frame, 0);
        this.filled = SIZE_BYTES;
      }
      const n = Math.min(length - at, frame.length - this.filled);
      frame.set(chunk.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === frame.length) {
        this.frame = null;
        this.emit(frame);
      }
    }
  }
}
