// Verifies webhook requests with the `standardwebhooks` npm package (an implementation independent of ours).
// stdin: JSON array of {secret, headers, body}; stdout: JSON array of {ok, id, error}.
// Resolved from the repository's node_modules (this file lives below the repository root).
const { Webhook } = require('standardwebhooks');
let input = '';
process.stdin.on('data', (c) => { input += c; });
process.stdin.on('end', () => {
  const results = JSON.parse(input).map(({ secret, headers, body }) => {
    try {
      const payload = new Webhook(secret).verify(body, headers);
      return { ok: true, id: headers['webhook-id'], eventId: payload && payload.id };
    } catch (e) {
      return { ok: false, id: headers['webhook-id'], error: String(e && e.message) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
