/* «Мои задания»: each unfinished job's bar asks for its state every second; a finished job reloads the page
   so its file's link appears. */
(function ($) {
  'use strict';

  function poll($row) {
    $.getJSON($row.data('state-url')).done(function (state) {
      var $bar = $row.find('.progress-bar');
      var percent = state.percent === null ? 0 : state.percent;
      $bar.css('width', percent + '%').attr('aria-valuenow', percent).text(state.percent === null ? '' : percent + '%');
      $row.find('.job-status').text(state.status_label);
      $row.find('.job-rows').text(state.rows);
      $row.find('.job-remaining').text(state.remaining);
      if (state.finished) {
        window.location.reload();
      } else {
        setTimeout(function () { poll($row); }, 1000);
      }
    }).fail(function () {
      setTimeout(function () { poll($row); }, 5000);
    });
  }

  $('tr.job').each(function () {
    var $row = $(this);
    if (!$row.data('finished')) {
      setTimeout(function () { poll($row); }, 1000);
    }
  });
})(window.jQuery);
