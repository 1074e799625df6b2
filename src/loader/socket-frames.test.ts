// A broker connection's bytes handed to kafkajs as whole frames (socket-frames.ts, used by
// broker-sockets.ts): whatever the reads' sizes, every frame comes out once, whole and in order,
// with exactly the bytes sent, and stays so after the reused read buffer is overwritten by the next
// reads (a frame sharing that buffer would change under the messages read from it: silent corruption).
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { BrokerSockets } from './broker-sockets.js';
import { FrameAssembler } from './socket-frames.js';

/** A Kafka frame: INT32 size, then that many bytes (here a counter pattern marked by `n`). */
function frame(n: number, size: number): Buffer {
  const out = Buffer.alloc(4 + size);
  out.writeInt32BE(size, 0);
  for (let i = 0; i < size; i++) out[4 + i] = (n * 31 + i) & 0xff;
  return out;
}

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

describe('FrameAssembler', () => {
  const sizes = [0, 1, 3, 4, 5, 100, 4096, 65_531, 65_536, 200_000, 7];
  const frames = sizes.map((size, n) => frame(n, size));
  const stream = Buffer.concat(frames);

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`hands over each frame whole and unchanged, whatever the reads (seed ${seed})`, () => {
      const next = random(seed);
      const out: Buffer[] = [];
      const assembler = new FrameAssembler((bytes) => out.push(bytes));
      const readBuffer = Buffer.alloc(65_536);
      for (let at = 0; at < stream.length; ) {
        const length = Math.min(stream.length - at, 1 + Math.floor(next() * (next() < 0.3 ? 8 : readBuffer.length)));
        stream.copy(readBuffer, 0, at, at + length);
        assembler.push(readBuffer, length);
        readBuffer.fill(0xee); // the next read overwrites it
        at += length;
      }
      expect(out.length).toBe(frames.length);
      out.forEach((bytes, n) => expect(bytes.equals(frames[n] as Buffer)).toBe(true));
    });
  }

  it('passes the bytes on as read from a negative size on (no frames to make)', () => {
    const out: Buffer[] = [];
    const assembler = new FrameAssembler((bytes) => out.push(bytes));
    const bytes = Buffer.concat([frame(1, 3), Buffer.from([0xff, 0xff, 0xff, 0xff, 9, 9]), Buffer.from([8, 8])]);
    const read = Buffer.from(bytes.subarray(0, 13));
    assembler.push(read, 13);
    read.fill(0);
    assembler.push(Buffer.from([8, 8]), 2);
    expect(Buffer.concat(out).equals(bytes)).toBe(true);
    expect(out[0]?.equals(frame(1, 3))).toBe(true);
  });
});

describe('BrokerSockets', () => {
  it("hands kafkajs' data listener whole frames from a real socket, each unchanged after later reads", async () => {
    const frames = Array.from({ length: 40 }, (_v, n) => frame(n, n % 7 === 0 ? 300_000 : (n * 977) % 20_000));
    const server = net.createServer((socket) => {
      // Written in pieces that cut across the frames.
      const all = Buffer.concat(frames);
      const next = random(7);
      let at = 0;
      const write = () => {
        while (at < all.length) {
          const length = 1 + Math.floor(next() * 50_000);
          const ok = socket.write(all.subarray(at, at + length));
          at += length;
          if (!ok) return socket.once('drain', write);
        }
        socket.end();
      };
      write();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const received: Buffer[] = [];
      await new Promise<void>((resolve, reject) => {
        const socket = new BrokerSockets({ connectMs: 5000, requestMs: 5000 }).factory({ host: '127.0.0.1', port, ssl: false as never, onConnect: () => undefined });
        socket.on('data', (bytes: Buffer) => received.push(bytes));
        socket.on('end', resolve);
        socket.on('error', reject);
      });
      expect(received.length).toBe(frames.length);
      received.forEach((bytes, n) => expect(bytes.equals(frames[n] as Buffer)).toBe(true));
    } finally {
      server.close();
    }
  });
});
