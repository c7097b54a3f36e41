// GET /metrics over loopback: Prometheus text that follows what real socket.io clients did
// (joins, relayed messages, API replies by status), and the process' CPU and memory.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAerie, joinRoom, request, getApi } from '../lib/server.mjs';

const T = { timeout: 20000 };
let server;

before(async () => {
  server = await startAerie();
});

after(async () => {
  if (server) await server.stop();
});

async function scrape() {
  const res = await request(server, '/metrics');
  assert.equal(res.status, 200, `GET /metrics: ${res.status} ${res.body.slice(0, 200)}`);
  assert.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/);
  return res.body;
}

// The value of one series (`name` or `name{labels}`), or undefined.
function value(text, series) {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

describe('metrics', () => {
  test('every line is a comment or a sample in the text format', T, async () => {
    const text = await scrape();
    for (const line of text.split('\n').filter(Boolean)) {
      assert.match(line, /^(# (HELP|TYPE) [a-z_:][a-z0-9_:]* .+|[a-z_:][a-z0-9_:]*(\{[a-z_]+="(?:[^"\\]|\\.)*"(,[a-z_]+="(?:[^"\\]|\\.)*")*\})? [-+0-9.eE]+|.*Inf)$/, line);
    }
    assert.ok(value(text, 'process_resident_memory_bytes') > 1e6, 'RSS from /proc/self');
    assert.ok(value(text, 'process_cpu_seconds_total') >= 0);
    assert.ok(value(text, 'process_open_fds') > 0);
  });

  test('joins, relayed messages and API replies show up', T, async (t) => {
    const before = await scrape();
    const room = `metrics-${process.pid}`;
    const a = await joinRoom(server, { room });
    const b = await joinRoom(server, { room });
    t.after(() => { a.close(); b.close(); });
    b.enter();
    await a.waitFor((m) => m.type === 'enter', { what: 'enter from B' });
    await getApi(server, 'no-such-key', room);  // an API error reply

    const text = await scrape();
    const delta = (series) => (value(text, series) ?? 0) - (value(before, series) ?? 0);
    assert.equal(value(text, 'aerie_peers'), 2);
    assert.equal(value(text, 'aerie_rooms'), 1);
    assert.equal(value(text, 'aerie_connections'), 2);
    assert.equal(delta('aerie_messages_in_total{type="joinRoom"}'), 2);
    assert.equal(delta('aerie_messages_out_total{type="inRoom"}'), 2);
    assert.equal(delta('aerie_messages_in_total{type="enter"}'), 1);
    assert.equal(delta('aerie_messages_out_total{type="enter"}'), 1);
    assert.equal(delta('aerie_join_latency_seconds_count'), 2);
    assert.equal(delta('aerie_join_latency_seconds_bucket{le="+Inf"}'), 2);
    assert.equal(delta('aerie_http_requests_total{route="api",status="200"}'), 2);
    const apiErrors = text.split('\n').filter((l) => /^aerie_http_requests_total\{route="api",status="4\d\d"\}/.test(l));
    assert.ok(apiErrors.length > 0, 'the unknown key is counted under a 4xx status');
    assert.ok(delta('aerie_http_requests_total{route="metrics",status="200"}') >= 1);
  });

  test('peers that leave are no longer counted', T, async () => {
    const room = `metrics-leave-${process.pid}`;
    const a = await joinRoom(server, { room });
    a.close();
    for (let i = 0; i < 50; i++) {
      const text = await scrape();
      if (value(text, 'aerie_peers') === 0 && value(text, 'aerie_connections') === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail('aerie_peers did not drop to 0 after the socket closed');
  });

  test('each peer session that ends becomes a usage record, written off the room loop', T, async () => {
    const before = value(await scrape(), 'aerie_usage_records_total{outcome="written"}') ?? 0;
    const room = `metrics-usage-${process.pid}`;
    const a = await joinRoom(server, { room });
    const b = await joinRoom(server, { room });
    a.close();
    b.close();
    for (let i = 0; i < 50; i++) {
      const text = await scrape();
      if (value(text, 'aerie_usage_records_total{outcome="written"}') >= before + 2) {
        assert.equal(value(text, 'aerie_usage_records_total{outcome="dropped"}'), 0);
        assert.equal(value(text, 'aerie_usage_records_total{outcome="failed"}'), 0);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail('two usage records were not written within 5 s of the two leaves');
  });
});
