// The page at / in Debian's headless Chromium (driven by playwright-core, no browser of its own), against the
// packaged jar that run.sh started: PAGE_URL is its HTTP port. With TOKEN set (a token with scope chat) the jar
// trusts an authorization server, and the page is checked without a token and with one.
// SCREENSHOT names the PNG the first play is captured to.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";

const PAGE_URL = process.env.PAGE_URL;
const TOKEN = process.env.TOKEN;
const SCREENSHOT = process.env.SCREENSHOT;
assert.ok(PAGE_URL, "PAGE_URL must name the jar's HTTP port");
const origin = new URL(PAGE_URL).origin;

// The article's output, flow by flow (src/test/interop/python/expected, the README).
const ARTICLE = {
  "unary": ["Hello, Hyeonghwan!"],
  "server-stream": ["Received message: Hello world", "Received message: This is server streaming grpc",
    "Received message: Good bye"],
  "client-stream": ["msg1 msg2 msg3"],
  "chat": ["Client Message: Hello grpc!", "Received message: Received: Hello grpc!",
    "Client Message: This is Bidirectional Streaming RPC!", "Received message: Received: This is Bidirectional Streaming RPC!",
    "Client Message: Is it working good?", "Received message: Received: Is it working good?"],
};
const PATTERNS = Object.keys(ARTICLE);
const PLAY_TIMEOUT = 60_000;   // the article's pacing takes about 6 s; a loaded CI machine gets a margin

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});
after(async () => browser?.close());   // closes every page with it

/** A fresh page (own context: no shared cache or storage), with what it requested and any page error recorded. */
async function open(viewport = { width: 1600, height: 1000 }, extra = {}) {
  const context = await browser.newContext({ viewport, ...extra });
  const page = await context.newPage();
  page.requests = [];
  page.errors = [];
  page.on("request", (request) => page.requests.push(request.url()));
  page.on("pageerror", (error) => page.errors.push(error.message));
  await page.goto(PAGE_URL);
  return page;
}

async function played(page) {
  await page.waitForSelector("body[data-state=played]", { timeout: PLAY_TIMEOUT });
}

const panel = (page, id) => page.locator(`section[data-pattern="${id}"]`);

async function outputLines(page, id) {
  const text = await panel(page, id).locator(".output").textContent();
  return text.split("\n").filter((line) => line);
}

/** Runs one panel with the given inputs and waits until its call has ended; returns its status code name. */
async function run(page, id, { input, pause } = {}) {
  const section = panel(page, id);
  if (input !== undefined) await section.locator("[name=input]").fill(input);
  if (pause !== undefined) await section.locator("[name=pause]").fill(String(pause));
  await section.locator("button.run").click();
  await page.waitForSelector(`section[data-pattern="${id}"][data-state=ended]`, { timeout: PLAY_TIMEOUT });
  return section.getAttribute("data-code");
}

async function metric(name, tags = []) {
  const query = tags.map((tag) => `tag=${encodeURIComponent(tag)}`).join("&");
  const response = await fetch(`${origin}/actuator/metrics/${name}${query ? `?${query}` : ""}`);
  if (response.status === 404) return 0;   // a meter with these tags that has not been recorded yet
  assert.equal(response.status, 200, `${name}: HTTP ${response.status}`);
  return (await response.json()).measurements[0].value;
}

