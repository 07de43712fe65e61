// The bureau's dashboard: copy buttons for the 单位' links, and a confirmation before a form marked
// data-confirm is sent (收回链接, 移除单位, 结束收集). A file, not inline: the page's CSP runs no inline script.
"use strict";

function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text).catch(function () { return copyBySelection(text); });
  }
  return copyBySelection(text);
}

function copyBySelection(text) {
  // http on the office network is not a secure context: copy through a selected text field
  const field = document.createElement("textarea");
  field.value = text;
  field.setAttribute("readonly", "");
  field.style.position = "fixed";
  field.style.opacity = "0";
  document.body.appendChild(field);
  field.select();
  const ok = document.execCommand("copy");
  field.remove();
  return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
}

document.addEventListener("click", function (event) {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  event.preventDefault();
  const label = button.textContent;
  copyText(button.getAttribute("data-copy")).then(
    function () { button.textContent = "已复制"; },
    function () { button.textContent = "请手动复制"; });
  setTimeout(function () { button.textContent = label; }, 1500);
});

document.addEventListener("submit", function (event) {
  const question = event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
