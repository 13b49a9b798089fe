/*
 * editor_js_test.js - runs themes/default/static/js/admin/editor.js against a
 * small fake page (no browser here): the unsaved copy is kept, offered and
 * restored; a page after a save forgets it; the preview follows the body;
 * an expired session (401) is announced and stops the form from being sent
 * while the copy stays.
 *
 * Usage: node editor_js_test.js PATH/TO/editor.js   (exit status 0 = passed)
 */
"use strict";
const fs = require("fs");
const vm = require("vm");
const assert = require("assert");

const source = fs.readFileSync(process.argv[2], "utf8");

function makeElement(tag, attrs) {
  const el = {
    tagName: tag.toUpperCase(), attrs: Object.assign({}, attrs || {}), hidden: !!(attrs && "hidden" in attrs),
    value: (attrs && attrs.value) || "", listeners: {}, innerHTML: "", textContent: (attrs && attrs.text) || "",
    options: [], children: [], classList: { set: new Set(), add(c) { this.set.add(c); }, remove(c) { this.set.delete(c); } },
    getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; },
    hasAttribute(n) { return n in this.attrs; },
    addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); },
    dispatch(type, extra) {
      const ev = Object.assign({ type, target: this, defaultPrevented: false,
        preventDefault() { this.defaultPrevented = true; } }, extra || {});
      (this.listeners[type] || []).forEach((fn) => fn.call(this, ev));
      return ev;
    },
    appendChild(c) { this.children.push(c); if (this.tagName === "SELECT") this.options.push(c); },
    scrollIntoView() {},
    focus() {},
    querySelector() { return null; },
  };
  return el;
}

function makePage(opts) {
  const fields = {
    title: makeElement("input", { name: "title", value: "Tiêu đề đã lưu" }),
    summary: makeElement("textarea", { name: "summary", value: "" }),
    category: makeElement("select", { name: "category", value: "1" }),
    tags: makeElement("input", { name: "tags", value: "" }),
    body: makeElement("textarea", { name: "body", value: "Nội dung đã lưu" }),
    image_1: makeElement("select", { name: "image_1", value: "" }),
    caption_1: makeElement("input", { name: "caption_1", value: "" }),
  };
  fields.category.options = [{ value: "" }, { value: "1" }, { value: "2" }];
  fields.image_1.options = [{ value: "" }, { value: "a.png" }];
  for (const k in fields) fields[k].name = k;
  const formAttrs = { "data-draft-key": "sen-editor:7", "data-new-key": "sen-editor:new:3",
    "data-preview-url": "/admin/bai-viet/xem-truoc", "data-preview-csrf": "ab" };
  if (opts.saved) formAttrs["data-saved"] = "1";
  const form = makeElement("form", formAttrs);
  const list = Object.values(fields);
  form.elements = Object.assign(list.slice(), fields);
  form.elements.length = list.length;
  const submitButton = makeElement("button", { type: "submit", name: "do", value: "save" });
  const insert = makeElement("button", { "data-insert-row": "1", hidden: "" });
  form.querySelector = (sel) => (sel === "button[type=submit]" ? (opts.readonly ? null : submitButton) : null);
  form.querySelectorAll = () => [insert];
  form.requestSubmit = () => { form.sent = (form.sent || 0) + 1; };
  const previewBox = makeElement("section", {});
  const preview = makeElement("div", {});
  preview.parentNode = previewBox;
  preview.querySelector = (sel) => (sel === ".admin-hint" ? (opts.hint ? {} : null) : null);
  const ids = {
    "editor-form": form,
    "editor-preview": preview,
    "editor-draft-note": makeElement("p", { hidden: "" }),
    "editor-draft-text": makeElement("span", { text: "Có bản chưa lưu." }),
    "editor-draft-restore": makeElement("button", {}),
    "editor-draft-discard": makeElement("button", {}),
    "editor-expired": makeElement("p", { hidden: "" }),
  };
  const store = new Map(Object.entries(opts.storage || {}));
  const timers = [];
  const fetches = [];
  const sandbox = {
    document: { getElementById: (id) => ids[id] || null, createElement: (t) => makeElement(t, {}) },
    window: {
      localStorage: {
        getItem: (k) => (store.has(k) ? store.get(k) : null),
        setItem: (k, v) => store.set(k, String(v)),
        removeItem: (k) => store.delete(k),
      },
      fetch: true,
    },
    fetch: (url, init) => {
      fetches.push({ url, init });
      const status = opts.previewStatus || 200;
      return Promise.resolve({ status, ok: status === 200, text: () => Promise.resolve("<p><strong>x</strong></p>") });
    },
    setTimeout: (fn) => { timers.push(fn); return timers.length; },
    clearTimeout: () => {},
    Date, JSON, encodeURIComponent, Promise,
  };
  sandbox.window.AbortController = undefined;
  vm.createContext(sandbox);
  vm.runInContext(source, sandbox);
  const runTimers = () => { while (timers.length) timers.shift()(); };
  return { form, fields, ids, store, fetches, runTimers, preview, insert, submitButton };
}

