import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// Three pages, each its own entry so the login page never loads the dashboard's code:
//   index.html      the dashboard (/, /profile, /users, /security, /system); a tiny entry that sends a
//                   browser without tokens to the login page before loading the dashboard's code
//   authorize.html  Home Assistant's OAuth authorize page (/auth/authorize)
//   onboarding.html first boot: create the owner (/onboarding.html)
// The server embeds dist/ and serves files under /assets/ with year-long cache lifetimes, so
// every file there must carry a content hash in its name (Vite's default).
const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  base: "/",
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0, // no data: URLs in CSS or JS: every asset is a file the CSP allows
    modulePreload: { polyfill: false }, // the polyfill is an inline script; the CSP forbids those
    rollupOptions: {
      input: {
        index: resolve(here, "index.html"),
        authorize: resolve(here, "authorize.html"),
        onboarding: resolve(here, "onboarding.html"),
      },
      output: {
        // index.html's entry (src/app/boot.js) imports the dashboard itself (src/app/main.js) only when there is
        // something to show; that chunk is "dashboard", the ones the pages share are "shared".
        chunkFileNames: (chunk) => (chunk.isDynamicEntry ? "assets/dashboard-[hash].js" : "assets/shared-[hash].js"),
        assetFileNames: (asset) => ((asset.names?.[0] ?? asset.name ?? "").endsWith(".css") ? "assets/styles-[hash][extname]" : "assets/[name]-[hash][extname]"),
      },
    },
  },
});
