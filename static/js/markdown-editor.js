/* The page-body editor in the admin (interactions/widgets.py): a live
   preview rendered by the server exactly as patients will see it, and image
   uploads from the "Add image" button, a drop or a paste.

   It replaces django-markdownx's script, which put "Invalid response" into
   the text on any failed upload and never showed the server's message. Here
   an upload's Markdown goes in on its own line, and an error goes next to
   the button, never into the text. The preview also sends the article's
   kind, so the server can apply that kind's rules while the editor types.
   No inline script or style: it runs under a strict Content-Security-Policy. */
(function () {
  "use strict";

  var PREVIEW_DELAY_MS = 400;

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) {
      return input.value;
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function post(url, data, form) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form), "X-Requested-With": "XMLHttpRequest" },
    });
  }

  function setUp(root) {
    var textarea = root.querySelector("textarea");
    var preview = root.querySelector("[data-markdown-editor-preview]");
    var fileInput = root.querySelector("[data-markdown-editor-file]");
    var status = root.querySelector("[data-markdown-editor-status]");
    var error = root.querySelector("[data-markdown-editor-error]");
    var form = textarea.form;
    // The article form's kind adds that kind's rules; other values are ignored.
    var kind = form ? form.querySelector("select[name=kind]") : null;
    var previewUrl = textarea.getAttribute("data-markdownx-urls-path");
    var uploadUrl = textarea.getAttribute("data-markdownx-upload-urls-path");
    var timer = null;
    var latest = 0;

    function showPreviewMessage(message) {
      var box = document.createElement("p");
      box.className = "preview-message";
      box.textContent = message;
      preview.replaceChildren(box);
    }

    function refreshPreview() {
      var request = ++latest;
      var data = new FormData();
      data.append("content", textarea.value);
      if (kind) {
        data.append("kind", kind.value);
      }
      post(previewUrl, data, form)
        .then(function (response) {
          return response.text().then(function (text) {
            if (request !== latest) {
              return; // an older answer arriving late
            }
            if (response.redirected) {
              showPreviewMessage("You have been logged out. Log in again in a new tab to see the preview.");
            } else if (response.ok || text.indexOf("preview-problems") !== -1) {
              // The server's own answer: the sanitised page, or a message box.
              preview.innerHTML = text;
            } else {
              showPreviewMessage("The preview could not be updated (error " + response.status + ").");
            }
          });
        })
        .catch(function () {
          if (request === latest) {
            showPreviewMessage("The preview could not be updated: check your connection.");
          }
        });
    }

    function schedulePreview() {
      clearTimeout(timer);
      timer = setTimeout(refreshPreview, PREVIEW_DELAY_MS);
    }

    function report(message, isError) {
      status.textContent = isError ? "" : message;
      error.textContent = isError ? message : "";
    }

    // The image's Markdown becomes its own paragraph: a blank line before
    // and after, whatever the cursor was next to.
    function insertOnOwnLine(code) {
      var start = textarea.selectionStart;
      var end = textarea.selectionEnd;
      var before = textarea.value.slice(0, start);
      var after = textarea.value.slice(end);
      var lead = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
      var trail = /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
      textarea.setRangeText(lead + code + trail, start, end, "end");
      // Select the alt-text placeholder, ready to be typed over.
      var altStart = start + lead.length + 2;
      var altEnd = altStart + code.slice(2).indexOf("]");
      textarea.focus();
      textarea.setSelectionRange(altStart, altEnd);
      schedulePreview();
    }

    function upload(file) {
      report("Uploading " + file.name + "…", false);
      var data = new FormData();
      data.append("image", file);
      post(uploadUrl, data, form)
        .then(function (response) {
          return response
            .json()
            .catch(function () {
              return {};
            })
            .then(function (answer) {
              if (response.ok && answer.image_code) {
                insertOnOwnLine(answer.image_code);
                report("Image added. Type a description of it in place of the selected words.", false);
              } else {
                report(
                  answer.error || "The image was not uploaded (error " + response.status + "). Reload the page and try again.",
                  true
                );
              }
            });
        })
        .catch(function () {
          report("The image was not uploaded: check your connection and try again.", true);
        });
    }

    function uploadAll(files) {
      Array.prototype.forEach.call(files, upload);
    }

    textarea.addEventListener("input", schedulePreview);
    if (kind) {
      kind.addEventListener("change", refreshPreview);
    }
    fileInput.addEventListener("change", function () {
      uploadAll(fileInput.files);
      fileInput.value = ""; // choosing the same file again uploads it again
    });
    textarea.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1) {
        event.preventDefault();
      }
    });
    textarea.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files.length) {
        event.preventDefault();
        uploadAll(event.dataTransfer.files);
      }
    });
    textarea.addEventListener("paste", function (event) {
      if (event.clipboardData && event.clipboardData.files.length) {
        event.preventDefault();
        uploadAll(event.clipboardData.files);
      }
    });
    refreshPreview();
  }

  function init() {
    document.querySelectorAll("[data-markdown-editor]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