const flush = () => new Promise((r) => setImmediate(r));

(async () => {
  // 1. A kept copy that differs is offered, and restored on request.
  const kept = JSON.stringify({ title: "Tiêu đề chưa lưu", summary: "", category: "2", tags: "a",
    body: "Nội dung chưa lưu", image_1: "", caption_1: "", savedAt: 1700000000000 });
  let p = makePage({ storage: { "sen-editor:7": kept } });
  assert.strictEqual(p.ids["editor-draft-note"].hidden, false, "copy offered");
  p.ids["editor-draft-restore"].dispatch("click");
  assert.strictEqual(p.fields.title.value, "Tiêu đề chưa lưu");
  assert.strictEqual(p.fields.body.value, "Nội dung chưa lưu");
  assert.strictEqual(p.fields.category.value, "2");
  assert.strictEqual(p.ids["editor-draft-note"].hidden, true);

  // 2. Typing keeps a copy; the preview follows the body.
  p = makePage({});
  assert.strictEqual(p.ids["editor-draft-note"].hidden, true, "nothing to offer");
  p.fields.body.value = "**mới**";
  p.form.dispatch("input", { target: p.fields.body });
  p.runTimers();
  const copy = JSON.parse(p.store.get("sen-editor:7"));
  assert.strictEqual(copy.body, "**mới**");
  assert.strictEqual(p.fetches.length, 1);
  assert.strictEqual(p.fetches[0].url, "/admin/bai-viet/xem-truoc");
  assert.ok(p.fetches[0].init.body.startsWith("csrf=ab&body="));
  await flush(); await flush();
  assert.strictEqual(p.preview.innerHTML, "<p><strong>x</strong></p>");

  // 3. Sending: the session is checked first, then the form goes.
  let ev = p.form.dispatch("submit", { submitter: p.submitButton });
  assert.ok(ev.defaultPrevented);
  await flush(); await flush();
  assert.strictEqual(p.form.sent, 1, "sent after the check");

  // 4. An expired session: warned, the copy kept, the form not sent.
  p = makePage({ previewStatus: 401 });
  p.fields.title.value = "Viết khi phiên đã hết";
  p.form.dispatch("input", { target: p.fields.title });
  p.runTimers();
  ev = p.form.dispatch("submit", { submitter: p.submitButton });
  assert.ok(ev.defaultPrevented);
  await flush(); await flush();
  assert.strictEqual(p.form.sent, undefined, "not sent");
  assert.strictEqual(p.ids["editor-expired"].hidden, false, "warned");
  assert.strictEqual(JSON.parse(p.store.get("sen-editor:7")).title, "Viết khi phiên đã hết");
  ev = p.form.dispatch("submit", { submitter: p.submitButton });
  assert.ok(ev.defaultPrevented, "still held back");

  // 5. The page after a save forgets the copies (this article's and "new").
  p = makePage({ saved: true, storage: { "sen-editor:7": kept, "sen-editor:new:3": kept } });
  assert.strictEqual(p.store.has("sen-editor:7"), false);
  assert.strictEqual(p.store.has("sen-editor:new:3"), false);
  assert.strictEqual(p.ids["editor-draft-note"].hidden, true);

  // 6. Read-only: nothing kept, nothing offered.
  p = makePage({ readonly: true, storage: { "sen-editor:7": kept } });
  assert.strictEqual(p.ids["editor-draft-note"].hidden, true);
  p.form.dispatch("change", {});
  assert.strictEqual(p.store.get("sen-editor:7"), kept);

  // 7. Inserting a chosen picture writes its Markdown into the body.
  p = makePage({});
  assert.strictEqual(p.insert.hidden, false);
  p.fields.image_1.value = "a.png";
  p.fields.caption_1.value = "Chú thích [1]";
  p.fields.body.selectionStart = p.fields.body.value.length;
  p.insert.dispatch("click");
  assert.ok(p.fields.body.value.endsWith("\n\n![Chú thích 1](a.png)\n\n"), p.fields.body.value);

  console.log("editor.js: 7 checks passed");
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
