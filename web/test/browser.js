/* Launching the system's Chromium for the tests: never a downloaded browser, no network,
 * a fresh profile each time. */
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const puppeteer = require("puppeteer-core");

const CHROMIUM = process.env.CM_CHROMIUM || "/usr/bin/chromium";

async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "cm-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage"],
  });
  const close = async () => {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { browser, close };
}

/* A page that records every request it attempts and lets none but the file itself (and what
 * the page holds in data: URLs, its fonts) through. */
async function openPage(browser, url, width) {
  const page = await browser.newPage();
  await page.setViewport({ width, height: 900 });
  const requests = [];
  await page.setRequestInterception(true);
  page.on("request", (req) => {
    if (req.url() === url.split("#")[0] || req.url() === url || req.url().startsWith("data:")) {
      req.continue();
    } else {
      requests.push(req.url());
      req.abort();
    }
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, requests };
}

module.exports = { launch, openPage };
