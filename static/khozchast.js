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

  // Batch actions from the "With selected" menu.
  $(document).on('click', 'a[data-model-action]', function (event) {
    event.preventDefault();
    if (window.modelActions) {
      window.modelActions.execute($(this).data('model-action'));
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
