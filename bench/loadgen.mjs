// The loopback load generator of bench/register.ts, in its own process so that it does not share the app's event
// loop (it shares the machine's two cores, as the issue says). Every request is a different young person: phone and
// submission id from a sequence starting at `seqStart`. Prints autocannon's figures as one JSON line.
//
//   node bench/loadgen.mjs '{"url":"…","connections":50,"duration":15,"seqStart":0,"consentVersion":"…"}'
import autocannon from 'autocannon';

const o = JSON.parse(process.argv[2]);
let seq = o.seqStart ?? 0;
const nextBody = () => {
  seq += 1;
  return JSON.stringify({
    name: '压测青年',
    phone: `15${String(100000000 + seq).slice(-9)}`,
    birthDate: '2001-06-01',
    category: 'other',
    consent: true,
    consentVersion: o.consentVersion,
    submissionId: `bench${seq.toString(36).padStart(12, '0')}`,
  });
};
const result = await autocannon({
  url: o.url,
  method: 'POST',
  connections: o.connections,
  ...(o.amount ? { amount: o.amount } : { duration: o.duration }),
  timeout: o.timeout ?? 10,
  headers: { 'content-type': 'application/json' },
  requests: [{ setupRequest: (req) => ({ ...req, body: nextBody() }) }],
});
process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: Math.round(result.requests.average),
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  })}\n`,
);