/** Polls the server's state until it holds (no event reaches the test from inside the server). */
async function eventually(what, condition, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > until) assert.fail(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The times the diagram shows for its replies (arrows towards the browser, the final status left out). */
async function replyTimes(page, id) {
  const times = await panel(page, id).locator(".arrow.to-client:not(.final) time").allTextContents();
  return times.map((time) => Number.parseFloat(time.replace("+", "")));
}

async function expectArticle(page) {
  for (const id of PATTERNS) {
    assert.deepEqual(await outputLines(page, id), ARTICLE[id], `${id}'s output`);
    assert.equal(await panel(page, id).getAttribute("data-code"), "OK", `${id}'s status`);
  }
  // The eight lines the service sent back (Chat's "Client Message" lines are the browser's own).
  const answers = (await Promise.all(PATTERNS.map((id) => outputLines(page, id)))).flat()
    .filter((line) => !line.startsWith("Client Message: "));
  assert.equal(answers.length, 8);
  // Streamed, not buffered: ServerStream's replies arrive as the server paces them (chat.server-stream.interval, 1 s).
  const times = await replyTimes(page, "server-stream");
  assert.equal(times.length, 3);
  assert.ok(times[1] - times[0] >= 0.8 && times[2] - times[1] >= 0.8, `ServerStream replies at ${times}`);
}

async function expectBlankNameRefused(page) {
  assert.equal(await run(page, "unary", { input: "" }), "INVALID_ARGUMENT");
  const section = panel(page, "unary");
  assert.equal(await section.locator(".status .message").textContent(), "name must not be blank");
  const details = await section.locator(".details li").allTextContents();
  assert.ok(details.some((detail) => detail.startsWith("BadRequest ") && detail.includes('"field":"name"')),
    `details: ${details}`);
}

/** Cancel in the middle of a call: the browser shows CANCELLED and the server's call ends at once. */
async function expectCancelFreesTheCall(page, id, inputs, method) {
  const cancelledBefore = await metric("grpc.server.processing.duration",
    [`method:${method}`, "statusCode:CANCELLED"]);
  const section = panel(page, id);
  if (inputs.input !== undefined) await section.locator("[name=input]").fill(inputs.input);
  if (inputs.pause !== undefined) await section.locator("[name=pause]").fill(String(inputs.pause));
  await section.locator("button.run").click();
  // the first reply is on the screen: the call is open on the server, with more to come
  await page.waitForSelector(`section[data-pattern="${id}"] .arrow.to-client`, { timeout: PLAY_TIMEOUT });
  assert.equal(await metric("grpc.server.calls.active"), 1, "the call is open on the server");
  await section.locator("button.cancel").click();
  await page.waitForSelector(`section[data-pattern="${id}"][data-state=ended]`);
  assert.equal(await section.getAttribute("data-code"), "CANCELLED");
  await eventually("the server's open calls back to 0", async () => (await metric("grpc.server.calls.active")) === 0);
  await eventually(`the server recorded ${method} as CANCELLED`, async () =>
    (await metric("grpc.server.processing.duration", [`method:${method}`, "statusCode:CANCELLED"]))
      === cancelledBefore + 1);
}

/** One page for the checks that follow its first play (each opening costs a play of about 6 s). */
let desktop;
async function playedPage() {
  desktop ??= open();
  const page = await desktop;
  await played(page);
  return page;
}

if (!TOKEN) {
  test("opening the page plays the article's four flows, streamed as the server paces them", async () => {
    const page = await playedPage();
    await expectArticle(page);
    assert.deepEqual(page.errors, []);
    if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  test("the page needs nothing but this jar: every request goes to its own origin", async () => {
    const page = await playedPage();
    const elsewhere = page.requests.filter((url) => !url.startsWith(`${origin}/`)
      && !url.startsWith(origin.replace(/^http/, "ws") + "/"));
    assert.deepEqual(elsewhere, []);
  });

  test("a blank name is INVALID_ARGUMENT, its details naming the field", async () => {
    await expectBlankNameRefused(await playedPage());
  });

  test("Cancel ends the server's ServerStream call (gRPC-Web over fetch)", async () => {
    await expectCancelFreesTheCall(await playedPage(), "server-stream", { input: "start" }, "ServerStream");
  });

  test("Cancel ends the server's Chat call (gRPC over WebSocket)", async () => {
    // a long pause after the first answer: only Cancel can end this call
    await expectCancelFreesTheCall(await playedPage(), "chat", { input: "one\ntwo", pause: 600 }, "Chat");
  });

  test("a phone-sized screen: one column, nothing wider than the screen, the same flows", async () => {
    const page = await open({ width: 390, height: 844 }, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await played(page);
    await expectArticle(page);
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      screen: window.innerWidth,
      panels: [...document.querySelectorAll("section.pattern")].map((section) => section.getBoundingClientRect()),
    }));
    assert.ok(widths.page <= widths.screen, `page ${widths.page} px wide on a ${widths.screen} px screen`);
    const lefts = new Set(widths.panels.map((box) => Math.round(box.left)));
    assert.equal(lefts.size, 1, "the four panels stand in one column");
    await page.context().close();
  });
} else {
  test("identity on, no token: every flow of the first play is UNAUTHENTICATED", async () => {
    const page = await playedPage();
    for (const id of PATTERNS) {
      assert.equal(await panel(page, id).getAttribute("data-code"), "UNAUTHENTICATED", id);
    }
  });

  test("identity on, with a token: the article's flows", async () => {
    const page = await playedPage();
    await page.locator("#token").fill(TOKEN);
    await page.locator("#replay").click();
    await played(page);
    await expectArticle(page);
  });

  test("identity on, with a token: a blank name is INVALID_ARGUMENT, its details naming the field", async () => {
    await expectBlankNameRefused(await playedPage());
  });

  test("identity on, with a token: Cancel ends the server's ServerStream and Chat calls", async () => {
    const page = await playedPage();
    await expectCancelFreesTheCall(page, "server-stream", { input: "start" }, "ServerStream");
    await expectCancelFreesTheCall(page, "chat", { input: "one\ntwo", pause: 600 }, "Chat");
  });
}
