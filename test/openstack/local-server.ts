// A local HTTP server answering each request with what `answer` says, and keeping the
// requests it was sent: for the tests of the API clients in src/openstack/.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface LocalServer {
  url: string;
  requests: { method: string; path: string; headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

export async function localServer(answer: (path: string) => Answer): Promise<LocalServer> {
  const requests: LocalServer['requests'] = [];
  const server = createServer((request, response) => {
    let sent = '';
    request.on('data', (chunk) => (sent += chunk));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: sent });
      const { status, body, headers } = answer(request.url ?? '');
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
