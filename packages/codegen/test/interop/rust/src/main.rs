// Reads lines "<type>\t<json>" and prints each value as serde_json writes it after decoding it
// into the Rust type: the types mirror test/fixtures/shop.ts the way a moonpool service would
// declare them.
use serde::{Deserialize, Serialize};
use std::io::{self, BufRead, Write};

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
struct LineItem {
    sku: String,
    qty: u32,
    unit_price: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gift_note: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Shape {
    Circle { radius: f64 },
    Rect { width: f64, height: f64 },
    Empty,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Priority {
    Low,
    Normal,
    High,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Receipt {
    order_id: u64,
    total: f64,
    shapes: Vec<Shape>,
}

fn roundtrip<T: Serialize + for<'de> Deserialize<'de>>(json: &str) -> String {
    match serde_json::from_str::<T>(json) {
        Ok(value) => serde_json::to_string(&value).expect("serialize"),
        Err(error) => format!("ERROR {error}"),
    }
}

fn main() {
    let stdin = io::stdin();
    let mut out = io::stdout().lock();
    for line in stdin.lock().lines() {
        let line = line.expect("stdin");
        let (kind, json) = line.split_once('\t').expect("<type>\\t<json>");
        let back = match kind {
            "LineItem" => roundtrip::<LineItem>(json),
            "Shape" => roundtrip::<Shape>(json),
            "Priority" => roundtrip::<Priority>(json),
            "Receipt" => roundtrip::<Receipt>(json),
            other => format!("ERROR unknown type {other}"),
        };
        writeln!(out, "{back}").expect("stdout");
    }
}
