/* moderation.js - "select all" on the comment queue. The page works
 * without it: each comment has its own checkbox. */
(function () {
  'use strict';
  var all = document.getElementById('mod-all');
  if (!all) return;
  var boxes = document.querySelectorAll('input.mod-pick[form="mod-bulk"]');
  if (boxes.length === 0) return;
  all.parentNode.hidden = false;
  all.addEventListener('change', function () {
    for (var i = 0; i < boxes.length; i++) boxes[i].checked = all.checked;
  });
})();
