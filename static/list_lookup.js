/* Filters over big tables (responsible person, room, supplier…) ship no options with the list: their box
   searches the view's filter-lookup as the user types (admin_views/fastlist.py). Flask-Admin draws them as
   plain text boxes; this turns each into its select2 search box, for the filters shown at load, added with
   «Добавить фильтр» or redrawn when the operation changes. */
(function ($) {
  'use strict';

  function lookups() {
    var byArg = {};
    var data = $('#filter-groups-data');
    if (!data.length) {
      return byArg;
    }
    $.each(JSON.parse(data.text()), function (name, items) {
      $.each(items, function (i, item) {
        if (item.type === 'khz-lookup') {
          byArg[String(item.arg)] = item;
        }
      });
    });
    return byArg;
  }

  var byArg = lookups();

  function upgrade() {
    $('input.filter-val').not('[data-khz-lookup]').each(function () {
      var match = /^flt\d+_(.+)$/.exec(this.name || '');
      var item = match && byArg[match[1]];
      if (!item || !window.faForm) {
        return;
      }
      var $el = $(this);
      var value = $el.val();
      var label = value ? ((item.labels || {})[value] || value) : null;
      $el.attr({'data-khz-lookup': '1', 'data-url': item.url, 'data-minimum-input-length': '1',
                'data-json': JSON.stringify(value ? [value, label] : null)});
      window.faForm.applyStyle($el, 'select2-ajax');
    });
  }

  upgrade();
  // Flask-Admin adds or redraws a filter's box in its own handlers; ours run after them.
  $(document).on('click', 'a.filter', function () { setTimeout(upgrade, 0); });
  $(document).on('change', 'select.filter-op', function () { setTimeout(upgrade, 0); });
})(window.jQuery);
