// The Rust peer of the interop test (test/interop.test.ts). Its message types and the Shop trait
// come from the GENERATED modules: the test writes `moonpool-codegen --emit rust` of
// test/fixtures/{shop,counter,edges}.ts into src/ of a copy of this crate before building it, so
// nothing here restates a message type. The framing below is moonpool's wire layout (the part the moonpool
// crate would provide): [length u32 LE][crc32c u32 LE][token 16 B][payload].
//
// Modes:
//   roundtrip            stdin "<type>\t<json>" lines -> serde_json's re-encoding (or "ERROR ...")
//   fixtures <file>      checks golden frames and payloads decode, re-encode and re-frame identically
//   call <addr> <id>     stdin: one Order (JSON); calls Shop.place at well-known <id> over TCP, prints the reply
//   serve <id> <count>   prints "READY <addr>", serves Shop at well-known <id> for <count> requests
#[allow(dead_code)]
mod counter;
#[allow(dead_code)]
mod edges;
#[allow(dead_code)]
mod shop;

use serde::{de::DeserializeOwned, Serialize};
use shop::wire::{Endpoint, NetworkAddress, ReplyError, RequestEnvelope, RpcError, UID};
use shop::{
    shop_methods, AuditRecordRequest, LineItem, Order, Priority, Receipt, Shape, ShopLookupRequest,
};
use std::future::Future;
use std::io::{self, BufRead, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

const PING: UID = UID::well_known(1);
const PONG: UID = UID::new(u64::MAX - 1, 0);
const HEADER: usize = 24;

fn crc32c(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0x82f6_3b78 } else { crc >> 1 };
        }
    }
    !crc
}

fn encode_frame(token: UID, payload: &[u8]) -> Vec<u8> {
    let mut frame = Vec::with_capacity(HEADER + payload.len());
    frame.extend_from_slice(&((HEADER + payload.len()) as u32).to_le_bytes());
    frame.extend_from_slice(&[0; 4]);
    frame.extend_from_slice(&token.first.to_le_bytes());
    frame.extend_from_slice(&token.second.to_le_bytes());
    frame.extend_from_slice(payload);
    let crc = crc32c(&frame[8..]);
    frame[4..8].copy_from_slice(&crc.to_le_bytes());
    frame
}

fn decode_frame(frame: &[u8]) -> Result<(UID, Vec<u8>), String> {
    if frame.len() < HEADER {
        return Err(format!("frame of {} bytes is shorter than the header", frame.len()));
    }
    let length = u32::from_le_bytes(frame[0..4].try_into().unwrap()) as usize;
    if length != frame.len() {
        return Err(format!("length says {length}, frame has {}", frame.len()));
    }
    let crc = u32::from_le_bytes(frame[4..8].try_into().unwrap());
    if crc != crc32c(&frame[8..]) {
        return Err("checksum mismatch".into());
    }
    let first = u64::from_le_bytes(frame[8..16].try_into().unwrap());
    let second = u64::from_le_bytes(frame[16..24].try_into().unwrap());
    Ok((UID::new(first, second), frame[HEADER..].to_vec()))
}

fn read_frame(stream: &mut TcpStream) -> io::Result<(UID, Vec<u8>)> {
    let mut header = [0u8; HEADER];
    stream.read_exact(&mut header)?;
    let length = u32::from_le_bytes(header[0..4].try_into().unwrap()) as usize;
    if length < HEADER {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "frame length below the header"));
    }
    let mut frame = header.to_vec();
    frame.resize(length, 0);
    stream.read_exact(&mut frame[HEADER..])?;
    decode_frame(&frame).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Reads frames until one for `token` arrives, answering pings on the way.
fn read_until(stream: &mut TcpStream, token: UID) -> io::Result<Vec<u8>> {
    loop {
        let (t, payload) = read_frame(stream)?;
        if t == PING {
            stream.write_all(&encode_frame(PONG, &[]))?;
        } else if t == token {
            return Ok(payload);
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex")).collect()
}

fn reencode<T: Serialize + DeserializeOwned>(json: &str) -> Result<String, String> {
    let value: T = serde_json::from_str(json).map_err(|e| e.to_string())?;
    serde_json::to_string(&value).map_err(|e| e.to_string())
}

/// serde_json's re-encoding of `json` read as the Rust type named `kind`.
fn reencode_as(kind: &str, json: &str) -> Result<String, String> {
    match kind {
        "LineItem" => reencode::<LineItem>(json),
        "Shape" => reencode::<Shape>(json),
        "Priority" => reencode::<Priority>(json),
        "Receipt" => reencode::<Receipt>(json),
        "Order" => reencode::<Order>(json),
        "ShopLookupRequest" => reencode::<ShopLookupRequest>(json),
        "AuditRecordRequest" => reencode::<AuditRecordRequest>(json),
        "RequestEnvelope<Order>" => reencode::<RequestEnvelope<Order>>(json),
        "Reply<Receipt>" => reencode::<Result<Receipt, ReplyError>>(json),
        "counter::AddRequest" => reencode::<counter::AddRequest>(json),
        "edges::Node" => reencode::<edges::Node>(json),
        other => Err(format!("unknown type {other}")),
    }
}

fn roundtrip() {
    let mut out = io::stdout().lock();
    for line in io::stdin().lock().lines() {
        let line = line.expect("stdin");
        let (kind, json) = line.split_once('\t').expect("<type>\\t<json>");
        let back = reencode_as(kind, json).unwrap_or_else(|e| format!("ERROR {e}"));
        writeln!(out, "{back}").expect("stdout");
    }
}

fn fixtures(path: &str) {
    let text = std::fs::read_to_string(path).expect("fixture file");
    let mut out = io::stdout().lock();
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [kind, token, payload, frame] = cols[..] else { panic!("4 columns: {line}") };
        let verdict = (|| -> Result<(), String> {
            let (t, body) = decode_frame(&unhex(frame))?;
            if format!("{:016x}{:016x}", t.first, t.second) != token {
                return Err("frame token differs".into());
            }
            if body != payload.as_bytes() {
                return Err("frame payload differs from the payload column".into());
            }
            let again = reencode_as(kind, payload)?;
            if again != payload {
                return Err(format!("serde wrote {again}"));
            }
            if hex(&encode_frame(t, again.as_bytes())) != frame {
                return Err("re-framed bytes differ".into());
            }
            Ok(())
        })();
        match verdict {
            Ok(()) => writeln!(out, "OK {kind}"),
            Err(e) => writeln!(out, "FAIL {kind}: {e}"),
        }
        .expect("stdout");
    }
}

/// Runs a future that never waits (the handlers here are synchronous underneath).
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("handler awaited something"),
    }
}

