/* The web edition in a real browser: Debian's Chromium driven by puppeteer-core.  The pages
 * are written by the conflictmap command under test (CM_CLI) from the bundled map; what the
 * tests expect comes from the map's own files (the style's colours, the sources table), not
 * from copies here. */
"use strict";

const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { after, before, describe, it } = require("node:test");
const { launch, openPage } = require("./browser.js");

const ROOT = path.resolve(__dirname, "..", "..");
const CLI = process.env.CM_CLI || path.join(ROOT, "build", "conflictmap");
const OUT = process.env.CM_WEB_OUT || fs.mkdtempSync(path.join(os.tmpdir(), "cm-web-"));

/* A controller's fill in the bundled map's style, as the browser reports it. */
function styleFill(id) {
  const ini = fs.readFileSync(path.join(ROOT, "styles", "libya.ini"), "utf8");
  const group = ini.split(/^\[/m).find((g) => g.startsWith("controller " + id + "]"));
  const hex = /^fill\s*=\s*#([0-9a-f]{6})/im.exec(group)[1];
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

/* The title of a source in the bundled sources table (quoted CSV fields allowed). */
function sourceTitle(id) {
  const csv = fs.readFileSync(path.join(ROOT, "geodata", "sources.csv"), "utf8");
  const line = csv.split("\n").find((l) => l.startsWith(id + ","));
  const fields = [];
  const re = /("([^"]|"")*"|[^,]*)(,|$)/g;
  let m;
  while ((m = re.exec(line)) && fields.length < 5) {
    fields.push(m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]);
  }
  return fields[2];
}

function web(name, args) {
  const file = path.join(OUT, name);
  execFileSync(CLI, ["web", "-q", ...args, "-o", file], { stdio: "inherit" });
  return file;
}

const fillOf = (page, sel) => page.$eval(sel, (el) => getComputedStyle(el).fill);

async function setDate(page, date) {
  await page.evaluate((d) => {
    const data = JSON.parse(document.getElementById("cm-data").textContent);
    const slider = document.getElementById("cm-slider");
    slider.value = String(data.dates.indexOf(d));
    slider.dispatchEvent(new Event("input", { bubbles: true }));
  }, date);
}

