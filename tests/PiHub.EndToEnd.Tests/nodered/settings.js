// Node-RED settings for tests/PiHub.EndToEnd.Tests/NodeRedTests.cs. Run as
//   PIHUB_NODERED_PORT=1880 PIHUB_PROBES_FILE=/tmp/probes.jsonl \
//     node node_modules/node-red/red.js --userDir <temp folder with flows.json> --settings settings.js
// Loopback only, no editor or admin API (httpAdminRoot: false), no telemetry, update checks or
// palette catalogue: nothing leaves the machine. The flows' HTTP endpoints (POST /pihub/...)
// are the only way in.
module.exports = {
  uiHost: "127.0.0.1",
  uiPort: Number(process.env.PIHUB_NODERED_PORT || 1880),
  httpAdminRoot: false,
  flowFile: "flows.json",
  // The test writes flows_cred.json in plain JSON (a throwaway token for a throwaway hub).
  credentialSecret: false,
  telemetry: { enabled: false, updateNotification: false },
  diagnostics: { enabled: false, ui: false },
  externalModules: { autoInstall: false, palette: { allowInstall: false, allowUpdate: false, allowUpload: false } },
  functionExternalModules: false,
  logging: { console: { level: "info", metrics: false, audit: false } },
};
