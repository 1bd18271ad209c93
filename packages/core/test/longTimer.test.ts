import FakeTimers from "@sinonjs/fake-timers";
import { afterEach, describe, expect, it } from "vitest";
import { startTimer } from "../src/node/internal/longTimer.ts";

describe("startTimer", () => {
  let clock: ReturnType<typeof FakeTimers.install> | undefined;
  afterEach(() => clock?.uninstall());

  it("waits past setTimeout's 2^31 - 1 ms limit instead of firing at once", () => {
    clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    let fired = 0;
    startTimer(3_000_000_000, () => fired++);
    clock.tick(1);
    expect(fired).toBe(0);
    clock.tick(2 ** 31);
    expect(fired).toBe(0);
    clock.tick(3_000_000_000 - 2 ** 31 - 2);
    expect(fired).toBe(0);
    clock.tick(1);
    expect(fired).toBe(1);
  });

  it("fires short timers once and can be cancelled", () => {
    clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    let fired = 0;
    startTimer(20, () => fired++);
    const cancel = startTimer(20, () => fired++);
    cancel();
    clock.tick(20);
    expect(fired).toBe(1);
    const cancelLong = startTimer(2 ** 32, () => fired++);
    clock.tick(2 ** 31);
    cancelLong(); // cancels the re-armed timer too
    clock.tick(2 ** 32);
    expect(fired).toBe(1);
  });
});