describe("web edition", () => {
  let browser;
  let close;
  let daily;
  before(async () => {
    daily = web("daily.html", ["--from", "2019-04-01", "--to", "2020-06-30", "--step", "1d"]);
    ({ browser, close } = await launch());
  });
  after(async () => {
    if (close) {
      await close();
    }
  });

  it("asks for nothing over the network", async () => {
    const { page, requests } = await openPage(browser, "file://" + daily, 1280);
    assert.deepEqual(requests, []);
    assert.match(await page.$eval("#cm-date", (e) => e.textContent), /^2020-06-30$/);
    /* the embedded fonts load (from data: URLs) and set the page */
    const loaded = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((f) => f.status === "loaded").map((f) => f.family);
    });
    assert.ok(loaded.some((f) => /Noto Sans Arabic/.test(f)), loaded.join());
    assert.ok(loaded.some((f) => /^"?Noto Sans"?$/.test(f)), loaded.join());
    await page.close();
  });

  it("colours Sirte with the LNA's fill from 2020-01-10, not before", async () => {
    const { page } = await openPage(browser, "file://" + daily, 1280);
    await setDate(page, "2019-12-01");
    assert.notEqual(await fillOf(page, "#town-sirte"), styleFill("LNA"));
    await setDate(page, "2020-01-10");
    assert.equal(await fillOf(page, "#town-sirte"), styleFill("LNA"));
    assert.match(await page.$eval("#cm-subtitle", (e) => e.textContent), /10 January 2020/);
    assert.equal(await page.evaluate(() => location.hash), "#2020-01-10");
    await page.close();
  });

  it("opens the date of the URL fragment", async () => {
    const { page } = await openPage(browser, "file://" + daily + "#2019-04-05", 1280);
    assert.equal(await page.$eval("#cm-date", (e) => e.textContent), "2019-04-05");
    assert.equal(await page.$eval("#cm-slider", (e) => e.value), "4");
    /* Tarhuna sided with the LNA on 2019-04-04 */
    assert.equal(await fillOf(page, "#town-tarhuna"), styleFill("LNA"));
    await page.close();
  });

  it("opens on its last date when the fragment is not a date, even a malformed escape", async () => {
    for (const hash of ["#%", "#%E0%A4%A", "#not-a-date"]) {
      const { page } = await openPage(browser, "file://" + daily + hash, 1280);
      const last = await page.evaluate(() => {
        const data = JSON.parse(document.getElementById("cm-data").textContent);
        return data.dates[data.dates.length - 1];
      });
      assert.equal(await page.$eval("#cm-date", (e) => e.textContent), last, hash);
      assert.ok((await page.$$("#cm-legend li")).length > 3, hash + ": the legend is drawn");
      await page.close();
    }
  });

  it("explains Tarhuna on hover: GNA since 2020-06-05, with a source", async () => {
    const { page } = await openPage(browser, "file://" + daily, 1280);
    await setDate(page, "2020-06-06");
    await page.hover("#town-tarhuna");
    const tip = await page.$eval("#cm-tip", (e) => (e.hidden ? "" : e.textContent));
    assert.match(tip, /Tarhuna/);
    assert.match(tip, /GNA/);
    assert.match(tip, /5 June 2020/); /* "since" in the page's language */
    assert.ok(tip.includes(sourceTitle("memo-2020-06-05-tarhuna")), tip);
    await page.close();
  });

  it("shows a zone of control only while it is in force", async () => {
    const { page } = await openPage(browser, "file://" + daily + "#2019-06-01", 1280);
    const visibility = () => page.$eval("#zone-1", (e) => getComputedStyle(e).visibility);
    assert.equal(await visibility(), "visible");
    await page.hover("#zone-1");
    assert.match(await page.$eval("#cm-tip", (e) => e.textContent), /Southern Tripoli front/);
    await setDate(page, "2020-06-06");
    assert.equal(await visibility(), "hidden");
    await page.close();
  });

  it("shows an event while it is in force, and explains it", async () => {
    const { page } = await openPage(browser, "file://" + daily + "#2020-01-20", 1280);
    const shown = await page.$$eval("#cm-map .event",
      (els) => els.filter((e) => getComputedStyle(e).visibility === "visible").map((e) => e.id));
    assert.ok(shown.length > 0);
    await page.hover("#" + shown[shown.length - 1]);
    assert.match(await page.$eval("#cm-tip", (e) => e.textContent), /\d{1,2} [A-Z][a-z]+ 20\d\d/);
    await setDate(page, "2019-04-01");
    assert.equal(await page.$eval("#" + shown[0], (e) => getComputedStyle(e).visibility), "hidden");
    await page.close();
  });

  it("is worked with the keyboard", async () => {
    const { page } = await openPage(browser, "file://" + daily, 1280);
    const focused = () => page.evaluate(() => document.activeElement.id);
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "cm-skip");
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "cm-play");
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "cm-slider");
    await page.keyboard.press("ArrowLeft");
    assert.equal(await page.$eval("#cm-date", (e) => e.textContent), "2020-06-29");
    await page.keyboard.press("Home");
    assert.equal(await page.$eval("#cm-date", (e) => e.textContent), "2019-04-01");
    /* the zoom buttons, then the map */
    for (const id of ["cm-zoom-in", "cm-zoom-out", "cm-zoom-reset", "cm-zoom-detail-0"]) {
      await page.keyboard.press("Tab");
      assert.equal(await focused(), id);
    }
    await page.keyboard.press("Tab");
    const first = await focused();
    assert.match(first, /^region-/);
    assert.equal(await page.$eval("#cm-tip", (e) => e.hidden), false);
    /* Tab reaches every district and shown town: as many stops as focusable features */
    const stops = await page.$$eval("#cm-map [tabindex='0']",
      (els) => els.filter((e) => getComputedStyle(e).visibility === "visible").length);
    const seen = new Set([first]);
    for (let i = 1; i < stops; i += 1) {
      await page.keyboard.press("Tab");
      seen.add(await focused());
    }
    assert.equal(seen.size, stops);
    /* on a focused place the arrows step the date, and its tooltip follows */
    await setDate(page, "2020-06-05");
    await page.$eval("#town-tarhuna", (e) => e.focus()); /* an SVG element: puppeteer's focus() refuses it */
    await page.keyboard.press("ArrowLeft");
    assert.equal(await page.$eval("#cm-date", (e) => e.textContent), "2020-06-04");
    assert.match(await page.$eval("#cm-tip", (e) => e.textContent), /Libyan National Army/);
    await page.keyboard.press("ArrowRight");
    assert.match(await page.$eval("#cm-tip", (e) => e.textContent), /Government of National Accord/);
    await page.keyboard.press("Escape");
    assert.equal(await page.$eval("#cm-tip", (e) => e.hidden), true);
    await page.close();
  });

  it("skips to the legend and sources from the first Tab", async () => {
    const { page } = await openPage(browser, "file://" + daily, 1280);
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.id), "cm-skip");
    const visible = await page.$eval("#cm-skip", (e) => e.getBoundingClientRect().top >= 0);
    assert.ok(visible, "the focused skip link shows");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement.id), "cm-legend-title");
    /* the next Tab goes on from the legend: to the first source's link, not to Play */
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.closest("#cm-notes") !== null), true);
    await page.close();
  });

  it("draws each legend swatch as the map draws its kind", async () => {
    const { page } = await openPage(browser, "file://" + daily + "#2020-01-10", 1280);
    const swatches = await page.$$eval("#cm-legend li", (lis) => lis.map((li) => ({
      text: li.textContent,
      svg: li.querySelector(".cm-swatch svg") ? li.querySelector(".cm-swatch svg").innerHTML : "",
      circles: li.querySelectorAll(".cm-swatch circle").length,
      paths: li.querySelectorAll(".cm-swatch path").length,
    })));
    const words = fs.readFileSync(path.join(ROOT, "styles", "base.ini"), "utf8");
    const word = (key) => new RegExp("^" + key + " = (.*)$", "m").exec(words)[1];
    const find = (key) => swatches.find((s) => s.text === word(key));
    const front = find("front-line");
    assert.ok(front, "a front line in the legend");
    assert.ok(front.paths > 1 && front.circles === 0, JSON.stringify(front));
    const capital = find("capital");
    const town = find("town");
    assert.ok(capital && town);
    assert.notEqual(capital.svg, town.svg);
    /* each site kind its own icon: oil terminal, oil field, air base, airport */
    const sites = ["site-oil-terminal", "site-oil-field", "site-air-base", "site-airport"].map(find);
    assert.ok(sites.every((s) => s && s.paths > 0), JSON.stringify(sites));
    assert.equal(new Set(sites.map((s) => s.svg)).size, sites.length);
    assert.equal(new Set(swatches.map((s) => s.svg)).size, swatches.length - swatches.filter(
      (s, i) => swatches.findIndex((t) => t.svg === s.svg) !== i).length);
    /* the map's capital is the legend's star: the same drawing, at its place */
    const star = await page.$eval("#town-tripoli", (e) => [e.tagName, e.querySelectorAll("path").length,
      getComputedStyle(e.querySelector("path:last-child")).fill]);
    assert.equal(star[0], "g");
    assert.equal(star[1], capital.paths);
    assert.equal(star[2], styleFill("GNA"));
    await page.close();
  });

  it("zooms and pans the map by its viewBox, and zooms to Tripoli", async () => {
    const { page } = await openPage(browser, "file://" + daily + "#2020-01-10", 360);
    const box = () => page.$eval("#cm-map", (e) => e.getAttribute("viewBox").split(" ").map(Number));
    const whole = await box();
    await page.click("#cm-zoom-in");
    const zin = await box();
    assert.ok(zin[2] < whole[2] * 0.7, zin.join());
    /* a label is drawn larger on the screen when zoomed */
    await page.click("#cm-zoom-reset");
    assert.deepEqual(await box(), whole);
    const labelH = () => page.$$eval("#cm-map .labels text",
      (ts) => Math.max(...ts.map((t) => t.getBoundingClientRect().height)));
    const before = await labelH();
    await page.click("#cm-zoom-detail-0");
    const tripoli = await box();
    assert.ok(tripoli[2] < whole[2] / 4, tripoli.join());
    assert.ok(await labelH() > before * 4);
    /* zoomed in there, the detail frame's labels show (Tarhuna's among them), and hide again */
    const deep = () => page.$$eval("#cm-map .labels.cm-deep-only", (gs) => gs.map((g) => [
      getComputedStyle(g).visibility, [...g.querySelectorAll("text")].map((t) => t.textContent).join("|")]));
    const [[shown, texts]] = await deep();
    assert.equal(shown, "visible");
    assert.match(texts, /Tarhuna/);
    /* Tripoli's star is in the view */
    const star = await page.$eval("#town-tripoli", (e) => {
      const b = e.getBBox();
      return [b.x + b.width / 2, b.y + b.height / 2];
    });
    assert.ok(star[0] > tripoli[0] && star[0] < tripoli[0] + tripoli[2], star.join());
    assert.ok(star[1] > tripoli[1] && star[1] < tripoli[1] + tripoli[3], star.join());
    await page.$eval("#cm-map", (e) => e.scrollIntoView());
    await page.screenshot({ path: path.join(OUT, "web-360-tripoli.png") });
    /* a drag pans: the view moves the other way, its size kept */
    /* from the sea at the view's top (no tooltip there to take the pointer) */
    const r = await page.$eval("#cm-map", (e) => {
      const b = e.getBoundingClientRect();
      return [b.left + b.width * 0.3, b.top + 6];
    });
    await page.mouse.move(r[0], r[1]);
    await page.mouse.down();
    await page.mouse.move(r[0] + 60, r[1], { steps: 5 });
    await page.mouse.up();
    const panned = await box();
    assert.ok(panned[0] < tripoli[0], panned.join() + " / " + tripoli.join());
    assert.equal(panned[2].toFixed(1), tripoli[2].toFixed(1));
    /* the keys: minus zooms out, plus in, 0 back to the whole map */
    await page.$eval("#cm-slider", (e) => e.focus());
    await page.keyboard.press("-");
    assert.ok((await box())[2] > panned[2]);
    await page.keyboard.press("+");
    assert.equal((await box())[2].toFixed(1), panned[2].toFixed(1));
    await page.keyboard.press("0");
    assert.deepEqual(await box(), whole);
    assert.equal((await deep())[0][0], "hidden");
    /* ctrl and the wheel zoom about the pointer */
    await page.$eval("#cm-map", (e, [x, y]) => e.dispatchEvent(new WheelEvent("wheel",
      { deltaY: -300, ctrlKey: true, clientX: x, clientY: y, bubbles: true, cancelable: true })), r);
    assert.ok((await box())[2] < whole[2], (await box()).join());
    await page.close();
  });

  it("says when the fragment's date is not in the page, and which it shows", async () => {
    const monthly = web("monthly.html", ["--from", "2020-01-01", "--to", "2020-06-30", "--step", "1m"]);
    const { page } = await openPage(browser, "file://" + monthly + "#2020-06-06", 1280);
    assert.equal(await page.$eval("#cm-date", (e) => e.textContent), "2020-06-01");
    const notice = await page.$eval("#cm-notice", (e) => (e.hidden ? "" : e.textContent));
    assert.match(notice, /1 June 2020/);
    assert.match(notice, /nearest/);
    /* moving the date clears it; a date the page has shows none */
    await setDate(page, "2020-05-01");
    assert.equal(await page.$eval("#cm-notice", (e) => e.hidden), true);
    await page.goto("file://" + monthly + "#2020-03-01");
    assert.equal(await page.$eval("#cm-notice", (e) => e.hidden), true);
    await page.close();
  });

  it("passes axe-core with no serious or critical violation", async () => {
    const { page } = await openPage(browser, "file://" + daily, 1280);
    await page.addScriptTag({ content: require("axe-core").source });
    const result = await page.evaluate(() => window.axe.run(document));
    assert.ok(result.passes.length > 10, "axe ran its rules");
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(bad.map((v) => v.id + ": " + v.nodes.length), []);
    await page.close();
  });

  for (const width of [360, 1280]) {
    it(`fits a ${width} px screen (screenshot kept)`, async () => {
      const { page } = await openPage(browser, "file://" + daily + "#2020-01-10", width);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= width, `${scroll} px wide`);
      const map = await page.$eval("#cm-map", (e) => e.getBoundingClientRect().width);
      assert.ok(map >= width - 40, `map ${map} px`);
      await page.screenshot({ path: path.join(OUT, `web-${width}.png`), fullPage: true });
      await page.close();
    });
  }

  it("reads right to left with --lang ar", async () => {
    const ar = web("ar.html", ["--from", "2020-01-01", "--to", "2020-06-30", "--step", "1m",
      "--lang", "ar"]);
    const { page, requests } = await openPage(browser, "file://" + ar, 1280);
    assert.deepEqual(requests, []);
    assert.equal(await page.$eval("html", (e) => e.dir), "rtl");
    assert.equal(await page.$eval("html", (e) => e.lang), "ar");
    assert.match(await page.$eval("#cm-play", (e) => e.textContent), /[\u0600-\u06ff]/);
    /* each source's title, outlet and date isolated, so none takes the page's direction */
    const notes = await page.$$eval("#cm-notes li", (lis) => lis.map((li) => li.dir + li.querySelectorAll("bdi").length));
    assert.ok(notes.length > 0);
    assert.ok(notes.every((n) => n === "auto3"), notes.join());
    /* an English entry reads left to right: its title starts at its left, its date ends it */
    const order = await page.$eval("#cm-notes li", (li) => {
      const bdi = li.querySelectorAll("bdi");
      return [getComputedStyle(li).direction, bdi[0].getBoundingClientRect().top <= bdi[2].getBoundingClientRect().top];
    });
    assert.deepEqual(order, ["ltr", true]);
    /* dates in the tooltip and the notice in Arabic */
    await page.goto("file://" + ar + "#2020-06-06");
    assert.match(await page.$eval("#cm-notice", (e) => e.textContent), /[\u0600-\u06ff]/);
    await page.hover("#town-tarhuna");
    const tip = await page.$eval("#cm-tip", (e) => e.textContent);
    assert.match(tip, /منذ \d{1,2} [\u0600-\u06ff]+ \d{4}/); /* "since", not an ISO date */
    await page.addScriptTag({ content: require("axe-core").source });
    const result = await page.evaluate(() => window.axe.run(document));
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(bad.map((v) => v.id + ": " + v.nodes.length), []);
    await page.screenshot({ path: path.join(OUT, "web-ar.png") });
    await page.close();
  });

  it("shows only its picture without JavaScript", async () => {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    const requests = [];
    page.on("request", (req) => {
      if (req.url().startsWith("file:") || req.url().startsWith("data:")) {
        req.continue();
      } else {
        requests.push(req.url());
        req.abort();
      }
    });
    await page.goto("file://" + daily, { waitUntil: "load" });
    assert.deepEqual(requests, []);
    assert.equal(await page.$eval("#cm-live", (e) => e.hidden), true);
    const img = await page.$eval(".cm-fallback", (e) => [e.naturalWidth, e.getBoundingClientRect().width]);
    assert.ok(img[0] > 500 && img[1] > 500, img.join());
    await page.close();
  });

  it("keeps 52 weeks under 3 MB", () => {
    const file = web("52w.html", ["--from", "2019-07-01", "--to", "2020-06-22", "--step", "1w"]);
    const html = fs.readFileSync(file, "utf8");
    const data = JSON.parse(/<script type="application\/json" id="cm-data">([^]*?)<\/script>/.exec(html)[1]);
    assert.equal(data.dates.length, 52);
    const size = fs.statSync(file).size;
    console.log(`# 52 weekly dates: ${size} bytes`);
    assert.ok(size < 3 * 1024 * 1024, `${size} bytes`);
  });
});
