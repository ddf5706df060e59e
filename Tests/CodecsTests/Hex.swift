// Test helpers: hex decoding for the generated fixtures and a deterministic byte generator.

func bytes(fromHex hex: String) -> [UInt8] {
  let digits = Array(hex.utf8)
  func value(_ digit: UInt8) -> UInt8 {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
    default: 0
    }
  }
  return stride(from: 0, to: digits.count - 1, by: 2).map { value(digits[$0]) << 4 | value(digits[$0 + 1]) }
}

/// SplitMix64: deterministic bytes, half of them drawn from a small alphabet so that they compress.
func testBytes(count: Int, seed: UInt64) -> [UInt8] {
  var state = seed
  func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  return (0..<count).map { index in
    let random = next()
    return index % 2 == 0 ? UInt8(truncatingIfNeeded: random) : UInt8(truncatingIfNeeded: random % 4) + 97
  }
}
