// A Shop server in its own OS process, for the real-TCP round-trip test: it listens on loopback
// with the codec named by argv[2], prints its address, serves the generated Shop until stdin closes.
import { nodeProviders } from "@moonpool/core/node";
import { BinaryCodec, JsonCodec, NetTransport } from "@moonpool/transport";
import type { Order } from "../fixtures/shop.ts";
import { serveShop } from "../golden/shop.service.ts";

const codec = process.argv[2] === "binary" ? new BinaryCodec() : new JsonCodec();
const transport = await NetTransport.listen(nodeProviders(), { localAddress: "127.0.0.1:0", codec });
const orders = new Map<bigint, Order>();
const { handle } = serveShop(
  transport,
  {
    place(order) {
      orders.set(order.id, order);
      return {
        orderId: order.id,
        total: order.items.reduce((t, i) => t + i.qty * i.unitPrice, 0),
        shapes: [order.shape, { kind: "empty" }],
      };
    },
    echo: (order) => order,
    lookup: ({ id }) => orders.get(id) ?? null,
    count: () => orders.size,
  },
  { wellKnown: 7 },
);
process.stdout.write(`${transport.localAddress.toString()}\n`);
process.stdin.resume();
process.stdin.on("end", async () => {
  await handle.stop();
  await transport.close();
  process.exit(0);
});
