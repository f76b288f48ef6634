// Verifies deliveries signed by the gateway with the stock `standardwebhooks` package and with a plain
// HMAC of the body, as a receiver would. stdin: {cases: [{body, headers, secret}]}; stdout: [{standard, simple}].
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk) => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

const results = input.cases.map(({ body, headers, secret }) => {
  let standard;
  try {
    new Webhook(secret).verify(body, headers);
    standard = 'ok';
  } catch (error) {
    standard = error.message;
  }
  const expected = Buffer.from('sha256=' + createHmac('sha256', secret).update(body).digest('hex'));
  const given = Buffer.from(headers['X-Webhook-Signature'] ?? '');
  const simple = expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'mismatch';
  return { standard, simple };
});
process.stdout.write(JSON.stringify(results));
