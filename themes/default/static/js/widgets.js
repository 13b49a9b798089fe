/*
 * widgets.js - progressive enhancement for "Đánh giá" and "Bình luận".
 *
 * Everything works without this file: the rating and comment forms post and
 * the server redirects back. With it:
 *  - a star click (or the button) sends the rating to the JSON API and the
 *    count and average change in place;
 *  - "Mã khác" draws a new CAPTCHA picture without reloading the page;
 *  - readers who cannot see the picture can let the browser solve a
 *    proof-of-work challenge instead (docs/VISITORS.md);
 *  - the comment box counts characters against the 4.000 limit.
 * Loaded with defer from partials/comments.mustache; no inline script (CSP).
 * Every message it shows comes from the page, rendered from the catalog of
 * the reader's language (locale/*.po) into data-msg-* attributes; "{n}"
 * in a message stands for a number.
 */
(function () {
  'use strict';

  var vi = (document.documentElement.getAttribute('lang') || 'vi').indexOf('en') !== 0;

  function groupDigits(s) {
    var out = '';
    while (s.length > 3) {
      out = (vi ? '.' : ',') + s.slice(-3) + out;
      s = s.slice(0, -3);
    }
    return s + out;
  }

  /* 697826 -> "697.826"; 4.3 -> "4,3" (the page's own formats, core/fmt.h). */
  function formatInt(n) {
    return groupDigits(String(Math.floor(n)));
  }

  function formatAverage(x) {
    var tenths = Math.round(x * 10);
    return groupDigits(String(Math.floor(tenths / 10))) + (vi ? ',' : '.') + (tenths % 10);
  }

  /* The message data-msg-NAME of el, with {n} replaced by the number n. */
  function text(el, name, n) {
    var s = (el && el.getAttribute('data-msg-' + name)) || '';
    return n === undefined ? s : s.replace('{n}', formatInt(n));
  }

  function postJSON(url, data) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(data)
    }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; },
                           function () { return { status: r.status, body: {} }; });
    });
  }

  /* ---- rating ---- */

  function setupRating(form) {
    var summary = document.querySelector('[data-rating-summary]');
    var message = document.querySelector('[data-rating-message]');
    var busy = false;

    function done(text) {
      if (message) message.textContent = text;
      var inputs = form.querySelectorAll('input, button');
      for (var i = 0; i < inputs.length; i++) inputs[i].disabled = true;
    }

    function send(stars) {
      if (busy) return;
      busy = true;
      postJSON(form.getAttribute('data-api'), { stars: stars }).then(function (res) {
        busy = false;
        if (res.status === 200) {
          if (summary) {
            summary.textContent = summary.getAttribute('data-count-label') + ' ' +
              formatInt(res.body.count) + ', ' + summary.getAttribute('data-average-label') +
              ' ' + formatAverage(res.body.average);
          }
          done(text(form, 'thanks'));
        } else if (res.status === 409) {
          done(res.body.message || text(form, 'already'));
        } else if (message) {
          message.textContent = res.body.message || text(form, 'failed');
        }
      }, function () {
        /* The network or the API failed: the plain form still works. */
        busy = false;
        form.submit();
      });
    }

    form.addEventListener('submit', function (e) {
      var checked = form.querySelector('input[name="stars"]:checked');
      if (!checked) return;
      e.preventDefault();
      send(parseInt(checked.value, 10));
    });
    /* A click on a star sends at once. Keyboard users move between the
     * stars with the arrow keys (which must not send) and press the button. */
    var labels = form.querySelectorAll('.stars label');
    for (var i = 0; i < labels.length; i++) {
      labels[i].addEventListener('click', function (e) {
        var input = document.getElementById(this.getAttribute('for'));
        if (!input || input.disabled) return;
        e.preventDefault();
        input.checked = true;
        send(parseInt(input.value, 10));
      });
    }
  }

  /* ---- SHA-256 for the proof of work ---- */

  /* A small SHA-256 for pages served over plain HTTP, where browsers do not
   * offer crypto.subtle. Input: a byte array; output: a Uint8Array(32). */
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];

  function sha256(bytes) {
    var len = bytes.length;
    var blocks = ((len + 9 + 63) >> 6) << 6;
    var m = new Uint8Array(blocks);
    m.set(bytes);
    m[len] = 0x80;
    var bits = len * 8;
    m[blocks - 4] = (bits >>> 24) & 255;
    m[blocks - 3] = (bits >>> 16) & 255;
    m[blocks - 2] = (bits >>> 8) & 255;
    m[blocks - 1] = bits & 255;
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = new Array(64);
    for (var off = 0; off < blocks; off += 64) {
      for (var t = 0; t < 16; t++) {
        var j = off + t * 4;
        w[t] = (m[j] << 24) | (m[j + 1] << 16) | (m[j + 2] << 8) | m[j + 3];
      }
      for (t = 16; t < 64; t++) {
        var a15 = w[t - 15], a2 = w[t - 2];
        var s0 = ((a15 >>> 7) | (a15 << 25)) ^ ((a15 >>> 18) | (a15 << 14)) ^ (a15 >>> 3);
        var s1 = ((a2 >>> 17) | (a2 << 15)) ^ ((a2 >>> 19) | (a2 << 13)) ^ (a2 >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (t = 0; t < 64; t++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var ch = (e & f) ^ (~e & g);
        var t1 = (k + S1 + ch + K[t] + w[t]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var maj = (a & b) ^ (a & c) ^ (b & c);
        var t2 = (S0 + maj) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    var out = new Uint8Array(32);
    for (var i = 0; i < 8; i++) {
      out[i * 4] = h[i] >>> 24; out[i * 4 + 1] = (h[i] >>> 16) & 255;
      out[i * 4 + 2] = (h[i] >>> 8) & 255; out[i * 4 + 3] = h[i] & 255;
    }
    return out;
  }

  function ascii(s) {
    var b = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 255;
    return b;
  }

  function leadingZeroBits(hash, bits) {
    for (var i = 0; bits > 0; i++, bits -= 8) {
      var mask = bits >= 8 ? 255 : (255 << (8 - bits)) & 255;
      if ((hash[i] & mask) !== 0) return false;
    }
    return true;
  }

  /* Finds a nonce (base 36) such that SHA-256(challenge + nonce) starts with
   * `bits` zero bits. Works in slices so the page stays responsive; uses
   * crypto.subtle when the page is a secure context, else sha256() above. */
  function solve(challenge, bits, progress) {
    var subtle = window.crypto && window.crypto.subtle && window.isSecureContext;
    var counter = 0;
    return new Promise(function (resolve, reject) {
      function slice() {
        if (subtle) {
          var batch = [];
          for (var i = 0; i < 256; i++) {
            batch.push(window.crypto.subtle.digest('SHA-256', ascii(challenge + (counter + i).toString(36))));
          }
          Promise.all(batch).then(function (hashes) {
            for (var j = 0; j < hashes.length; j++) {
              if (leadingZeroBits(new Uint8Array(hashes[j]), bits)) {
                resolve((counter + j).toString(36));
                return;
              }
            }
            counter += hashes.length;
            progress(counter);
            setTimeout(slice, 0);
          }, reject);
          return;
        }
        var end = counter + 20000;
        for (; counter < end; counter++) {
          var nonce = counter.toString(36);
          if (leadingZeroBits(sha256(ascii(challenge + nonce)), bits)) {
            resolve(nonce);
            return;
          }
        }
        progress(counter);
        setTimeout(slice, 0);
      }
      slice();
    });
  }

  /* ---- comment form ---- */

  function setupCaptcha(form) {
    var img = form.querySelector('[data-captcha-img]');
    var again = form.querySelector('[data-captcha-new]');
    var input = form.querySelector('[data-captcha-input]');
    if (img && again) {
      var base = img.getAttribute('src').replace(/&r=\d+$/, '');
      again.addEventListener('click', function (e) {
        e.preventDefault();
        /* A new URL makes the server draw a new code and set its cookie. */
        img.setAttribute('src', base + '&r=' + Date.now());
        if (input) {
          input.value = '';
          input.focus();
        }
      });
    }

    var pow = form.querySelector('[data-pow]');
    if (!pow || !window.fetch || !window.Promise || !window.Uint8Array) return;
    pow.hidden = false;
    var start = pow.querySelector('[data-pow-start]');
    var status = pow.querySelector('[data-pow-status]');
    var challengeField = pow.querySelector('[data-pow-challenge]');
    var nonceField = pow.querySelector('[data-pow-nonce]');
    start.addEventListener('click', function () {
      start.disabled = true;
      status.textContent = text(pow, 'working');
      fetch(pow.getAttribute('data-pow-url'), { credentials: 'same-origin', cache: 'no-store' })
        .then(function (r) {
          if (!r.ok) throw new Error('HTTP ' + r.status);
          return r.json();
        })
        .then(function (c) {
          var shown = 0;
          return solve(c.challenge, c.difficulty, function (tried) {
            var k = Math.floor(tried / 100000);
            if (k > shown) {
              shown = k;
              status.textContent = text(pow, 'progress', tried);
            }
          }).then(function (nonce) {
            challengeField.value = c.challenge;
            nonceField.value = nonce;
            if (input) input.removeAttribute('required');
            status.textContent = text(pow, 'done');
          });
        })
        .catch(function () {
          start.disabled = false;
          status.textContent = text(pow, 'failed');
        });
    });
  }

  function setupCounter(form) {
    var body = form.querySelector('[data-comment-body]');
    var hint = form.querySelector('[data-comment-count]');
    if (!body || !hint) return;
    var original = hint.textContent;
    function update() {
      /* Characters as the server counts them: code points. */
      var n = Array.from ? Array.from(body.value).length : body.value.length;
      if (n === 0) {
        hint.textContent = original;
      } else if (n <= 4000) {
        hint.textContent = original + ' ' + text(hint, 'typed', n);
      } else {
        hint.textContent = text(hint, 'too-long', n);
      }
    }
    body.addEventListener('input', update);
    update();
  }

  function init() {
    var rating = document.querySelector('[data-rating-form]');
    if (rating && window.fetch && window.JSON && window.Promise) setupRating(rating);
    var comment = document.querySelector('[data-comment-form]');
    if (comment) {
      setupCaptcha(comment);
      setupCounter(comment);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
