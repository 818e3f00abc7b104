/* Khozchast's small script: the jobs Flask-Admin's inline event handlers did (they are not allowed by our
   Content-Security-Policy), and the record version carried by inline edits (optimistic locking). */
(function ($) {
  'use strict';

  // Links that only open menus must not navigate to "javascript:" (CSP refuses it and reports).
  // Capture phase: some menu scripts stop the click from bubbling up to the document.
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[href^="javascript:"]');
    if (link) {
      event.preventDefault();
    }
  }, true);

  // The error pages' «Back» button.
  $(document).on('click', '#error-back', function () {
    window.history.back();
  });

  // Delete buttons ask first.
  $(document).on('click', 'button[data-confirm]', function (event) {
    if (!window.confirm($(this).data('confirm'))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  });

  // Ticks survive paging: each list keeps its ticked ids for the browser tab; ids ticked on other pages
  // ride along as hidden ticked boxes, so Flask-Admin's action form sends them all.
  var tickKey = 'khozchast-ticks:' + window.location.pathname;
  function storedTicks() {
    try { return JSON.parse(window.sessionStorage.getItem(tickKey) || '[]'); } catch (e) { return []; }
  }
  function saveTicks(ids) { window.sessionStorage.setItem(tickKey, JSON.stringify(ids)); }
  function showTicks() {
    var ids = storedTicks();
    var onPage = $('table input.action-checkbox').map(function () { return this.value; }).get();
    var $hidden = $('#offpage-ticks').empty();
    ids.forEach(function (id) {
      if (onPage.indexOf(id) < 0) {
        $('<input type="checkbox" class="action-checkbox" name="rowid" checked>').val(id).appendTo($hidden);
      }
    });
    var $status = $('#selection-status');
    var offPage = $hidden.children().length;
    if (offPage > 0) {
      $status.text(String($status.data('text')).replace('__N__', ids.length) + ' ')
        .append($('<a href="#" id="selection-clear">').text($status.data('clear')))
        .removeClass('d-none').insertBefore('table.model-list');
    } else {
      $status.addClass('d-none');
    }
  }
  function tick(box) {
    var ids = storedTicks().filter(function (id) { return id !== box.value; });
    if (box.checked) { ids.push(box.value); }
    saveTicks(ids);
  }
  $(function () {
    var ids = storedTicks();
    $('table input.action-checkbox').each(function () {
      if (ids.indexOf(this.value) >= 0) { this.checked = true; }
    });
    showTicks();
  });
  $(document).on('change', 'table input.action-checkbox', function () { tick(this); showTicks(); });
  $(document).on('change', '.action-rowtoggle', function () {
    $('table input.action-checkbox').each(function () { tick(this); });
    showTicks();
  });
  $(document).on('click', '#selection-clear', function (event) {
    event.preventDefault();
    saveTicks([]);
    $('table input.action-checkbox').prop('checked', false);
    showTicks();
  });

  // Batch actions from the "With selected" menu; once sent, the selection is done with.
  $(document).on('click', 'a[data-model-action]', function (event) {
    event.preventDefault();
    if (window.modelActions) {
      window.modelActions.execute($(this).data('model-action'));
      window.sessionStorage.removeItem(tickKey);
    }
  });

  // Inline edits send the version of the row they show; the answer carries the new one.
  // (On "load": after form.js has turned the cells into x-editable widgets.)
  $(window).on('load', function () {
    $('a[data-role^="x-editable"][data-version]').each(function () {
      var $el = $(this);
      $el.editable('option', 'params', function (params) {
        var data = {list_form_pk: params.pk, version: $el.attr('data-version')};
        data[params.name] = params.value;
        if ($el.data('csrf')) {
          data.csrf_token = $el.data('csrf');
        }
        return data;
      });
    });
  });
  $(document).ajaxSuccess(function (event, xhr) {
    var pk = xhr.getResponseHeader('X-Record-Pk');
    var version = xhr.getResponseHeader('X-Record-Version');
    if (pk && version) {
      $('a[data-role^="x-editable"]').filter(function () {
        return String($(this).data('pk')) === pk;
      }).attr('data-version', version);
    }
  });
})(window.jQuery);
