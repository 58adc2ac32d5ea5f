import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
for (const [name, url, width] of [['overview-desktop','http://localhost:3000/',1280],['muni-desktop','http://localhost:3000/kommune/0301',1280],['overview-phone','http://localhost:3000/',360]]) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.waitForSelector('[data-connection="live"]', { timeout: 10000 }).catch(() => errors.push('never live'));
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `/tmp/${name}.png`, fullPage: false });
  console.log(name, errors);
  await page.close();
}
await browser.close();
