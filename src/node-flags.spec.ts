import { readFileSync } from 'node:fs';
import { NODE_FLAGS, startedWithNodeFlags } from './node-flags.js';

describe('the Node options the service starts with', () => {
  it('tells a process started with them from one started without', () => {
    expect(startedWithNodeFlags([...NODE_FLAGS, '--max-old-space-size=256'])).toBe(true);
    expect(startedWithNodeFlags(['--max-old-space-size=256'])).toBe(false);
  });

  it.each([
    ['package.json (npm start)', 'package.json'],
    ['scripts/start.sh', 'scripts/start.sh'],
    ['the Dockerfile', 'docker/Dockerfile'],
  ])('are the ones %s starts dist/main.js with', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const launch = text.split('\n').find((line) => line.includes('dist/main.js') && /\bnode\b/.test(line) && !line.trim().startsWith('#'));
    expect(launch).toBeDefined();
    for (const flag of NODE_FLAGS) expect(launch).toContain(flag);
  });
});
