// The figures file of scripts/bench.sh: JSON lines, each {"variant": "aot-x64", "figures": {"start_ms": 41, ...}}.
// Every measuring program (the shell's own timers, the Node load generators, the C# [Explicit] Bench tests
// through PIHUB_BENCH_JSON) adds lines; scripts/lib/bench-report.mjs reads them all.
//
//   node bench-figures.mjs add FILE VARIANT KEY VALUE     one figure (a number, or a word such as "skipped")
//   node bench-figures.mjs pick FILE VARIANT JSON KEY=FIELD...
//                                                          figures from a program's JSON output: KEY gets
//                                                          JSON's FIELD (KEY alone: the field of that name);
//                                                          a missing field is an error, never an empty figure
//   node bench-figures.mjs object FILE VARIANT JSON        every field of a program's JSON object
//   node bench-figures.mjs merge FILE LINES_FILE           the lines a C# Bench test wrote (validated)
//   node bench-figures.mjs field FIELD < JSON              prints one field of the JSON on stdin ("" if absent)
import { appendFileSync, readFileSync } from "node:fs";

const [command, ...args] = process.argv.slice(2);

function fail(message) {
  console.error(`error: ${message}`);
  process.exit(1);
}

function parse(text, what) {
  try {
    return JSON.parse(text);
  } catch {
    return fail(`${what} is not JSON: ${String(text).slice(0, 200)}`);
  }
}

/** @param {string} text */
function value(text) {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

/** @param {string} file @param {string} variant @param {Record<string, unknown>} figures */
function append(file, variant, figures) {
  for (const [key, v] of Object.entries(figures)) {
    if (!/^[a-z0-9_]+$/.test(key)) fail(`figure name '${key}' is not lower_snake_case`);
    if (v === null || v === undefined || v === "" || (typeof v === "number" && !Number.isFinite(v))) {
      fail(`${variant} ${key} has no value (${v}); the program that measures it printed none`);
    }
  }
  appendFileSync(file, JSON.stringify({ variant, figures }) + "\n");
}

switch (command) {
  case "add": {
    const [file, variant, key, text] = args;
    append(file, variant, { [key]: value(text ?? "") });
    break;
  }
  case "pick": {
    const [file, variant, json, ...pairs] = args;
    const source = parse(json, `the output given for ${variant}`);
    const figures = {};
    for (const pair of pairs) {
      const [key, field = key] = pair.split("=");
      if (!(field in source)) fail(`${variant}: the program's output has no '${field}' for ${key}: ${json.slice(0, 200)}`);
      figures[key] = source[field];
    }
    append(file, variant, figures);
    break;
  }
  case "object": {
    const [file, variant, json] = args;
    append(file, variant, parse(json, `the output given for ${variant}`));
    break;
  }
  case "merge": {
    const [file, lines] = args;
    const text = readFileSync(lines, "utf8").trim();
    if (!text) fail(`${lines} is empty: the benchmark wrote no figures`);
    for (const line of text.split("\n")) {
      const row = parse(line, `a line of ${lines}`);
      if (typeof row.variant !== "string" || typeof row.figures !== "object") fail(`${lines}: '${line}' is not {"variant", "figures"}`);
      append(file, row.variant, row.figures);
    }
    break;
  }
  case "field": {
    const text = readFileSync(0, "utf8");
    let v;
    try {
      v = JSON.parse(text)[args[0]];
    } catch {
      v = undefined;
    }
    process.stdout.write(v == null ? "" : String(v));
    break;
  }
  default:
    fail(`unknown command '${command}'; see the header of scripts/lib/bench-figures.mjs`);
}