/// The Rust implementation of the generated Shop trait.
struct RustShop;

impl shop::Shop for RustShop {
    async fn place(&self, req: Order) -> Result<Receipt, RpcError> {
        if req.items.is_empty() {
            return Err(RpcError { message: "empty order".into() });
        }
        let total = req.items.iter().map(|i| i.qty as f64 * i.unit_price).sum();
        Ok(Receipt { order_id: req.id, total, shapes: vec![req.shape, Shape::Circle { radius: 0.5 }] })
    }
    async fn echo(&self, req: Order) -> Result<Order, RpcError> {
        Ok(req)
    }
    async fn lookup(&self, _req: ShopLookupRequest) -> Result<Option<Order>, RpcError> {
        Ok(None)
    }
    async fn count(&self, _req: ()) -> Result<u32, RpcError> {
        Ok(0)
    }
}

fn answer<Req: DeserializeOwned, Resp: Serialize>(
    payload: &[u8],
    handle: impl FnOnce(Req) -> Result<Resp, RpcError>,
) -> (Endpoint, Vec<u8>) {
    let envelope: RequestEnvelope<Req> = serde_json::from_slice(payload).expect("request envelope");
    let reply: Result<Resp, ReplyError> =
        handle(envelope.request).map_err(|e| ReplyError::Application { message: e.message });
    (envelope.reply_to, serde_json::to_vec(&reply).expect("reply"))
}

fn serve(id: u32, count: usize) {
    use shop::Shop as _;
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    println!("READY {}", listener.local_addr().unwrap());
    io::stdout().flush().unwrap();
    let base = UID::well_known(id);
    let place = base.adjusted(shop_methods::PLACE);
    let echo = base.adjusted(shop_methods::ECHO);
    let shop = RustShop;
    let (mut conn, _) = listener.accept().expect("accept");
    let mut served = 0;
    while served < count {
        let (token, payload) = read_frame(&mut conn).expect("request frame");
        let (reply_to, bytes) = if token == PING {
            conn.write_all(&encode_frame(PONG, &[])).unwrap();
            continue;
        } else if token == place {
            answer(&payload, |req: Order| block_on(shop.place(req)))
        } else if token == echo {
            answer(&payload, |req: Order| block_on(shop.echo(req)))
        } else {
            eprintln!("no endpoint {:016x}{:016x}", token.first, token.second);
            continue;
        };
        // moonpool replies over a connection to the reply address (there is no handshake).
        let address = format!("{}:{}", reply_to.address.ip, reply_to.address.port);
        let mut back = TcpStream::connect(address).expect("connect to reply_to");
        back.write_all(&encode_frame(reply_to.token, &bytes)).expect("reply frame");
        served += 1;
    }
}

fn call(address: &str, id: u32) {
    let mut line = String::new();
    io::stdin().read_line(&mut line).expect("stdin");
    let order: Order = serde_json::from_str(line.trim_end()).expect("an Order");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let reply_token = UID::new(0x5eed_0000_0000_0001, 42);
    let envelope = RequestEnvelope {
        request: order,
        reply_to: Endpoint {
            address: NetworkAddress { ip: "127.0.0.1".into(), port: listener.local_addr().unwrap().port(), flags: 0 },
            token: reply_token,
        },
    };
    let token = UID::well_known(id).adjusted(shop_methods::PLACE);
    let payload = serde_json::to_vec(&envelope).expect("encode");
    let mut out = TcpStream::connect(address).expect("connect");
    out.write_all(&encode_frame(token, &payload)).expect("request frame");
    let (mut conn, _) = listener.accept().expect("accept the reply connection");
    let reply = read_until(&mut conn, reply_token).expect("reply frame");
    let reply: Result<Receipt, ReplyError> = serde_json::from_slice(&reply).expect("reply");
    println!("{}", serde_json::to_string(&reply).unwrap());
}

fn main() {
    // A bounded peer: whatever happens on the network, it is gone within 60 seconds.
    std::thread::spawn(|| {
        std::thread::sleep(Duration::from_secs(60));
        eprintln!("interop peer: timed out");
        std::process::exit(3);
    });
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["roundtrip"] => roundtrip(),
        ["fixtures", path] => fixtures(path),
        ["call", address, id] => call(address, id.parse().expect("id")),
        ["serve", id, count] => serve(id.parse().expect("id"), count.parse().expect("count")),
        _ => {
            eprintln!("usage: moonpool-codegen-interop roundtrip | fixtures FILE | call ADDR ID | serve ID COUNT");
            std::process::exit(2);
        }
    }
}
