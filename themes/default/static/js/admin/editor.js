/*
 * editor.js - makes the article editor nicer; the form works without it.
 *
 *  - Live preview: while the body is typed, it is sent (debounced) to the
 *    preview endpoint, which renders it with the same code as the public
 *    page; the answer replaces the preview pane.
 *  - Unsaved work survives: every change is copied to localStorage under
 *    the form's data-draft-key (one per article, one for a new article of
 *    each account). When the page opens with a copy that differs from what
 *    the server shows, the writer is offered to restore it. A page shown
 *    after a successful save (data-saved) forgets the copy.
 *  - An expired session: the preview answers 401 (or 403 when the form's
 *    tokens belong to a session that ended). The writer is warned, the
 *    copy is kept, and the form is not sent (it would only be refused).
 *  - "Insert into the body" puts ![caption](file) for a chosen picture at
 *    the cursor.
 */
(function () {
  "use strict";

  var form = document.getElementById("editor-form");
  if (!form) return;
  var key = form.getAttribute("data-draft-key");
  var previewUrl = form.getAttribute("data-preview-url");
  var previewCsrf = form.getAttribute("data-preview-csrf");
  var preview = document.getElementById("editor-preview");
  var note = document.getElementById("editor-draft-note");
  var expiredBox = document.getElementById("editor-expired");
  var body = form.elements.body;
  var editable = !!form.querySelector("button[type=submit]");
  var expired = false;

  function fieldNames() {
    var names = ["title", "summary", "category", "tags", "body"];
    for (var i = 0; i < form.elements.length; i++) {
      var n = form.elements[i].name;
      if (/^(image|caption)_\d+$/.test(n)) names.push(n);
    }
    return names;
  }

  function current() {
    var out = {};
    fieldNames().forEach(function (n) {
      var el = form.elements[n];
      if (el) out[n] = el.value;
    });
    return out;
  }

  function same(a, b) {
    var names = fieldNames();
    for (var i = 0; i < names.length; i++)
      if ((a[names[i]] || "") !== (b[names[i]] || "")) return false;
    return true;
  }

  function load() {
    try {
      var s = window.localStorage.getItem(key);
      return s ? JSON.parse(s) : null;
    } catch (e) {
      return null;
    }
  }

  function store() {
    if (!editable) return;
    try {
      var v = current();
      v.savedAt = Date.now();
      window.localStorage.setItem(key, JSON.stringify(v));
    } catch (e) {
      /* Private mode or a full storage: nothing to keep the copy in. */
    }
  }

  function forget() {
    try {
      window.localStorage.removeItem(key);
    } catch (e) { /* nothing kept */ }
  }

  function fill(v) {
    fieldNames().forEach(function (n) {
      var el = form.elements[n];
      if (!el || typeof v[n] !== "string") return;
      if (el.tagName === "SELECT") {
        var found = false;
        for (var i = 0; i < el.options.length; i++)
          if (el.options[i].value === v[n]) found = true;
        if (!found) {
          var o = document.createElement("option");
          o.value = v[n];
          o.textContent = v[n];
          el.appendChild(o);
        }
      }
      el.value = v[n];
    });
  }

  /* ---- the unsaved copy ---- */

  if (form.hasAttribute("data-saved")) {
    forget();
    /* A new article just created: its copy under the "new" key is done too. */
    try {
      var newKey = form.getAttribute("data-new-key");
      if (newKey && newKey !== key) window.localStorage.removeItem(newKey);
    } catch (e) { /* nothing kept */ }
  }
  var kept = load();
  if (kept && editable && !same(kept, current()) && note) {
    var when = new Date(kept.savedAt || 0);
    var text = document.getElementById("editor-draft-text");
    if (text && kept.savedAt)
      text.textContent += " (" + when.toLocaleString("vi-VN") + ")";
    note.hidden = false;
    document.getElementById("editor-draft-restore").addEventListener("click", function () {
      fill(kept);
      note.hidden = true;
      schedulePreview();
    });
    document.getElementById("editor-draft-discard").addEventListener("click", function () {
      forget();
      note.hidden = true;
    });
  }

  /* ---- the preview ---- */

  var previewTimer = null, storeTimer = null, inFlight = null;

  function showExpired() {
    expired = true;
    store();
    if (expiredBox) {
      expiredBox.hidden = false;
      expiredBox.scrollIntoView({block: "center"});
    }
  }

  function runPreview() {
    if (!previewUrl || !preview || !body || expired) return;
    if (inFlight && inFlight.abort) inFlight.abort();
    var ctl = window.AbortController ? new AbortController() : null;
    inFlight = ctl;
    preview.parentNode.classList.add("is-stale");
    var data = "csrf=" + encodeURIComponent(previewCsrf) + "&body=" + encodeURIComponent(body.value);
    fetch(previewUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/x-www-form-urlencoded"},
      body: data,
      signal: ctl ? ctl.signal : undefined
    }).then(function (r) {
      if (r.status === 401 || r.status === 403) {
        showExpired();
        return null;
      }
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (html !== null && html !== undefined) {
        /* The server's own output: cmark in safe mode, the same HTML the
         * public page shows. */
        preview.innerHTML = html;
      }
      preview.parentNode.classList.remove("is-stale");
    }).catch(function () {
      preview.parentNode.classList.remove("is-stale");
    });
  }

  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(runPreview, 600);
  }

  form.addEventListener("input", function (e) {
    clearTimeout(storeTimer);
    storeTimer = setTimeout(store, 400);
    if (e.target === body) schedulePreview();
  });
  form.addEventListener("change", function () {
    store();
  });
  /* Before the form is sent, one small request tells whether the session
   * still holds: if not, the form is kept on the page (and in the copy)
   * instead of being answered with the login page. */
  var verified = false;
  form.addEventListener("submit", function (e) {
    store();
    if (expired) {
      e.preventDefault();
      showExpired();
      return;
    }
    if (verified || !previewUrl || !window.fetch) return;
    e.preventDefault();
    var submitter = e.submitter || null;
    fetch(previewUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/x-www-form-urlencoded"},
      body: "csrf=" + encodeURIComponent(previewCsrf) + "&body="
    }).then(function (r) {
      if (r.status === 401 || r.status === 403) {
        showExpired();
        return;
      }
      send(submitter);
    }).catch(function () {
      send(submitter);
    });
  });

  function send(submitter) {
    verified = true;
    if (form.requestSubmit) {
      form.requestSubmit(submitter);
      return;
    }
    /* Older browsers: carry the pressed button's value by hand. */
    if (submitter && submitter.name) {
      var h = document.createElement("input");
      h.type = "hidden";
      h.name = submitter.name;
      h.value = submitter.value;
      form.appendChild(h);
    }
    form.submit();
  }
  /* A page opened without a preview shows one at once. */
  if (body && body.value && preview && preview.querySelector(".admin-hint")) schedulePreview();

  /* ---- inserting pictures ---- */

  var inserts = form.querySelectorAll("[data-insert-row]");
  for (var i = 0; i < inserts.length; i++) {
    if (!editable) continue;
    inserts[i].hidden = false;
    inserts[i].addEventListener("click", function () {
      var n = this.getAttribute("data-insert-row");
      var file = form.elements["image_" + n] ? form.elements["image_" + n].value : "";
      var caption = form.elements["caption_" + n] ? form.elements["caption_" + n].value : "";
      if (!file || !body) return;
      var snippet = "\n\n![" + caption.replace(/[\[\]]/g, "") + "](" + file + ")\n\n";
      var at = typeof body.selectionStart === "number" ? body.selectionStart : body.value.length;
      body.value = body.value.slice(0, at) + snippet + body.value.slice(at);
      body.focus();
      body.selectionStart = body.selectionEnd = at + snippet.length;
      store();
      schedulePreview();
    });
  }
})();
