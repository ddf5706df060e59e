// The sampler's own timestamp features (for task-example cells) must equal preprocessing's (stored for table
// cells): compared with Preprocess.TimestampFeatures over dates that exercise leap years, month ends and the
// pre-1970 range.
import DatabaseSpec
import Preprocess
import Testing

@testable import Sampler

@Test func cyclicFeaturesMatchPreprocessing() {
  let dates = [
    "1950-05-13T14:00:00Z", "1969-12-31T23:59:59Z", "1970-01-01", "2000-02-29T12:34:56Z",
    "2013-12-31T23:00:00Z",
    "2024-03-01", "2100-07-04T06:07:08Z",
  ]
  for date in dates {
    guard let micros = ISO8601Micros.parse(date) else {
      Issue.record("cannot parse \(date)")
      continue
    }
    var ours = [Float](repeating: 0, count: 14)
    var theirs = [Float](repeating: 0, count: 14)
    ours.withUnsafeMutableBufferPointer { CyclicTime.write(micros, to: $0.baseAddress!) }
    theirs.withUnsafeMutableBufferPointer { TimestampFeatures.cyclic(micros, into: $0.baseAddress!) }
    #expect(ours == theirs, "\(date)")
  }
}
