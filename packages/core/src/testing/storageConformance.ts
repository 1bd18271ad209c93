import { describe, expect, it } from "vitest";
import { InvalidArgumentError, StorageError } from "../errors.ts";
import type { ConformanceTarget } from "./ConformanceTarget.ts";
import { errorOf, expectCode, text, utf8 } from "./internal/expectations.ts";

const RW_CREATE = { read: true, write: true, create: true } as const;

/** StorageProvider: positional I/O, durability calls, namespace operations and error codes. */
export function storageConformance(target: ConformanceTarget): void {
  describe("storage", () => {
    it("write, sync, close, reopen and read back", () =>
      target.run(async ({ storage }) => {
        const file = await storage.open("conformance/data.bin", RW_CREATE);
        await file.write(0, utf8("hello"));
        await file.write(5, utf8(" world"));
        await file.sync();
        expect(await file.size()).toBe(11);
        await file.close();

        const again = await storage.open("conformance/data.bin", { read: true });
        expect(text(await again.read(0, 100))).toBe("hello world"); // short read at end of file
        expect(text(await again.read(6, 5))).toBe("world");
        expect((await again.read(11, 5)).byteLength).toBe(0);
        expect((await again.read(500, 5)).byteLength).toBe(0);
        await again.close();
      }));

    it("writes at an offset overwrite in place and extend with zeros", () =>
      target.run(async ({ storage }) => {
        const file = await storage.open("offsets.bin", RW_CREATE);
        await file.write(0, utf8("abcdef"));
        await file.write(2, utf8("XY"));
        expect(text(await file.read(0, 6))).toBe("abXYef");
        await file.write(10, utf8("z"));
        expect(await file.size()).toBe(11);
        expect([...(await file.read(6, 5))]).toEqual([0, 0, 0, 0, "z".charCodeAt(0)]);
        await file.close();
      }));

    it("exists, rename and delete", () =>
      target.run(async ({ storage }) => {
        expect(await storage.exists("a.txt")).toBe(false);
        const file = await storage.open("a.txt", RW_CREATE);
        await file.write(0, utf8("content"));
        await file.sync();
        await file.close();
        expect(await storage.exists("a.txt")).toBe(true);

        await storage.rename("a.txt", "b.txt");
        expect(await storage.exists("a.txt")).toBe(false);
        expect(await storage.exists("b.txt")).toBe(true);
        const moved = await storage.open("b.txt", { read: true });
        expect(text(await moved.read(0, 100))).toBe("content");
        await moved.close();

        // rename replaces an existing target
        const other = await storage.open("c.txt", RW_CREATE);
        await other.write(0, utf8("old"));
        await other.close();
        await storage.rename("b.txt", "c.txt");
        const replaced = await storage.open("c.txt", { read: true });
        expect(text(await replaced.read(0, 100))).toBe("content");
        await replaced.close();

        await storage.delete("c.txt");
        expect(await storage.exists("c.txt")).toBe(false);
      }));

    it("truncate shrinks and extends with zeros", () =>
      target.run(async ({ storage }) => {
        const file = await storage.open("trunc.bin", RW_CREATE);
        await file.write(0, utf8("0123456789"));
        await file.truncate(4);
        expect(await file.size()).toBe(4);
        expect(text(await file.read(0, 100))).toBe("0123");
        await file.truncate(6);
        expect([...(await file.read(0, 100))]).toEqual([48, 49, 50, 51, 0, 0]);
        await file.close();

        const reopened = await storage.open("trunc.bin", { read: true, write: true, truncate: true });
        expect(await reopened.size()).toBe(0);
        await reopened.close();
      }));

    it("list(prefix) returns matching paths, sorted", () =>
      target.run(async ({ storage }) => {
        for (const path of ["logs/b.log", "logs/a.log", "logs/sub/c.log", "logsx.txt", "other/d.log"]) {
          await (await storage.open(path, RW_CREATE)).close();
        }
        expect(await storage.list("logs/")).toEqual(["logs/a.log", "logs/b.log", "logs/sub/c.log"]);
        expect(await storage.list("logs")).toEqual([
          "logs/a.log",
          "logs/b.log",
          "logs/sub/c.log",
          "logsx.txt",
        ]);
        expect(await storage.list("logs/a")).toEqual(["logs/a.log"]);
        expect(await storage.list("nothing/")).toEqual([]);
        await storage.delete("logs/a.log");
        expect(await storage.list("logs/")).toEqual(["logs/b.log", "logs/sub/c.log"]);
      }));

    it("missing files fail with ENOENT", () =>
      target.run(async ({ storage }) => {
        const error = await expectCode(() => storage.open("missing.bin", { read: true }), "ENOENT");
        expect(error).toBeInstanceOf(StorageError);
        await expectCode(() => storage.open("missing.bin", { read: true, write: true }), "ENOENT");
        await expectCode(() => storage.delete("missing.bin"), "ENOENT");
        await expectCode(() => storage.rename("missing.bin", "elsewhere.bin"), "ENOENT");
        expect(await storage.exists("elsewhere.bin")).toBe(false);
      }));

    it("createNew fails with EEXIST when the file exists", () =>
      target.run(async ({ storage }) => {
        const created = await storage.open("unique.bin", { read: true, write: true, createNew: true });
        await created.write(0, utf8("first"));
        await created.close();
        const error = await expectCode(
          () => storage.open("unique.bin", { read: true, write: true, createNew: true }),
          "EEXIST",
        );
        expect(error).toBeInstanceOf(StorageError);
        const kept = await storage.open("unique.bin", { read: true });
        expect(text(await kept.read(0, 100))).toBe("first"); // untouched
        await kept.close();
      }));

    it("syncDir syncs the root and subdirectories, and names what it cannot sync", () =>
      target.run(async ({ storage }) => {
        const file = await storage.open("dirs/sub/entry.bin", RW_CREATE);
        await file.write(0, utf8("entry"));
        await file.sync();
        await file.close();
        await storage.rename("dirs/sub/entry.bin", "dirs/sub/renamed.bin");
        await storage.syncDir("dirs/sub");
        await storage.syncDir("dirs");
        await storage.syncDir("");
        expect(await storage.list("dirs/")).toEqual(["dirs/sub/renamed.bin"]);
        const error = await expectCode(() => storage.syncDir("no-such-dir"), "ENOENT");
        expect(error).toBeInstanceOf(StorageError);
        await expectCode(() => storage.syncDir("dirs/sub/renamed.bin"), "ENOTDIR");
        expect(await errorOf(() => storage.syncDir("../up"))).toBeInstanceOf(InvalidArgumentError);
        expect(await errorOf(() => storage.syncDir("/abs"))).toBeInstanceOf(InvalidArgumentError);
      }));

    it("rejects bad offsets and lengths with InvalidArgumentError", () =>
      target.run(async ({ storage }) => {
        const file = await storage.open("args.bin", RW_CREATE);
        expect(await errorOf(() => file.read(-1, 4))).toBeInstanceOf(InvalidArgumentError);
        expect(await errorOf(() => file.read(0, 1.5))).toBeInstanceOf(InvalidArgumentError);
        expect(await errorOf(() => file.write(-1, utf8("x")))).toBeInstanceOf(InvalidArgumentError);
        expect(await errorOf(() => file.truncate(-1))).toBeInstanceOf(InvalidArgumentError);
        await file.close();
      }));
  });
}
