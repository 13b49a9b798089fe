/* print.js - the "In" (print) button of a printed page. Without script the
 * button stays hidden and the browser's own Print command does the same. */
(function () {
  'use strict';
  var buttons = document.querySelectorAll('button[data-print]');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener('click', function () { window.print(); });
  }
})();
