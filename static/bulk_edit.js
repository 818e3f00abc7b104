// Bulk edit form: touching a field's value ticks it, so the clerk need not do both.
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('#bulk-edit-form tr.bulk-field').forEach(function (row) {
    var tick = row.querySelector('.bulk-tick');
    row.querySelectorAll('td:nth-child(3) input, td:nth-child(3) select, td:nth-child(3) textarea, .bulk-clear')
      .forEach(function (el) { el.addEventListener('change', function () { tick.checked = true; }); });
    if (window.jQuery) {
      window.jQuery(row).find('td:nth-child(3) [data-role]').on('change', function () { tick.checked = true; });
    }
  });
});
