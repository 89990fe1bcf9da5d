import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { listeningPorts } from './listening-ports.js';

describe('listeningPorts', () => {
  it('reads the port a process bound on port 0, in this process', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    try {
      expect(listeningPorts(process.pid)).toContain(port);
    } finally {
      server.close();
    }
  });

  it('reads exactly the ports a child bound, and none once it is gone', async () => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        "const s=require('net').createServer().listen(0,'127.0.0.1',()=>console.log(s.address().port))",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [line] = (await once(
      createInterface({ input: child.stdout as NodeJS.ReadableStream }),
      'line',
    )) as [string];
    expect(listeningPorts(child.pid as number)).toEqual([Number(line)]);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(listeningPorts(child.pid as number)).toEqual([]);
  });
});
