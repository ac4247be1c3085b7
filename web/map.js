/* conflictmap's web edition: the page's own script, embedded into every page at build time.
 * It reads the data conflictmap wrote (#cm-data: the dates, each date's changes of control,
 * the paints, the legend and the numbered sources), colours the map's features for the date
 * the slider or the URL fragment chooses, and explains a feature on hover, focus or tap.
 * No request is made: everything is in the page. */
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("cm-data").textContent);
  document.getElementById("cm-live").hidden = false;
  const words = data.words;
  const slider = document.getElementById("cm-slider");
  const play = document.getElementById("cm-play");
  const output = document.getElementById("cm-date");
  const subtitle = document.getElementById("cm-subtitle");
  const legend = document.getElementById("cm-legend");
  const notes = document.getElementById("cm-notes");
  const tip = document.getElementById("cm-tip");
  const notice = document.getElementById("cm-notice");
  const figure = tip.parentElement;
  const elements = data.features.map((f) => document.getElementById(f[0]));
  const grounds = new Map();
  let states = [];
  let shown = -1;
  let timer = null;
  let pinned = null;
  let pinnedEl = null;

  document.querySelectorAll(".ground").forEach((g) => {
    const f = Number(g.dataset.f);
    if (!grounds.has(f)) {
      grounds.set(f, []);
    }
    grounds.get(f).push(g);
  });

  document.querySelectorAll("#cm-map .event").forEach((e) => {
    e.setAttribute("aria-label", data.events[Number(e.dataset.e)][0]);
  });

  /* "%s" in a catalogue word, filled */
  function fill(word, value) {
    return word.replace("%s", value);
  }

  /* Each feature's state on date k: the changes of every date up to k, applied in order. */
  function statesOn(k) {
    const s = new Array(data.features.length).fill(null);
    for (let d = 0; d <= k; d += 1) {
      for (const [f, state] of Object.entries(data.changes[d])) {
        s[Number(f)] = state;
      }
    }
    return s;
  }

  function paintFeatures() {
    states.forEach((state, f) => {
      const el = elements[f];
      const paint = state ? data.paints[state[0]] : null;
      if (el && el.classList.contains("zone")) {
        el.style.fill = paint || "none";
        el.setAttribute("visibility", paint ? "visible" : "hidden");
      }
      if (el) {
        if (paint) {
          el.style.fill = paint;
        } else {
          el.style.removeProperty("fill");
        }
        /* a star's or a site icon's paths take currentColor; stripes are no colour */
        if (paint && /^(#|rgb)/.test(paint)) {
          el.style.color = paint;
        } else {
          el.style.removeProperty("color");
        }
        const name = data.features[f][1];
        el.setAttribute("aria-label", state ? name + ": " + state[1] : name + ": " + words.none);
      }
      (grounds.get(f) || []).forEach((g) => {
        g.style.fill = paint || "none";
        g.style.visibility = paint ? "visible" : "hidden";
      });
    });
  }

  function showLegend(k) {
    let d = k;
    while (d > 0 && data.legend[d] === 0) {
      d -= 1;
    }
    /* each swatch an SVG drawn by the renderer as the map draws that kind (our own markup) */
    legend.replaceChildren(...data.legend[d].map(([swatch, text]) => {
      const li = document.createElement("li");
      const sw = document.createElement("span");
      sw.className = "cm-swatch";
      sw.innerHTML = data.swatches[swatch];
      const label = document.createElement("span");
      label.textContent = text;
      li.append(sw, label);
      return li;
    }));
  }

  function sourceItem(n) {
    const [title, outlet, published, url] = data.sources[n - 1];
    const li = document.createElement("li");
    li.value = n;
    /* an entry takes the direction of its own text (an English title reads left to right on
     * an Arabic page, over as many lines as it wraps to), each part isolated from the next */
    li.dir = "auto";
    const part = (text) => {
      const b = document.createElement("bdi");
      b.textContent = text;
      return b;
    };
    if (url) {
      const a = document.createElement("a");
      a.href = url;
      a.rel = "noreferrer";
      a.append(part(title));
      li.append(a);
    } else {
      li.append(part(title));
    }
    li.append(" — ", part(outlet), ", ", part(published));
    return li;
  }

  /* The lines and events in force on date k shown, the others hidden. */
  function showMarks(k) {
    let d = k;
    while (d > 0 && data.marks[d] === 0) {
      d -= 1;
    }
    const on = new Set(data.marks[d]);
    document.querySelectorAll("#cm-map .mark").forEach((m) => {
      m.setAttribute("visibility", on.has(m.id) ? "visible" : "hidden");
    });
  }

  function showNotes(k) {
    notes.replaceChildren(...data.notes[k].map(sourceItem));
  }

  /* Shows date k: the map, the title's date, the legend, the notes and the URL fragment. */
  function show(k, fromHash) {
    if (k === shown) {
      return;
    }
    shown = k;
    states = statesOn(k);
    slider.value = String(k);
    slider.setAttribute("aria-valuetext", data.dates[k]);
    output.textContent = data.dates[k];
    subtitle.textContent = data.titles[k];
    paintFeatures();
    showLegend(k);
    showMarks(k);
    showNotes(k);
    if (pinned !== null) {
      explain(pinned, pinnedEl);
    }
    if (!fromHash) {
      notice.hidden = true;
      history.replaceState(null, "", "#" + data.dates[k]);
    }
  }

  /* The date of the fragment, or the last date before it; -1 when there is none.  When the
   * page has not that very date, the notice says which one it shows instead. */
  function dateFromHash() {
    /* a date is plain ASCII: nothing to decode, and a malformed escape ("#%") cannot throw */
    const want = location.hash.slice(1);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(want)) {
      return -1;
    }
    let k = -1;
    data.dates.forEach((d, i) => {
      if (d <= want) {
        k = i;
      }
    });
    k = Math.max(k, 0);
    notice.hidden = data.dates[k] === want;
    notice.textContent = notice.hidden ? "" : fill(words.nearest, data.long[k]);
    return k;
  }

  function line(text) {
    const p = document.createElement("p");
    p.textContent = text;
    return p;
  }

  function sourceList(sources) {
    const ol = document.createElement("ol");
    ol.append(...sources.map(sourceItem));
    return [line(words.sources + ":"), ol];
  }

  /* The tooltip of feature f (or, for f < 0, of the event of element el) beside el. */
  function explain(f, el) {
    const head = document.createElement("strong");
    const parts = [head];
    const state = f >= 0 ? states[f] : null;
    if (f < 0) {
      const [text, date, sources] = data.events[Number(el.dataset.e)];
      head.textContent = text;
      parts.push(line(date));
      if (sources.length) {
        parts.push(...sourceList(sources));
      }
    } else if (state) {
      head.textContent = data.features[f][1];
      parts.push(line(data.features[f][2]));
      const [, holder, status, since, confidence, sources] = state;
      parts.push(line(words["held-by"] + ": " + holder), line(fill(words.since, since)),
        line(words.status + ": " + status));
      if (confidence) {
        parts.push(line(words.confidence + ": " + confidence));
      }
      if (sources.length) {
        parts.push(...sourceList(sources));
      }
    } else {
      head.textContent = data.features[f][1];
      parts.push(line(data.features[f][2]), line(words.none));
    }
    tip.replaceChildren(...parts);
    tip.hidden = false;
    const box = el.getBoundingClientRect();
    const frame = figure.getBoundingClientRect();
    const x = Math.min(box.left - frame.left + box.width / 2, frame.width - tip.offsetWidth - 4);
    const below = box.bottom - frame.top + 6;
    const y = below + tip.offsetHeight > frame.height ? box.top - frame.top - tip.offsetHeight - 6 : below;
    tip.style.left = Math.max(x, 4) + "px";
    tip.style.top = Math.max(y, 4) + "px";
  }

  function hide() {
    tip.hidden = true;
    pinned = null;
  }

  /* The feature of an element: its index, -2 for an event, -1 for none. */
  function featureOf(target) {
    const el = target.closest ? target.closest("[data-f], [data-e]") : null;
    if (!el) {
      return -1;
    }
    return el.dataset.e === undefined ? Number(el.dataset.f) : -2;
  }

  function onEnter(event) {
    const f = featureOf(event.target);
    if (f !== -1 && pinned === null) {
      explain(f, event.target);
    }
  }

  function onLeave(event) {
    if (featureOf(event.target) !== -1 && pinned === null && !tip.contains(event.relatedTarget)) {
      tip.hidden = true;
    }
  }

  function togglePlay() {
    if (timer) {
      clearInterval(timer);
      timer = null;
    } else {
      if (shown >= data.dates.length - 1) {
        show(0);
      }
      timer = setInterval(() => {
        if (shown >= data.dates.length - 1) {
          togglePlay();
        } else {
          show(shown + 1);
        }
      }, 900);
    }
    play.textContent = timer ? words.pause : words.play;
    play.setAttribute("aria-pressed", timer ? "true" : "false");
  }

  const map = document.getElementById("cm-map");
  map.addEventListener("pointerover", onEnter);
  map.addEventListener("pointerout", onLeave);
  map.addEventListener("focusin", onEnter);
  map.addEventListener("focusout", (event) => {
    if (!tip.contains(event.relatedTarget)) {
      hide();
    }
  });
  map.addEventListener("click", (event) => {
    const f = featureOf(event.target);
    if (f !== -1) {
      pinned = f;
      pinnedEl = event.target;
      explain(f, event.target);
    } else {
      hide();
    }
  });
  map.addEventListener("keydown", (event) => {
    const f = featureOf(event.target);
    /* on a focused place, the arrows step the date as on the slider (reversed right to left),
     * so that a reader can follow one place through time */
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowDown: -1, ArrowUp: 1 }[event.key];
    if (step && f !== -1) {
      event.preventDefault();
      const horizontal = event.key === "ArrowLeft" || event.key === "ArrowRight";
      const flip = horizontal && document.documentElement.dir === "rtl" ? -1 : 1;
      const k = Math.min(Math.max(shown + step * flip, 0), data.dates.length - 1);
      show(k);
      explain(f, event.target);
      return;
    }
    if ((event.key === "Enter" || event.key === " ") && f !== -1) {
      event.preventDefault();
      pinned = f;
      pinnedEl = event.target;
      explain(f, event.target);
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      hide();
    }
  });
  slider.addEventListener("input", () => show(Number(slider.value)));
  play.addEventListener("click", togglePlay);
  window.addEventListener("hashchange", () => {
    const k = dateFromHash();
    if (k >= 0) {
      show(k, true);
    }
  });
  /* Zoom and pan: the map's viewBox, within its frame, from the whole map to 1/24 of it;
   * the labels are text and grow with it. */
  const whole = map.getAttribute("viewBox").split(" ").map(Number);
  let view = whole.slice();
  const MAX_ZOOM = 24;

  /* Zoomed in on a detail frame's extent, the page shows what the detail frame of the PDF
   * does: its places and labels, in place of the main map's labels there. */
  const details = [...map.querySelectorAll(".detail")].map((g) => g.dataset.zoom.split(" ").map(Number));
  const inside = (b, x, y) => x >= b[0] && x <= b[0] + b[2] && y >= b[1] && y <= b[1] + b[3];
  map.querySelectorAll(".labels:not(.cm-deep-only) text").forEach((t) => {
    const b = t.getBBox();
    if (details.some((d) => inside(d, b.x + b.width / 2, b.y + b.height / 2))) {
      t.classList.add("cm-in-detail");
    }
  });

  function setDeep() {
    const cx = view[0] + view[2] / 2;
    const cy = view[1] + view[3] / 2;
    const deep = details.some((d) => inside(d, cx, cy) && view[2] <= d[2] * 2.5);
    map.classList.toggle("cm-deep", deep);
    map.querySelectorAll(".cm-deep-only").forEach((g) => {
      g.setAttribute("visibility", deep ? "visible" : "hidden");
    });
  }

  function setView(x, y, w, h) {
    const k = Math.min(Math.max(w / whole[2], 1 / MAX_ZOOM), 1);
    const vw = whole[2] * k;
    const vh = whole[3] * k;
    const cx = x + w / 2;
    const cy = y + h / 2;
    const vx = Math.min(Math.max(cx - vw / 2, whole[0]), whole[0] + whole[2] - vw);
    const vy = Math.min(Math.max(cy - vh / 2, whole[1]), whole[1] + whole[3] - vh);
    view = [vx, vy, vw, vh];
    map.setAttribute("viewBox", view.map((v) => v.toFixed(2)).join(" "));
    map.classList.toggle("cm-zoomed", k < 1);
    setDeep();
    if (!tip.hidden && pinned === null) {
      tip.hidden = true;
    } else if (pinned !== null) {
      explain(pinned, pinnedEl);
    }
  }

  /* Zooms by `factor` (above 1: in) about the map point (ux, uy), which stays put. */
  function zoomAt(factor, ux, uy) {
    const w = view[2] / factor;
    const h = view[3] / factor;
    const fx = (ux - view[0]) / view[2];
    const fy = (uy - view[1]) / view[3];
    setView(ux - fx * w, uy - fy * h, w, h);
  }

  function zoomCentre(factor) {
    zoomAt(factor, view[0] + view[2] / 2, view[1] + view[3] / 2);
  }

  /* A point on the screen as a point of the map's viewBox. */
  function toMap(clientX, clientY) {
    const r = map.getBoundingClientRect();
    return [view[0] + (clientX - r.left) / r.width * view[2],
      view[1] + (clientY - r.top) / r.height * view[3]];
  }

  function zoomTo(box) {
    const [x, y, w, h] = box.split(" ").map(Number);
    /* the extent with a margin, at the frame's proportions */
    const k = Math.max(w / whole[2], h / whole[3]) * 1.15;
    setView(x + w / 2 - whole[2] * k / 2, y + h / 2 - whole[3] * k / 2, whole[2] * k, whole[3] * k);
  }

  document.getElementById("cm-zoom-in").addEventListener("click", () => zoomCentre(1.6));
  document.getElementById("cm-zoom-out").addEventListener("click", () => zoomCentre(1 / 1.6));
  document.getElementById("cm-zoom-reset").addEventListener("click", () => setView(...whole));
  document.querySelectorAll("button[data-zoom]").forEach((b) => {
    b.addEventListener("click", () => zoomTo(b.dataset.zoom));
  });
  map.querySelectorAll(".detail").forEach((g) => {
    g.addEventListener("click", () => zoomTo(g.dataset.zoom));
  });
  map.addEventListener("wheel", (event) => {
    if (event.ctrlKey) {
      event.preventDefault();
      zoomAt(Math.exp(-event.deltaY / 300), ...toMap(event.clientX, event.clientY));
    }
  }, { passive: false });

  /* Drag with one pointer pans; pinch with two zooms about their middle.  A drag suppresses
   * the click that ends it, so that panning does not pin a tooltip. */
  const pointers = new Map();
  let gesture = null;
  let dragged = false;
  function gestureOf() {
    const p = [...pointers.values()];
    const mid = p.length > 1 ? [(p[0][0] + p[1][0]) / 2, (p[0][1] + p[1][1]) / 2] : p[0];
    const dist = p.length > 1 ? Math.hypot(p[0][0] - p[1][0], p[0][1] - p[1][1]) : 0;
    return { mid, dist, n: p.length, at: toMap(...mid), view: view.slice() };
  }
  map.addEventListener("pointerdown", (event) => {
    pointers.set(event.pointerId, [event.clientX, event.clientY]);
    gesture = gestureOf();
    dragged = false;
  });
  map.addEventListener("pointermove", (event) => {
    if (!pointers.has(event.pointerId) || !gesture) {
      return;
    }
    pointers.set(event.pointerId, [event.clientX, event.clientY]);
    const now = gestureOf();
    if (now.n !== gesture.n) {
      gesture = now;
      return;
    }
    const moved = Math.hypot(now.mid[0] - gesture.mid[0], now.mid[1] - gesture.mid[1]);
    if (!dragged && moved < 4 && now.n === 1) {
      return;
    }
    if (!dragged) {
      dragged = true;
      map.setPointerCapture(event.pointerId);
    }
    const r = map.getBoundingClientRect();
    const scale = now.n > 1 && gesture.dist > 0 ? gesture.dist / now.dist : 1;
    const w = gesture.view[2] * scale;
    const h = gesture.view[3] * scale;
    /* the map point under the gesture's start stays under its middle */
    const fx = (now.mid[0] - r.left) / r.width;
    const fy = (now.mid[1] - r.top) / r.height;
    setView(gesture.at[0] - fx * w, gesture.at[1] - fy * h, w, h);
  });
  const lift = (event) => {
    pointers.delete(event.pointerId);
    gesture = pointers.size ? gestureOf() : null;
  };
  map.addEventListener("pointerup", lift);
  map.addEventListener("pointercancel", lift);
  map.addEventListener("click", (event) => {
    if (dragged) {
      event.stopImmediatePropagation();
      dragged = false;
    }
  }, true);
  document.addEventListener("keydown", (event) => {
    const t = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || (t.tagName === "INPUT" && t.type !== "range")) {
      return;
    }
    if (event.key === "+" || event.key === "=") {
      zoomCentre(1.6);
    } else if (event.key === "-" || event.key === "\u2212") {
      zoomCentre(1 / 1.6);
    } else if (event.key === "0") {
      setView(...whole);
    }
  });

  const start = dateFromHash();
  show(start >= 0 ? start : data.dates.length - 1, start >= 0);
})();
