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
  var viewer = window.OpenSeadragon({
    element: box,
    prefixUrl: box.getAttribute('data-images'),
    tileSources: tiles,
    sequenceMode: tiles.length > 1,
    showNavigator: true,
    showRotationControl: false,
    crossOriginPolicy: false,
    gestureSettingsMouse: { clickToZoom: true, scrollToZoom: true }
  });
  /* For the browser test and for readers of the DOM: the viewer is ready
   * once the first photo's tiles are drawn. */
  viewer.addHandler('open', function () {
    box.setAttribute('data-state', 'open');
  });
  viewer.addHandler('open-failed', function () {
    box.setAttribute('data-state', 'failed');
  });
  window.senDeepzoom = viewer;
})();
