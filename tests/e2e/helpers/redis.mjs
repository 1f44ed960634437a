// A real redis-server (Debian's package) for the shared-store tests: its own loopback port, no persistence, stopped by the test.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts redis-server on 127.0.0.1 and resolves once it accepts connections: { url, port, stop }. */
export async function startRedis() {
  const port = await freePort();
  // No RDB snapshots, no AOF, no config file: nothing is written to disk.
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--protected-mode',
    'yes',
    '--dir',
    '/tmp',
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise((resolve, reject) => {
    child.on('error', (error) =>
      reject(
        new Error(
          `redis-server could not start (apt-get install redis-server; scripts/setup.sh --with-test-tools installs it): ${error.message}`
        )
      )
    );
    child.on('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    child.stdout.on('data', (data) => {
      output += data;
      if (/Ready to accept connections/.test(output)) resolve();
    });
    child.stderr.on('data', (data) => {
      output += data;
    });
  });
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
