// Accessibility of the static book, on every page (see "Accessibility" in book/teachers.md).
//
// 1. Every plotly figure with a slider (lessons.book.plots.slider) gets a labelled native
//    <input type="range"> under the plot: Tab reaches it, Arrow keys, Home and End drive the
//    same steps as the drawn slider, and the two stay in step both ways. On every step the
//    figure's text alternative follows (the markup is fixed with lessons.book.plots.figure_html):
//    the plot's name becomes "<title>. <takeaway of the step>", the figcaption the takeaway,
//    and only the step's table in "Data behind this figure" is shown. Every figure's name
//    moves from the plot <div> onto its drawn <svg> (see moveName).
// 2. Saved ipywidgets panels (lessons.book.widgets.panel) have no kernel here: their controls
//    are disabled and named, their picture has an alt text with the saved settings, and a note
//    says where the panel runs.
// 3. Small fixes to the theme's markup that axe-core reports (the search button's name).
// 4. A figure whose titles or panels do not fit a phone switches to its narrow layout while
//    the plot is under 600 px wide (see fitWidth).
(function () {
  "use strict";

  const PANEL_NOTE =
    "This panel runs in a notebook: open this chapter in JupyterLab, VS Code or Colab (the " +
    "download button at the top of the page gives you the notebook) and run its cells to " +
    "bring it to life. Here it shows the picture it was saved with.";

  function plainText(html) {
    if (html === undefined || html === null) return "";
    const doc = new DOMParser().parseFromString(String(html), "text/html");
    return (doc.body.textContent || "").replace(/\s+/g, " ").trim();
  }

  // ---- 1. plotly sliders -------------------------------------------------------------------

  function takeawaysOf(figure) {
    if (!figure || !figure.dataset.takeaways) return null;
    try {
      const list = JSON.parse(figure.dataset.takeaways);
      return Array.isArray(list) && list.length ? list.map(String) : null;
    } catch (err) {
      return null;
    }
  }

  function stepTitle(div, step) {
    const args = step.args || [];
    for (const update of args) {
      if (update && typeof update === "object" && !Array.isArray(update)) {
        if (typeof update["title.text"] === "string") return plainText(update["title.text"]);
        if (update.title && typeof update.title.text === "string") {
          return plainText(update.title.text);
        }
      }
    }
    const title = (div.layout && div.layout.title) || {};
    return plainText(typeof title === "string" ? title : title.text);
  }

  // The page's markup names the plot <div> (role="img", aria-label): what a reader gets before
  // plotly has drawn. Once it has, the name moves onto the drawn picture, the plot's first
  // <svg class="main-svg">: plotly's toolbar buttons sit inside the <div>, and controls inside
  // a role="img" element are hidden from assistive technology (axe: nested-interactive).
  function nameOf(div) {
    return div.dataset.lessonsName || "";
  }

  function setName(div, name) {
    div.dataset.lessonsName = name;
    div.querySelectorAll(".main-svg").forEach(function (svg, k) {
      if (k === 0) {
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", name);
        svg.removeAttribute("aria-hidden");
      } else {
        svg.setAttribute("aria-hidden", "true");  // hover labels: the table has the numbers
      }
    });
  }

  function moveName(div) {
    if (div.dataset.lessonsName !== undefined) return;
    const figure = div.closest("figure");
    let name = div.getAttribute("aria-label") ||
      (figure && figure.getAttribute("aria-label")) || "";
    if (!name) {
      const title = div.layout && div.layout.title;
      name = plainText(title && typeof title === "object" ? title.text : title) || "Figure";
    }
    div.removeAttribute("aria-label");
    if (div.getAttribute("role") === "img") div.removeAttribute("role");
    if (figure) figure.removeAttribute("aria-label");
    setName(div, name);
    div.on("plotly_afterplot", function () { setName(div, nameOf(div)); });
  }

  function setUpSliderFigure(div) {
    const sliders = div.layout && div.layout.sliders;
    if (!sliders || !sliders.length || div.dataset.lessonsRange) return;
    const slider = sliders[0];
    const steps = slider.steps || [];
    if (steps.length < 2) return;
    div.dataset.lessonsRange = "1";

    const figure = div.closest("figure");
    const takeaways = takeawaysOf(figure);
    const prefix = plainText((slider.currentvalue || {}).prefix || "");
    const name = prefix.replace(/[\s=:]+$/, "") || "Step";

    const id = (div.id || "fig-" + Math.random().toString(36).slice(2)) + "-range";
    const box = document.createElement("div");
    box.className = "lessons-range";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = name;
    const input = document.createElement("input");
    input.type = "range";
    input.id = id;
    input.min = "0";
    input.max = String(steps.length - 1);
    input.step = "1";
    const shown = document.createElement("output");
    shown.htmlFor = id;
    shown.setAttribute("aria-hidden", "true");
    box.append(label, input, shown);
    // Under the plot, outside it (the inside of a role="img" element is not read).
    let anchor = div;
    while (figure && anchor.parentElement && anchor.parentElement !== figure) {
      anchor = anchor.parentElement;
    }
    anchor.after(box);

    function valueText(i) {
      const value = plainText(steps[i].label !== undefined ? steps[i].label : String(i));
      const head = (prefix || name) + " " + value;
      return head.replace(/\s+/g, " ").trim() + " (" + (i + 1) + " of " + steps.length + ")";
    }

    function describe(i) {
      input.value = String(i);
      input.setAttribute("aria-valuetext", valueText(i));
      shown.textContent = plainText(steps[i].label);
      const title = stepTitle(div, steps[i]);
      const takeaway = takeaways ? takeaways[Math.min(i, takeaways.length - 1)] : valueText(i);
      setName(div, title ? title.replace(/[.\s]+$/, "") + ". " + takeaway : takeaway);
      if (figure) {
        const caption = figure.querySelector("figcaption.lessons-takeaway");
        if (caption && takeaways) caption.textContent = takeaway;
        const tables = figure.querySelectorAll("table[data-frame]");
        if (tables.length > 1) {
          tables.forEach(function (table) {
            table.hidden = Number(table.dataset.frame) !== i;
          });
        }
      }
    }

    function drive(i) {
      const step = steps[i];
      describe(i);
      let done = Promise.resolve();
      if (step.method && step.method !== "skip" && typeof Plotly[step.method] === "function") {
        done = Promise.resolve(Plotly[step.method].apply(null, [div].concat(step.args || [])));
      }
      done.then(function () {
        return Plotly.relayout(div, {"sliders[0].active": i});
      }).catch(function () {});
    }

    input.addEventListener("input", function () {
      drive(Number(input.value));
    });
    if (typeof div.on === "function") {
      div.on("plotly_sliderchange", function (event) {
        const i = event && event.slider ? event.slider.active : NaN;
        if (Number.isInteger(i) && i >= 0 && i < steps.length) describe(i);
      });
    }
    describe(Math.min(Math.max(Number(slider.active) || 0, 0), steps.length - 1));
  }

  // Figures that read at any width: a figure whose layout does not fit a phone carries two
  // relayouts (lessons.book.plots.figure_html: data-layout-narrow / data-layout-wide, the same
  // keys); the narrow one (wrapped titles, stacked panels) applies while the plot is under
  // 600 px wide. Each figure on its own, so that one failure leaves the others alone.
  const NARROW_PX = 600;

  function fitWidth(div) {
    const figure = div.closest("figure.lessons-figure");
    if (!figure || !figure.dataset.layoutNarrow || !div._fullLayout) return;
    const want = div.offsetWidth < NARROW_PX ? "narrow" : "wide";
    if ((figure.dataset.layoutState || "wide") === want) return;
    try {
      const update = JSON.parse(want === "narrow" ? figure.dataset.layoutNarrow
                                                  : figure.dataset.layoutWide);
      figure.dataset.layoutState = want;
      window.Plotly.relayout(div, update).catch(function () {});
    } catch (err) {
      /* leave this figure in the layout it has */
    }
  }

  let resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      document.querySelectorAll(".plotly-graph-div").forEach(fitWidth);
    }, 150);
  });

  function setUpFigures(triesLeft) {
    if (typeof window.Plotly === "undefined") return;
    let waiting = false;
    document.querySelectorAll(".plotly-graph-div").forEach(function (div) {
      if (!div._fullLayout || typeof div.on !== "function") {
        waiting = true;
        return;
      }
      moveName(div);
      setUpSliderFigure(div);
      fitWidth(div);
    });
    if (waiting && triesLeft > 0) {
      setTimeout(function () { setUpFigures(triesLeft - 1); }, 250);
    }
  }

  // ---- 2. saved ipywidgets panels ----------------------------------------------------------

  function controlLabel(control) {
    const label = control.querySelector(":scope > .widget-label");
    return label ? label.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function controlValue(control) {
    const readout = control.querySelector(".widget-readout");
    if (readout) return readout.textContent.trim();
    const select = control.querySelector("select");
    if (select) {
      return [...select.selectedOptions].map(function (o) { return o.textContent; }).join(", ");
    }
    const checkbox = control.querySelector("input[type=checkbox]");
    if (checkbox) return checkbox.checked ? "on" : "off";
    const active = control.querySelector(".mod-active");
    if (active) return active.textContent.trim();
    const field = control.querySelector("input, textarea");
    return field ? field.value : "";
  }

  function panelTitle(box) {
    const html = box.querySelector(":scope > .widget-html:not(.lessons-panel-notice)");
    return html ? html.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function fixPanel(box) {
    const title = panelTitle(box) || "live panel";
    const controls = [...box.querySelectorAll(":scope > .widget-hbox > .jupyter-widgets," +
                                              ":scope > .widget-box > .jupyter-widgets")]
      .filter(function (c) { return !c.classList.contains("widget-output"); });
    const settings = controls.map(function (c) {
      const name = controlLabel(c);
      const value = controlValue(c);
      return name && value ? name + " = " + value : name || value;
    }).filter(Boolean).join(", ");

    // The controls: named, and visibly and programmatically off.
    box.querySelectorAll("[role=slider]").forEach(function (handle) {
      if (!handle.getAttribute("aria-label")) {
        const control = handle.closest(".widget-slider, .jupyter-widgets");
        handle.setAttribute("aria-label", (control && controlLabel(control)) || title);
      }
      handle.setAttribute("aria-disabled", "true");
      handle.setAttribute("tabindex", "-1");
    });
    box.querySelectorAll("input, select, textarea, button").forEach(function (field) {
      if (field.closest(".widget-output")) return;
      field.disabled = true;
      const control = field.closest(".jupyter-widgets");
      if (!field.getAttribute("aria-label") && !field.labels?.length && control) {
        const name = controlLabel(control);
        if (name) field.setAttribute("aria-label", name);
      }
    });
    box.querySelectorAll(".widget-readout[contenteditable=true]").forEach(function (readout) {
      readout.setAttribute("contenteditable", "false");
    });
    box.querySelectorAll(".widget-slider .slider").forEach(function (track) {
      track.setAttribute("disabled", "");
    });

    // The note: the one saved with the panel, or a new one for panels saved before it existed.
    let note = box.querySelector(":scope > .lessons-panel-notice");
    if (!note) {
      note = document.createElement("p");
      note.className = "lessons-panel-notice";
      const first = box.querySelector(":scope > .widget-hbox, :scope > .widget-box");
      box.insertBefore(note, first || box.firstChild);
    }
    if (note.dataset.static !== "1") {
      note.dataset.static = "1";
      note.textContent = PANEL_NOTE;
    }

    // The picture: an alt text naming the panel and its settings (when it was saved without).
    box.querySelectorAll(".widget-output img").forEach(function (img, k, all) {
      if (img.hasAttribute("alt")) return;
      const which = all.length > 1 ? " (picture " + (k + 1) + " of " + all.length + ")" : "";
      img.setAttribute("alt", "Saved picture of the panel “" + title + "”" + which +
        (settings ? ", at " + settings : ""));
    });
    box.classList.add("lessons-panel-static");
  }

  function fixPanels() {
    document.querySelectorAll(".widget-vbox").forEach(function (box) {
      if (box.querySelector(":scope > .widget-output")) fixPanel(box);
    });
  }

  function watchPanels() {
    if (!document.querySelector('script[type="application/vnd.jupyter.widget-view+json"]')) {
      return;
    }
    let pending = false;
    const observer = new MutationObserver(function () {
      if (pending) return;
      pending = true;
      setTimeout(function () {
        pending = false;
        observer.disconnect();
        fixPanels();
        observer.observe(document.body, {childList: true, subtree: true});
      }, 50);
    });
    observer.observe(document.body, {childList: true, subtree: true});
    fixPanels();
  }

  // ---- 3. the theme --------------------------------------------------------------------------

  function fixTheme() {
    // The search button shows "Search Ctrl+K" but is named "Search" (label-content-name-mismatch).
    document.querySelectorAll("button.search-button-field[aria-label]").forEach(function (b) {
      if (b.textContent.trim()) b.removeAttribute("aria-label");
    });
    // The colour-mode button is named "Color mode" but its icons carry titles ("Light"), which
    // count as its visible text: the icons are decoration (Font Awesome may draw them later).
    document.querySelectorAll(".theme-switch-button").forEach(function (button) {
      function hideIcons() {
        button.querySelectorAll("svg, i").forEach(function (icon) {
          icon.setAttribute("aria-hidden", "true");
          icon.removeAttribute("role");
          icon.removeAttribute("aria-labelledby");
          icon.removeAttribute("title");
          const title = icon.querySelector("title");
          if (title) title.remove();
        });
      }
      hideIcons();
      new MutationObserver(hideIcons).observe(button, {childList: true, subtree: true});
    });
  }

  function start() {
    fixTheme();
    setUpFigures(80);
    watchPanels();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
