// Onboarding in recovery mode: the hub lost its user database and had no snapshot, so creating
// the owner needs the one-time code from recovery-code.txt. The page must ask for it, say where it
// is, refuse a wrong one with a sentence, and create the owner with the right one.
//
//   node recovery.mjs '{"a":"http://127.0.0.1:P","code":"…","chromium":"/usr/bin/chromium","artifacts":"DIR"}'
import { audit, launch, newContext, problems, run, setArtifacts, step } from "./lib.mjs";

const config = JSON.parse(process.argv[2]);
setArtifacts(config.artifacts);
const browser = await launch(config.chromium);
const page = await (await newContext(browser)).newPage();

await run("recovery mode: the page asks for the code up front and says where it is", page, async () => {
  await page.goto(`${config.a}/`);
  // Before anything is typed: GET /api/onboarding said recovery_code_required.
  await page.locator("#recovery_code").waitFor();
  const text = await page.locator(".notice.warn").textContent();
  if (!text.includes("sudo pihub-cli onboarding code") || !text.includes("recovery-code.txt")) {
    throw new Error(`the page does not say where the code is: ${text}`);
  }
  await audit(page, "onboarding-recovery");
});

await run("recovery mode: a wrong code is refused with a sentence", page, async () => {
  await page.locator("#recovery_code").fill("not-the-code");
  await page.locator("#name").fill("Carol Owner");
  await page.locator("#username").fill("carol");
  await page.locator("#password").fill("carol-long-password");
  await page.locator("#confirm").fill("carol-long-password");
  await page.getByRole("button", { name: "Create owner" }).click();
  await page.getByText("That recovery code is not the one the hub expects").waitFor();
});

await run("recovery mode: the right code creates the owner", page, async () => {
  await page.locator("#recovery_code").fill(config.code);
  await page.getByRole("button", { name: "Create owner" }).click();
  await page.getByTestId("user-name").filter({ hasText: "Carol Owner" }).waitFor();
});

await browser.close();
if (problems.length) {
  console.log(JSON.stringify({ step: "no CSP violations or script errors", ok: false, error: problems.join("\n") }));
  process.exit(1);
}
step("no CSP violations or script errors");
