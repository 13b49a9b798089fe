/* taxonomy.js - optional help for the categories and links screens of the
 * back office. Every action works without it (arrow buttons are small POST
 * forms); this adds:
 *   - drag and drop to reorder a list marked data-tax-order="FORM-ID": on
 *     drop, the ids in the new order go into the form's "order" field and
 *     the form is posted (the server checks the list and the CSRF token);
 *   - a confirmation before forms marked data-confirm="question" are sent.
 * No inline script (the admin CSP is script-src 'self').
 */
(function () {
  'use strict';

  function ids(list) {
    var out = [];
    var items = list.querySelectorAll('.tax-item[data-id]');
    for (var i = 0; i < items.length; i++) out.push(items[i].getAttribute('data-id'));
    return out.join(',');
  }

  function sortable(list) {
    var form = document.getElementById(list.getAttribute('data-tax-order'));
    if (!form || !form.elements.order) return;
    var items = list.querySelectorAll('.tax-item[data-id]');
    if (items.length < 2) return;
    var dragged = null;
    var before = ids(list);
    list.classList.add('is-sortable');
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      item.setAttribute('draggable', 'true');
      item.addEventListener('dragstart', function (e) {
        dragged = this;
        this.classList.add('is-dragging');
        e.dataTransfer.effectAllowed = 'move';
        try { e.dataTransfer.setData('text/plain', this.getAttribute('data-id')); } catch (err) { /* old browsers */ }
      });
      /* dragend comes whether or not the drop landed on the list. */
      item.addEventListener('dragend', function () {
        this.classList.remove('is-dragging');
        dragged = null;
        var now = ids(list);
        if (now === before) return;
        before = now;
        form.elements.order.value = now;
        form.submit();
      });
      item.addEventListener('dragover', function (e) {
        if (!dragged || dragged === this) return;
        e.preventDefault();
        var box = this.getBoundingClientRect();
        var after = (e.clientY - box.top) > box.height / 2;
        list.insertBefore(dragged, after ? this.nextSibling : this);
      });
      item.addEventListener('drop', function (e) { e.preventDefault(); });
    }
    list.addEventListener('drop', function (e) { e.preventDefault(); });
  }

  function confirmations() {
    var forms = document.querySelectorAll('form[data-confirm]');
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener('submit', function (e) {
        if (!window.confirm(this.getAttribute('data-confirm'))) e.preventDefault();
      });
    }
  }

  function start() {
    var lists = document.querySelectorAll('[data-tax-order]');
    for (var i = 0; i < lists.length; i++) sortable(lists[i]);
    confirmations();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
