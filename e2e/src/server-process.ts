// Runs the real server for the browser tests in its own process (run with `node --import tsx`), so the server's code
// is loaded exactly as in production rather than through the test runner's transforms. Prints one JSON line with the
// address; stops the server when stdin closes or on SIGTERM.
import { startTestServer } from '../../server/test/e2e-server.ts';

const server = await startTestServer();
process.stdout.write(`${JSON.stringify({ ready: true, url: server.url, xssOrgCode: server.xssOrgCode })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await server.stop();
  } finally {
    process.exit(0);
  }
}
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
