import { chromium } from 'playwright-core';
const ctx = await chromium.launchPersistentContext('/tmp/h14/profile4', { executablePath: '/usr/bin/chromium', headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await ctx.newPage();
await page.goto('file:///tmp/h14/bonn.html');
await page.waitForFunction(() => Number(document.body.dataset.current) >= 40, null, { timeout: 300000 });
console.log(await page.evaluate(() => JSON.stringify((window as any).hqsim.series())));
await ctx.close();
