import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HEALTH_PATH, SERVICES, type ServiceName, serviceEntry } from './services.js';

describe('SERVICES', () => {
  it.each(Object.keys(SERVICES) as ServiceName[])(
    'names the package folder, distinct default port and the one health path of %s',
    (name) => {
      const entry = serviceEntry(name);
      expect(entry).toMatch(new RegExp(`/packages/${name}/dist/main\\.js$`));
      expect(existsSync(entry.replace(/dist\/main\.js$/, 'package.json'))).toBe(true);
      expect(SERVICES[name].healthPath).toBe(HEALTH_PATH);
    },
  );

  it('gives every service its own default port', () => {
    const ports = Object.values(SERVICES).map((s) => s.defaultPort);
    expect(new Set(ports).size).toBe(ports.length);
  });
});
