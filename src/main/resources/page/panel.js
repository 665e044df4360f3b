// One pattern's panel: its inputs, and the trace of its last call drawn as a sequence diagram that grows one arrow
// per message, with the time since the call began, the output the article's client prints, and the final status.
import { toJson } from "@bufbuild/protobuf";
import { CODE_NAMES } from "./calls.js";

const template = document.getElementById("pattern");

/** A message as its type name and its fields by their .proto names, empty ones included: what crossed the wire. */
function label(schema, message) {
  const fields = toJson(schema, message, { alwaysEmitImplicit: true, useProtoFieldName: true });
  return `${schema.name} { ${Object.entries(fields).map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
    .join(", ")} }`;
}

function seconds(value) {
  return Number.parseFloat(value) * 1000;
}

export class Panel {
  /**
   * @param pattern {id, kind, method, path, transport, server, inputLabel, multiline, pause}
   * @param run (panel, signal) => Promise: the call with this panel's inputs
   * @param registry the contract's types, to show an error's details
   */
  constructor(pattern, run, registry) {
    this.registry = registry;
    const section = template.content.firstElementChild.cloneNode(true);
    section.id = pattern.id;
    section.dataset.pattern = pattern.id;
    section.querySelector(".kind").textContent = pattern.kind;
    section.querySelector(".method").textContent = pattern.method;
    section.querySelector(".path").textContent = pattern.path;
    section.querySelector(".transport").textContent = pattern.transport;
    section.querySelector(".server").textContent = pattern.server;
    section.querySelector(".input-label").textContent = pattern.inputLabel;
    const input = document.createElement(pattern.multiline ? "textarea" : "input");
    input.name = "input";
    input.spellcheck = false;
    if (pattern.multiline) input.rows = pattern.multiline;
    section.querySelector("label.input").append(input);
    section.querySelector("label.pause").hidden = !pattern.pause;
    this.section = section;
    this.form = section.querySelector("form");
    this.diagram = section.querySelector(".diagram");
    this.out = section.querySelector(".output");
    this.cancelButton = section.querySelector(".cancel");
    this.runButton = section.querySelector(".run");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run(run);
    });
    this.cancelButton.addEventListener("click", () => this.controller?.abort());
  }

  get input() { return this.form.elements.input.value; }
  /** The input's lines, one message each (blank lines dropped). */
  get lines() { return this.input.split("\n").map((line) => line.trim()).filter((line) => line); }
  get deadlineMillis() { return seconds(this.form.elements.deadline.value); }
  get pauseMillis() { return seconds(this.form.elements.pause.value) || 0; }

  fill({ input, deadlineMillis, pauseMillis }) {
    this.form.elements.input.value = input;
    this.form.elements.deadline.value = deadlineMillis / 1000;
    this.form.elements.pause.value = (pauseMillis ?? 0) / 1000;
  }

  /** Runs the call once (never twice at a time); resolves when it has ended, however it ends. */
  async run(call) {
    if (this.controller) return;
    this.controller = new AbortController();
    this.reset();
    this.runButton.disabled = true;
    this.cancelButton.disabled = false;
    this.section.dataset.state = "running";
    try {
      await call(this, this.controller.signal);
    } finally {
      this.controller = undefined;
      this.runButton.disabled = false;
      this.cancelButton.disabled = true;
    }
  }

  reset() {
    this.alignLifelines();
    this.started = performance.now();
    this.diagram.querySelectorAll(".arrow").forEach((row) => row.remove());
    this.out.textContent = "";
    this.section.querySelector(".status .code").textContent = "";
    this.section.querySelector(".status .message").textContent = "";
    this.section.querySelector(".details").replaceChildren();
    delete this.section.dataset.code;
  }

  /** Arrows run between the centres of the two boxes heading the lifelines, whatever the boxes' widths. */
  alignLifelines() {
    const [browser, server] = this.diagram.querySelectorAll(".lifelines > span:not(.clock)");
    this.diagram.style.setProperty("--from", `${browser.offsetWidth / 2}px`);
    this.diagram.style.setProperty("--to", `${server.offsetWidth / 2}px`);
  }

  /** The trace the calls report to (calls.js). */
  trace() {
    return {
      send: (schema, message) => this.arrow("to-server", label(schema, message)),
      halfClose: () => this.arrow("to-server half-close", "half-close (no more requests)"),
      receive: (schema, message) => this.arrow("to-client", label(schema, message)),
      end: (status) => this.end(status),
    };
  }

  arrow(direction, text) {
    const row = document.createElement("li");
    row.className = `arrow ${direction}`;
    const time = document.createElement("time");
    time.textContent = `+${((performance.now() - this.started) / 1000).toFixed(3)} s`;
    const line = document.createElement("span");
    line.className = "line";
    line.textContent = text;
    row.append(time, line);
    this.diagram.append(row);
    return row;
  }

  print(line) {
    this.out.textContent += `${line}\n`;
  }

  end({ code, message, details }) {
    const name = CODE_NAMES[code] ?? `code ${code}`;
    this.arrow(`to-client final ${code === 0 ? "ok" : "error"}`, code === 0 ? "status OK" : `status ${name}`);
    this.section.dataset.state = "ended";
    this.section.dataset.code = name;
    this.section.querySelector(".status .code").textContent = `${name} (${code})`;
    this.section.querySelector(".status .message").textContent = message ?? "";
    this.section.querySelector(".details").replaceChildren(...details.map((detail) => {
      const item = document.createElement("li");
      item.textContent = label(this.registry.getMessage(detail.$typeName), detail);
      return item;
    }));
  }
}
