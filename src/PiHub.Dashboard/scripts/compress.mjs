// Writes .gz and .br beside every text file in dist/, so the hub serves compressed bytes
// without compressing on the Pi at request time. Run by `npm run build` after `vite build`.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dist = fileURLToPath(new URL("../dist", import.meta.url));
const text = /\.(html|js|css|svg|json|txt)$/;
let files = 0;
let raw = 0;
let br = 0;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      walk(path);
    } else if (text.test(name)) {
      const bytes = readFileSync(path);
      const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
      writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
      writeFileSync(`${path}.br`, brotli);
      files++;
      raw += bytes.length;
      br += brotli.length;
    }
  }
}

walk(dist);
console.log(`compressed ${files} files: ${(raw / 1024).toFixed(1)} KiB -> ${(br / 1024).toFixed(1)} KiB brotli`);
