// 区分处理: selecting a passage in the extracted text fills the mark form's
// page, offsets (in characters) and quote. Without this script the passage
// is typed or pasted into the form.
(function () {
  var form = document.getElementById("mark-form");
  if (!form) return;
  document.addEventListener("mouseup", function () {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    var range = sel.getRangeAt(0);
    var pre = range.startContainer.parentElement && range.startContainer.parentElement.closest("pre.redact-src");
    if (!pre || !pre.contains(range.endContainer)) return;
    var before = document.createRange();
    before.selectNodeContents(pre);
    before.setEnd(range.startContainer, range.startOffset);
    var start = Array.from(before.toString()).length;
    var quote = range.toString();
    form.elements.kind.value = "passage";
    form.elements.page.value = pre.dataset.page;
    form.elements.start.value = start;
    form.elements.end.value = start + Array.from(quote).length;
    form.elements.quote.value = quote;
    var note = document.getElementById("mark-selected");
    if (note) note.textContent = "已选定第" + pre.dataset.page + "页的" + Array.from(quote).length + "个字符。";
  });
})();
