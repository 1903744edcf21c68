// Connecting from the environment: a connection that fails leaves nothing behind in the process.
import assert from "node:assert/strict";
import { test } from "node:test";
import { connectFromEnvironment } from "./connect.ts";

test("a connection that fails to reach its target frees the in-process Azure stand-in", async () => {
  await assert.rejects(
    connectFromEnvironment({ SRKIT_NEGATIVE_CONTROL: "no-such-control" }),
    /unknown negative control 'no-such-control'/,
  );
  // The control runner connects again in the same process for its next control.
  const connection = await connectFromEnvironment({});
  try {
    const described = await connection.client.describeTarget();
    assert.ok(described.ok);
  } finally {
    connection.close();
  }
});
