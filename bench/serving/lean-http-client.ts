import { connect, type Socket } from 'node:net';

/** One answered request: its HTTP status (0 when the connection failed). */
export type Answer = (status: number) => void;

interface Pending {
  readonly path: string;
  readonly headers: string;
  readonly answer: Answer;
}

const crlf2 = Buffer.from('\r\n\r\n');
const readBufferBytes = 256 * 1024;

/**
 * A keep-alive HTTP/1.1 GET client for the paced bench (ADR 0090): one request
 * in flight per connection, the rest queued. Each socket reads into one
 * buffer allocated once (`onread`), and a body is counted, never kept: the
 * load generator shares the two cores with the server, and with undici the
 * read buffers of 9 KB answers (27 MB/s at 3,000 reads/s) brought collections
 * of 15-73 ms into the latencies it measured. Answers must carry
 * `content-length` (Fastify's always do); anything else fails the request.
 */
export class LeanHttpClient {
  readonly #host: string;
  readonly #port: number;
  readonly #idle: Connection[] = [];
  readonly #queue: Pending[] = [];
  readonly #all: Connection[] = [];

  constructor(url: string, connections: number) {
    const { hostname, port } = new URL(url);
    this.#host = hostname;
    this.#port = Number(port);
    for (let i = 0; i < connections; i++) {
      const connection = new Connection(this.#host, this.#port, (free) => this.#release(free));
      this.#all.push(connection);
      this.#idle.push(connection);
    }
  }

  /** Sends `GET path` with the given header lines (each ending in CRLF) when a connection is free. */
  get(path: string, headers: string, answer: Answer): void {
    const connection = this.#idle.pop();
    if (connection) connection.send({ path, headers, answer });
    else this.#queue.push({ path, headers, answer });
  }

  close(): void {
    for (const connection of this.#all) connection.close();
  }

  #release(connection: Connection): void {
    const next = this.#queue.shift();
    if (next) connection.send(next);
    else this.#idle.push(connection);
  }
}

class Connection {
  readonly #host: string;
  readonly #port: number;
  readonly #release: (connection: Connection) => void;
  readonly #readBuffer = Buffer.allocUnsafe(readBufferBytes);
  #socket: Socket;
  #isClosed = false;
  #pending: Pending | undefined;
  /** Header bytes of the answer being read, until its blank line. */
  #head = '';
  /** Body bytes still to skip; -1 while the head is being read. */
  #bodyLeft = -1;
  #status = 0;

  constructor(host: string, port: number, release: (connection: Connection) => void) {
    this.#host = host;
    this.#port = port;
    this.#release = release;
    this.#socket = this.#open();
  }

  #open(): Socket {
    const socket = connect({
      host: this.#host,
      port: this.#port,
      noDelay: true,
      onread: {
        buffer: this.#readBuffer,
        callback: (bytes) => {
          if (socket === this.#socket) this.#read(this.#readBuffer, bytes);
          return true;
        },
      },
    });
    const lost = () => {
      if (socket === this.#socket) this.#fail();
    };
    socket.on('error', lost);
    socket.on('close', lost);

    return socket;
  }

  send(request: Pending): void {
    this.#pending = request;
    this.#head = '';
    this.#bodyLeft = -1;
    this.#socket.write(
      `GET ${request.path} HTTP/1.1\r\nhost: ${this.#host}\r\n${request.headers}\r\n`,
    );
  }

  close(): void {
    this.#isClosed = true;
    this.#socket.destroy();
  }

  #read(buffer: Buffer, bytes: number): void {
    let bodyBytes = bytes;
    if (this.#bodyLeft < 0) {
      const end = this.#headEnd(buffer, bytes);
      if (end < 0) return;
      this.#status = Number(this.#head.slice(9, 12));
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(this.#head)?.[1];
      if (length === undefined) {
        this.#fail();
        return;
      }
      this.#bodyLeft = Number(length);
      bodyBytes = bytes - end;
    }
    this.#bodyLeft -= bodyBytes;
    if (this.#bodyLeft <= 0) this.#finish();
  }

  /**
   * Reads header bytes; returns where the body starts in this read, or -1
   * while the blank line has not come. A head split across reads (rare: it is
   * about 300 bytes) is joined as text.
   */
  #headEnd(buffer: Buffer, bytes: number): number {
    if (this.#head === '') {
      const end = buffer.subarray(0, bytes).indexOf(crlf2);
      if (end >= 0) {
        this.#head = buffer.toString('latin1', 0, end);
        return end + crlf2.length;
      }
    }
    const before = this.#head.length;
    this.#head += buffer.toString('latin1', 0, bytes);
    const end = this.#head.indexOf('\r\n\r\n', Math.max(0, before - 3));
    if (end < 0) return -1;
    this.#head = this.#head.slice(0, end);

    return end + 4 - before;
  }

  #finish(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    this.#bodyLeft = -1;
    pending?.answer(this.#status);
    this.#release(this);
  }

  /**
   * Answers the request in flight with 0, then starts over on a new socket
   * (a broken answer leaves the old one in an unknown state) and takes the
   * next queued request, so a failure never stalls the queue.
   */
  #fail(): void {
    if (this.#isClosed) return;
    const pending = this.#pending;
    this.#pending = undefined;
    this.#bodyLeft = -1;
    const broken = this.#socket;
    this.#socket = this.#open();
    broken.destroy();
    pending?.answer(0);
    if (pending) this.#release(this);
  }
}
