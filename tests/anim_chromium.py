#!/usr/bin/env python3
"""An animation plays in Chromium: `series -o x.webp` of three dates at 1 frame a second and a
2 s hold, shown in an <img> in headless Chromium (driven over --remote-debugging-pipe, no
packages needed), screenshotted every 200 ms for 8 s in real time.  The page shows nothing
else, so the screenshots take exactly three looks, one a frame, in the frames' order and
again from the first (it loops); the last is seen for longest (the hold).

Usage: anim_chromium.py CONFLICTMAP CHROMIUM.  Registered only where Chromium is installed."""
import json, os, shutil, subprocess, sys, tempfile, time

cli, chromium = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp(prefix="cmchromium-", dir=os.environ.get("TMPDIR"))
webp = os.path.join(tmp, "a.webp")
subprocess.run([cli, "series", "-q", "--from", "2019-04-01", "--to", "2019-06-01", "--fps", "1",
                "--hold", "2", "--dpi", "30", "-o", webp], check=True)
html = os.path.join(tmp, "a.html")
with open(html, "w") as f:
    f.write('<!doctype html><body style="margin:0;overflow:hidden"><img src="a.webp">')

r1, w1 = os.pipe()  # we write, Chromium reads on fd 3
r2, w2 = os.pipe()  # Chromium writes on fd 4


def child_fds():
    a, b = os.dup(r1), os.dup(w2)  # the pipes may be fds 3 and 4 already (close-on-exec)
    os.dup2(a, 3)
    os.dup2(b, 4)


proc = subprocess.Popen([chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                         "--user-data-dir=" + os.path.join(tmp, "profile"),
                         "--remote-debugging-pipe", "about:blank"],
                        preexec_fn=child_fds, close_fds=False, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL)
os.close(r1)
os.close(w2)
buf, last_id = b"", 0


def call(method, params=None, session=None):
    global buf, last_id
    last_id += 1
    msg = {"id": last_id, "method": method, "params": params or {}}
    if session:
        msg["sessionId"] = session
    os.write(w1, json.dumps(msg).encode() + b"\0")
    while True:
        while b"\0" in buf:
            raw, buf = buf.split(b"\0", 1)
            m = json.loads(raw)
            if m.get("id") == last_id:
                if "error" in m:
                    sys.exit("%s: %s" % (method, m["error"]))
                return m["result"]
        chunk = os.read(r2, 1 << 16)
        if not chunk:
            sys.exit("chromium closed the pipe")
        buf += chunk


try:
    target = call("Target.createTarget", {"url": "file://" + html})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    call("Emulation.setDeviceMetricsOverride",
         {"width": 400, "height": 300, "deviceScaleFactor": 1, "mobile": False}, session)
    # the first screenshots must not race the image's loading (a blank page was once a
    # fourth "look"): wait until the animation is decoded and shown
    ready = "(() => { const i = document.images[0]; return !!i && i.complete && i.naturalWidth > 0; })()"
    waited = time.time()
    while not call("Runtime.evaluate", {"expression": ready, "returnByValue": True},
                   session)["result"].get("value"):
        if time.time() - waited > 20:
            sys.exit("FAIL: the animation did not load in 20 s")
        time.sleep(0.05)
    looks, seen = [], []  # the look of each screenshot; the distinct looks, first seen first
    start = time.time()
    while time.time() - start < 8:
        shot = call("Page.captureScreenshot", {"format": "png"}, session)["data"]
        if shot not in seen:
            seen.append(shot)
        looks.append(seen.index(shot))
        time.sleep(0.2)
    call("Browser.close")
finally:
    proc.wait(timeout=30)
    shutil.rmtree(tmp, ignore_errors=True)

runs = []  # (look, screenshots in a row)
for k in looks:
    if runs and runs[-1][0] == k:
        runs[-1][1] += 1
    else:
        runs.append([k, 1])
print("looks, in runs of screenshots:", runs)
if len(seen) != 3:
    sys.exit("FAIL: %d distinct looks in 8 s, not the 3 frames" % len(seen))
# after the first (partly seen) run, each look is followed by the next frame's, cyclically
order = [k for k, _ in runs]
if not all((b - a) % 3 == 1 for a, b in zip(order, order[1:])):
    sys.exit("FAIL: the looks do not follow in the frames' order")
# the hold: one look stays longer than each of the others, in the runs seen whole
whole = runs[1:-1]
longest = {}
for k, n in whole:
    longest[k] = max(longest.get(k, 0), n)
ranked = sorted(longest.values(), reverse=True)
if len(ranked) < 2 or ranked[0] < 2 * ranked[1]:
    sys.exit("FAIL: no frame is held for longer than the others: %s" % longest)
print("ok: Chromium plays the animation, holds its last frame and loops")
