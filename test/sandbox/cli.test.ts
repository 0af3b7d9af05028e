/** `hqsim sandbox` through the real command: the page, its options, and bad input (exit 2, nothing written). */
import { describe, expect, it, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runCli, ROOT } from '../helpers.ts';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'hqsim-sandbox-cli-')); });

const data = (html: string) => JSON.parse(/<script type="application\/json" id="hqsim-data">([\s\S]*?)<\/script>/.exec(html)![1]);

describe('hqsim sandbox', () => {
  it('writes one self-contained page with the scenario, its controls and the engine', async () => {
    const out = join(tmp, 'q.html');
    const r = await runCli(['sandbox', 'scenarios/quickstart.yaml', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sandbox: .*q\.html \(quickstart, focal city bonn, 200 replications per setting, \d+ KiB\)/);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/\s(?:src|href)="(?:https?:)?\/\//i);
    const d = data(html);
    expect(d.scenario).toMatchObject({ name: 'quickstart', file: 'scenarios/quickstart.yaml', start: 1995, seed: 1 });
    expect(d.focal).toBe('bonn');
    expect(d.fields.levers.map((f: { key: string }) => f.key)).toContain('freeOffices');
    expect(d.variants[''].cities.map((c: { id: string }) => c.id)).toEqual(['bonn', 'geneva', 'nairobi', 'shanghai', 'toronto']);
    expect(readdirSync(tmp).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('takes --focal and --replications, and embeds the seed files a scenario reads', async () => {
    const out = join(tmp, 'b.html');
    const r = await runCli(['sandbox', 'scenarios/bonn-1994.yaml', '--out', out, '--focal', 'geneva', '--replications', '50', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const html = readFileSync(out, 'utf8');
    expect(data(html)).toMatchObject({ focal: 'geneva', replications: 50 });
    // The seed rows travel inside the worker's script (the engine reads them through its node:fs shim).
    expect(html).toContain(readFileSync(join(ROOT, 'seeds/cities.csv'), 'utf8').split('\n')[1].split(',')[0]);
  });

  it('names the page after the scenario by default', async () => {
    const r = await runCli(['sandbox', join(ROOT, 'scenarios/quickstart.yaml'), '--quiet'], { cwd: tmp });
    expect(r.code).toBe(0);
    const d = data(readFileSync(join(tmp, 'quickstart.sandbox.html'), 'utf8'));
    // Given absolute, the scenario is loaded by its virtual path in the page, and shown as given.
    expect(d.scenario.display).toBe(join(ROOT, 'scenarios/quickstart.yaml'));
    expect(d.scenario.file).toMatch(/^\/.*scenarios\/quickstart\.yaml$/);
  });

  it('--open: tries the desktop opener and says how to open the page when there is none', async () => {
    const out = join(tmp, 'open.html');
    const r = await new Promise<{ code: number; stdout: string }>((res) => {
      execFile(process.execPath, [CLI, 'sandbox', 'scenarios/quickstart.yaml', '--out', out, '--open'], { cwd: ROOT, env: { ...process.env, PATH: tmp } },
        (err, stdout) => res({ code: err ? 1 : 0, stdout }));
    });
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    if (process.platform === 'linux') expect(r.stdout).toContain(`could not start xdg-open; open ${out} in a browser`);
  });

  it('refuses bad input with exit 2 and writes nothing', async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nstart: 2000\nyears: 0\ncities: []\n');
    const cases: [string[], RegExp][] = [
      [['sandbox', bad, '--out', join(tmp, 'bad.html')], /bad\.yaml:3:\d+: years: .*\n1 problem found/],
      [['sandbox', 'scenarios/quickstart.yaml', '--out', join(tmp, 'x.html'), '--focal', 'paris'], /--focal paris: no such city .*bonn, geneva/],
      [['sandbox', 'scenarios/quickstart.yaml', '--out', join(tmp, 'nowhere', 'x.html')], /directory .*nowhere does not exist/],
      [['sandbox', 'scenarios/quickstart.yaml', '--out', join(tmp, 'x.txt')], /ending in \.html/],
      [['sandbox', 'scenarios/quickstart.yaml', '--out', join(tmp, 'x.html'), '--replications', '0'], /--replications must be a whole number/],
      [['sandbox', 'scenarios/missing.yaml', '--out', join(tmp, 'x.html')], /missing\.yaml: \(file\): cannot read scenario: no such file/],
    ];
    for (const [args, msg] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    expect(existsSync(join(tmp, 'bad.html'))).toBe(false);
    expect(existsSync(join(tmp, 'x.html'))).toBe(false);
  });
});
