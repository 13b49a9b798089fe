/* media.js - uploads the media library's form with XMLHttpRequest so that a
 * <progress> bar shows how much has been sent. Without this script the same
 * form posts normally. The server answers the script in JSON (Accept:
 * application/json): 201 {url} -> go to the picture's page; 4xx {error,
 * detail} -> shown above the button, the form keeps what was typed. */
(function () {
  'use strict';
  /* An item page whose picture is still being processed looks again a few
   * seconds later (at most 20 times), until its sizes are shown. */
  if (document.getElementById('media-processing')) {
    var tries = Number(window.sessionStorage ? sessionStorage.getItem('sen-media-tries') : 0) || 0;
    if (tries < 20) {
      if (window.sessionStorage) {
        sessionStorage.setItem('sen-media-tries', String(tries + 1));
      }
      window.setTimeout(function () { window.location.reload(); }, 3000);
    }
  } else if (window.sessionStorage) {
    sessionStorage.removeItem('sen-media-tries');
  }

  var form = document.getElementById('media-upload-form');
  if (!form || !window.XMLHttpRequest || !window.FormData) {
    return;
  }
  var bar = document.getElementById('media-progress');
  var status = document.getElementById('media-status');
  var button = form.querySelector('button[type="submit"]');

  function say(text) {
    status.textContent = text;
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.getAttribute('action'));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        var pct = Math.round(e.loaded * 100 / e.total);
        bar.value = pct;
        bar.textContent = pct + '%';
      }
    };
    xhr.onload = function () {
      var reply = null;
      try {
        reply = JSON.parse(xhr.responseText);
      } catch (err) {
        reply = null;
      }
      if (xhr.status === 201 && reply && reply.url) {
        window.location.assign(reply.url + '?ok=tai-len');
        return;
      }
      button.disabled = false;
      bar.hidden = true;
      if (reply && reply.error) {
        say(reply.error + (reply.detail ? ' ' + reply.detail : ''));
      } else {
        say(form.getAttribute('data-failed'));
      }
    };
    xhr.onerror = function () {
      button.disabled = false;
      bar.hidden = true;
      say(form.getAttribute('data-failed'));
    };
    bar.hidden = false;
    bar.value = 0;
    button.disabled = true;
    say(form.getAttribute('data-sending'));
    xhr.send(new FormData(form));
  });
}());
