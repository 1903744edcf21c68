// Debian's Chromium, as the browser tests and the screenshots launch it: Playwright cannot
// download its own browser here, and without the background-networking flags Chromium floods a
// closed network with retries.
export const chromiumLaunchOptions = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};
