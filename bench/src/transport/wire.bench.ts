// Frame encoding/decoding throughput (MB/s of payload), native vs pure-JS CRC-32C, and the two
// payload codecs on a request envelope.
import { Endpoint, NetworkAddress, UID } from "@moonpool/core";
import {
  BinaryCodec,
  crc32c,
  crc32cImplementation,
  crc32cJs,
  decodeFrame,
  encodeFrame,
  envelopeValue,
  FrameDecoder,
  JsonCodec,
} from "@moonpool/transport";
import type { BenchSuite } from "../harness.ts";
import { keep, measure } from "../harness.ts";
import { interleaveSync } from "./interleave.ts";

export default (async (r) => {
  const token = new UID(0x1234n, 0x5678n);
  for (const size of [64, 4096, 65536]) {
    const payload = new Uint8Array(size).map((_, i) => i & 0xff);
    const frame = encodeFrame(token, payload);
    const enc = measure(() => encodeFrame(token, payload), { minMs: 400 });
    const dec = measure(() => decodeFrame(frame), { minMs: 400 });
    r.figure(`encodeFrame ${size} B payload`, (enc * size) / 1e6, "MB/s");
    r.figure(`decodeFrame ${size} B payload`, (dec * size) / 1e6, "MB/s");
  }

  // Streaming decoder over a 1 MiB stream of 1 KiB frames fed in 4 KiB chunks.
  const frames: Uint8Array[] = [];
  for (let i = 0; i < 1024; i++) frames.push(encodeFrame(token, new Uint8Array(1000)));
  const stream = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    stream.set(f, at);
    at += f.length;
  }
  const streamed = measure(
    () => {
      const d = new FrameDecoder();
      let n = 0;
      for (let i = 0; i < stream.length; i += 4096) n += d.push(stream.subarray(i, i + 4096)).length;
      return n;
    },
    { minMs: 600 },
  );
  r.figure("FrameDecoder 1 KiB frames in 4 KiB chunks", (streamed * stream.length) / 1e6, "MB/s");

  const block = new Uint8Array(65536).map((_, i) => (i * 7) & 0xff);
  const native = measure(() => crc32c(block), { minMs: 300 });
  const js = measure(() => crc32cJs(block), { minMs: 300 });
  r.figure(`crc32c (${crc32cImplementation}) 64 KiB`, (native * block.length) / 1e6, "MB/s");
  r.figure("crc32c pure JS 64 KiB", (js * block.length) / 1e6, "MB/s");
  r.ratio("crc32c selected / pure JS", native / js, "speed-up of the CRC implementation chosen at load");

  const replyTo = new Endpoint(NetworkAddress.parse("10.0.0.2:4500"), new UID((1n << 64n) - 5n, 77n));
  const envelope = envelopeValue({ seq: 12, client: "client-3", block: new Uint8Array(64) }, replyTo);
  const json = new JsonCodec();
  const bin = new BinaryCodec();
  const jsonBytes = json.encode(envelope);
  const binBytes = bin.encode(envelope);
  const rounds = interleaveSync({
    json: () => json.decode(json.encode(envelope)),
    binary: () => bin.decode(bin.encode(envelope)),
    jsonEncode: () => json.encode(envelope),
    binaryEncode: () => bin.encode(envelope),
    jsonDecode: () => json.decode(jsonBytes),
    binaryDecode: () => bin.decode(binBytes),
  });
  const jsonRound = rounds.json;
  const binRound = rounds.binary;
  r.figure("JSON codec envelope encode", rounds.jsonEncode, "ops/s");
  r.figure("binary codec envelope encode", rounds.binaryEncode, "ops/s");
  r.figure("JSON codec envelope decode", rounds.jsonDecode, "ops/s");
  r.figure("binary codec envelope decode", rounds.binaryDecode, "ops/s");
  r.figure("JSON codec envelope encode+decode", jsonRound, "ops/s");
  r.figure("binary codec envelope encode+decode", binRound, "ops/s");
  r.figure("JSON envelope size", jsonBytes.length, "B");
  r.figure("binary envelope size", binBytes.length, "B");
  r.ratio(
    "binary / JSON codec round trips",
    binRound / jsonRound,
    "same envelope, interleaved rounds (goal >= 2x)",
  );
  keep([jsonBytes, binBytes]);
}) satisfies BenchSuite;
