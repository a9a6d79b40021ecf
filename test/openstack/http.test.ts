// JSON over HTTP, every failure one sentence an operator can act on: the service's own
// message from its error body, what to do about a 403, a body that is not JSON, a host
// that does not answer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { requestJson } from '../../src/openstack/http.ts';
import { localServer, type Answer, type LocalServer } from './local-server.ts';
import { errorOf, valueOf } from './results.ts';

const ANSWERS: Record<string, Answer> = {
  '/ok': { status: 200, body: '{"hypervisors": []}' },
  '/forbidden': { status: 403, body: '{"forbidden": {"code": 403, "message": "Policy doesn\'t allow os_compute_api:os-hypervisors:list-detail to be performed."}}' },
  '/placement-missing': { status: 404, body: '{"errors": [{"status": 404, "title": "Not Found", "detail": "The resource could not be found.\\n\\n No resource provider with uuid x found  "}]}' },
  '/unauthorized': { status: 401, body: '' },
  '/not-json': { status: 200, body: '<html>a proxy page</html>' },
  '/gone': { status: 410, body: '' },
};

let server: LocalServer;
before(async () => (server = await localServer((path) => ANSWERS[path] ?? { status: 500, body: '' })));
after(() => server.close());

const TLS = { verify: true };
const refusal = async (path: string, accept: number[] = []) => errorOf(await requestJson(`${server.url}${path}`, {}, TLS, `GET ${path}`, accept));

test('returns the status, headers and parsed body of a 2xx answer, having asked for JSON', async () => {
  const answer = valueOf(await requestJson(`${server.url}/ok`, {}, TLS, 'GET /ok'));
  assert.deepEqual([answer.status, answer.body], [200, { hypervisors: [] }]);
  assert.equal(server.requests.at(-1)?.headers.accept, 'application/json');
});

test('says a 403 is forbidden with the service\'s message, and what only an administrator sees', async () => {
  assert.equal(
    await refusal('/forbidden'),
    "GET /forbidden: forbidden (403): Policy doesn't allow os_compute_api:os-hypervisors:list-detail to be performed.; claimplan reads what only an administrator sees (hypervisors, every project's servers, Placement)",
  );
});

test('gives Placement\'s error detail, trimmed, and a 401 as refused', async () => {
  assert.equal(await refusal('/placement-missing'), 'GET /placement-missing: 404 Not Found: The resource could not be found.\n\n No resource provider with uuid x found');
  assert.equal(await refusal('/unauthorized'), 'GET /unauthorized: refused (401 Unauthorized)');
});

test('hands back a status the caller accepts instead of failing', async () => {
  assert.equal(await refusal('/gone', [410]), null);
  assert.equal(await refusal('/gone'), 'GET /gone: 410 Gone');
});

test('says a 2xx body that is not JSON is not JSON, and a host that does not answer cannot be reached', async () => {
  assert.equal(await refusal('/not-json'), `GET /not-json: ${server.url} answered 200 with a body that is not JSON`);
  const closed = await localServer(() => ({ status: 200, body: '' }));
  await closed.close();
  assert.equal(errorOf(await requestJson(`${closed.url}/x`, {}, TLS, 'GET /x')), `GET /x: cannot reach ${closed.url} (ECONNREFUSED)`);
});
