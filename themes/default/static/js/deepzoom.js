/*
 * deepzoom.js - the deep-zoom viewer of an object's photos (progressive
 * enhancement of partials/deepzoom.mustache).
 *
 * Without this file (or without OpenSeadragon, fetched from npm into
 * /static/vendor/) the object page shows its lead picture as before. With
 * it, the viewer opens on the photos' IIIF tile services (data-tiles: the
 * info.json URLs, lead first), one photo at a time with previous/next when
 * there are several. No inline script (CSP: script-src 'self').
 */
(function () {
  'use strict';

  var box = document.getElementById('deepzoom-viewer');
  if (!box || typeof window.OpenSeadragon !== 'function') {
    return;
  }
  var tiles = (box.getAttribute('data-tiles') || '').split(' ').filter(Boolean);
  if (tiles.length === 0) {
    return;
  }
  box.hidden = false;
  var hint = document.querySelector('.deepzoom-hint');
  if (hint) {
    hint.hidden = false;
  }
  /* Each info.json is read here and its id (the site's configured address)
   * replaced by this page's own: the tiles then come from where the page
   * came from, which the Content-Security-Policy (img-src 'self') allows
   * even when the site is reached under another name. */
  Promise.all(tiles.map(function (url) {
    return fetch(url, { credentials: 'omit' }).then(function (r) {
      if (!r.ok) {
        throw new Error(url + ': ' + r.status);
      }
      return r.json();
    }).then(function (info) {
      info.id = new URL(url, window.location.href).href.replace(/\/info\.json$/, '');
      return info;
    });
  })).then(function (sources) {
    /* The buttons' names in the page's language (the template's data-*). */
    [['ZoomIn', 'zoomIn'], ['ZoomOut', 'zoomOut'], ['Home', 'home'], ['FullPage', 'fullPage'],
      ['NextPage', 'nextPage'], ['PreviousPage', 'previousPage']].forEach(function (pair) {
      var name = box.dataset[pair[1]];
      if (name) {
        window.OpenSeadragon.setString('Tooltips.' + pair[0], name);
      }
    });
    var viewer = window.OpenSeadragon({
      element: box,
      prefixUrl: box.getAttribute('data-images'),
      tileSources: sources,
      sequenceMode: sources.length > 1,
      showNavigator: true,
      showRotationControl: false,
      gestureSettingsMouse: { clickToZoom: true, scrollToZoom: true }
    });
    /* For the browser test and for readers of the DOM: the viewer is
     * ready once the first photo is open. */
    viewer.addHandler('open', function () {
      box.setAttribute('data-state', 'open');
    });
    viewer.addHandler('open-failed', function () {
      box.setAttribute('data-state', 'failed');
    });
    window.senDeepzoom = viewer;
  }, function () {
    box.setAttribute('data-state', 'failed');
  });
})();
