import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LeanHttpClient } from '../../bench/serving/lean-http-client.js';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A raw TCP server answering each request with `reply()`, written in the given pieces. */
async function rawServer(reply: () => string[]): Promise<string> {
  const server = createServer((socket) => {
    socket.on('data', async () => {
      for (const piece of reply()) {
        socket.write(piece);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();

  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

function statuses(client: LeanHttpClient, count: number): Promise<number[]> {
  return new Promise((resolve) => {
    const answers: number[] = [];
    for (let i = 0; i < count; i++) {
      client.get('/x', 'authorization: Bearer t\r\n', (status) => {
        answers.push(status);
        if (answers.length === count) resolve(answers);
      });
    }
  });
}

describe('LeanHttpClient', () => {
  it('answers each request with its status over kept-alive connections, queueing the rest', async () => {
    // Prepare
    const body = 'x'.repeat(20_000);
    const url = await rawServer(() => [
      `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
    ]);
    const client = new LeanHttpClient(url, 2);

    // Act
    const answers = await statuses(client, 5);
    client.close();

    // Assess
    expect(answers).toEqual([200, 200, 200, 200, 200]);
  });

  it('reads a head and a body that arrive split across reads', async () => {
    // Prepare
    const url = await rawServer(() => [
      'HTTP/1.1 404 Not Found\r\nContent-Length: 7\r\n',
      '\r',
      '\n{"a":',
      '1}',
    ]);
    const client = new LeanHttpClient(url, 1);

    // Act
    const answers = await statuses(client, 2);
    client.close();

    // Assess
    expect(answers).toEqual([404, 404]);
  });

  it('fails a request whose answer has no content-length, then goes on with the queue', async () => {
    // Prepare
    const url = await rawServer(() => ['HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n']);
    const client = new LeanHttpClient(url, 1);

    // Act
    const answers = await statuses(client, 3);
    client.close();

    // Assess
    expect(answers).toEqual([0, 0, 0]);
  });
});
