// Learning curves of several runs on one SVG chart: axes with "nice" ticks (1, 2, 5 x 10^k), grid, axis
// labels with units, one <path class="curve"> per run that has points, and a legend. Written by hand as
// SVG 1.1 text so any browser or rsvg-convert renders it; no fonts are embedded, no scripting.
import Foundation

public struct LearningCurvePlot: Sendable {
  public var metric: String
  public var unit: String?
  public var xLabel: String
  public var series: [MetricSeries]
  /// Plot log10 of the values, with ticks at whole decades (all values must be positive).
  public var logY = false
  public var width = 880.0
  public var height = 500.0

  static let palette = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
    "#17becf",
  ]
  private let left = 84.0
  private let right = 230.0
  private let top = 48.0
  private let bottom = 64.0

  public init(
    metric: String, unit: String? = nil, xLabel: String = "step", series: [MetricSeries], logY: Bool = false
  ) {
    self.logY = logY
    self.metric = metric
    self.unit = unit ?? MetricUnits.unit(for: metric)
    self.xLabel = xLabel
    self.series = series
  }

  /// The SVG document; throws when no run has a point of the metric.
  public func svg() throws -> String {
    if logY, let bad = series.flatMap(\.points).first(where: { $0.value <= 0 }) {
      throw ExperimentsError.unplottable(
        reason:
          "a log scale needs positive values; \(metric) is \(NumberText.render(bad.value)) at step \(NumberText.render(bad.step))"
      )
    }
    let series = logY ? self.series.map(\.log10Values) : self.series
    let all = series.flatMap(\.points)
    guard let firstPoint = all.first else {
      throw ExperimentsError.metricNotFound(metric: metric, runs: series.map(\.runID))
    }
    var xs = (firstPoint.step, firstPoint.step)
    var ys = (firstPoint.value, firstPoint.value)
    for point in all {
      xs = (min(xs.0, point.step), max(xs.1, point.step))
      ys = (min(ys.0, point.value), max(ys.1, point.value))
    }
    let xAxis = NiceScale(low: xs.0, high: xs.1)
    let yAxis = logY ? NiceScale(decadesFrom: ys.0, to: ys.1) : NiceScale(low: ys.0, high: ys.1)
    let frame = Frame(
      x0: left, x1: width - right, y0: height - bottom, y1: top, xScale: xAxis, yScale: yAxis)
    var parts = [
      """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
      viewBox="0 0 \(Int(width)) \(Int(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
      """,
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
      "<text class=\"title\" x=\"\(fmt((frame.x0 + frame.x1) / 2))\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">"
        + "\(xml(yTitle)) by \(xml(xLabel))\(logY ? " (log scale)" : "")</text>",
    ]
    parts.append(axes(frame))
    for (index, run) in series.enumerated() where !run.points.isEmpty {
      parts.append(curve(run, color: Self.palette[index % Self.palette.count], frame: frame))
    }
    parts.append(legend())
    parts.append("</svg>")
    return parts.joined(separator: "\n") + "\n"
  }

  var yTitle: String { unit.map { "\(metric) (\($0))" } ?? metric }
  var yAxisLabel: String { yTitle + (logY ? ", log scale" : "") }

  private func axes(_ frame: Frame) -> String {
    var lines = ["<g class=\"axes\" stroke=\"#333\" fill=\"none\">"]
    lines.append(
      "<line class=\"x-axis\" x1=\"\(fmt(frame.x0))\" y1=\"\(fmt(frame.y0))\" x2=\"\(fmt(frame.x1))\" y2=\"\(fmt(frame.y0))\"/>"
    )
    lines.append(
      "<line class=\"y-axis\" x1=\"\(fmt(frame.x0))\" y1=\"\(fmt(frame.y0))\" x2=\"\(fmt(frame.x0))\" y2=\"\(fmt(frame.y1))\"/>"
    )
    lines.append("</g>")
    lines.append("<g class=\"ticks\" font-size=\"11\" fill=\"#333\">")
    for tick in frame.xScale.ticks {
      let x = fmt(frame.x(tick))
      lines.append(
        "<line x1=\"\(x)\" y1=\"\(fmt(frame.y1))\" x2=\"\(x)\" y2=\"\(fmt(frame.y0))\" stroke=\"#e4e4e4\"/>")
      lines.append(
        "<line x1=\"\(x)\" y1=\"\(fmt(frame.y0))\" x2=\"\(x)\" y2=\"\(fmt(frame.y0 + 5))\" stroke=\"#333\"/>")
      lines.append(
        "<text class=\"x-tick\" x=\"\(x)\" y=\"\(fmt(frame.y0 + 19))\" text-anchor=\"middle\">\(NumberText.render(tick))</text>"
      )
    }
    for tick in frame.yScale.ticks {
      let y = fmt(frame.y(tick))
      lines.append(
        "<line x1=\"\(fmt(frame.x0))\" y1=\"\(y)\" x2=\"\(fmt(frame.x1))\" y2=\"\(y)\" stroke=\"#e4e4e4\"/>")
      lines.append(
        "<line x1=\"\(fmt(frame.x0 - 5))\" y1=\"\(y)\" x2=\"\(fmt(frame.x0))\" y2=\"\(y)\" stroke=\"#333\"/>")
      lines.append(
        "<text class=\"y-tick\" x=\"\(fmt(frame.x0 - 8))\" y=\"\(fmt(frame.y(tick) + 4))\" text-anchor=\"end\">\(NumberText.render(logY ? pow(10, tick) : tick))</text>"
      )
    }
    lines.append("</g>")
    let midY = (frame.y0 + frame.y1) / 2
    lines.append(
      "<text class=\"x-label\" x=\"\(fmt((frame.x0 + frame.x1) / 2))\" y=\"\(fmt(height - 18))\" text-anchor=\"middle\" font-size=\"13\">\(xml(xLabel))</text>"
    )
    lines.append(
      "<text class=\"y-label\" x=\"20\" y=\"\(fmt(midY))\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 20 \(fmt(midY)))\">\(xml(yAxisLabel))</text>"
    )
    return lines.joined(separator: "\n")
  }

  private func curve(_ run: MetricSeries, color: String, frame: Frame) -> String {
    var d = ""
    d.reserveCapacity(run.points.count * 16)
    for (index, point) in run.points.enumerated() {
      d += (index == 0 ? "M" : " L") + "\(fmt(frame.x(point.step))) \(fmt(frame.y(point.value)))"
    }
    var svg =
      "<path class=\"curve\" data-run=\"\(xml(run.runID))\" d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" stroke-linejoin=\"round\"/>"
    if run.points.count == 1, let point = run.points.first {
      svg +=
        "\n<circle cx=\"\(fmt(frame.x(point.step)))\" cy=\"\(fmt(frame.y(point.value)))\" r=\"3\" fill=\"\(color)\"/>"
    }
    return svg
  }

  private func legend() -> String {
    let x = width - right + 20
    var lines = ["<g class=\"legend\" font-size=\"12\">"]
    for (index, run) in series.enumerated() {
      let y = top + 10 + Double(index) * 32
      let color = Self.palette[index % Self.palette.count]
      let label = run.points.isEmpty ? "\(run.runName) (no points)" : run.runName
      lines.append(
        "<line x1=\"\(fmt(x))\" y1=\"\(fmt(y))\" x2=\"\(fmt(x + 24))\" y2=\"\(fmt(y))\" stroke=\"\(color)\" stroke-width=\"3\"/>"
      )
      lines.append("<text x=\"\(fmt(x + 30))\" y=\"\(fmt(y + 4))\">\(xml(label))</text>")
      lines.append(
        "<text x=\"\(fmt(x + 30))\" y=\"\(fmt(y + 16))\" font-size=\"9\" fill=\"#777\">\(xml(run.runID))</text>"
      )
    }
    lines.append("</g>")
    return lines.joined(separator: "\n")
  }

  private func fmt(_ value: Double) -> String { String(format: "%.2f", value) }

  private func xml(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}

extension MetricSeries {
  var log10Values: MetricSeries {
    MetricSeries(runID: runID, runName: runName, points: points.map { ($0.step, log10($0.value)) })
  }
}

/// The plotting rectangle and the data-to-pixel mapping (y grows downwards in SVG).
private struct Frame {
  var x0, x1, y0, y1: Double
  var xScale, yScale: NiceScale

  func x(_ value: Double) -> Double { x0 + (value - xScale.low) / (xScale.high - xScale.low) * (x1 - x0) }
  func y(_ value: Double) -> Double { y0 + (value - yScale.low) / (yScale.high - yScale.low) * (y1 - y0) }
}

/// An axis range widened to whole ticks of 1, 2 or 5 x 10^k, about five to ten ticks.
struct NiceScale: Equatable {
  var low: Double
  var high: Double
  var step: Double

  init(low: Double, high: Double, targetTicks: Double = 6) {
    var low = low
    var high = high
    if high - low <= 0 {
      let pad = low == 0 ? 1 : abs(low) * 0.1
      low -= pad
      high += pad
    }
    let raw = (high - low) / targetTicks
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let fraction = raw / magnitude
    let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
    step = nice * magnitude
    self.low = (low / step).rounded(.down) * step
    self.high = (high / step).rounded(.up) * step
  }

  /// Whole powers of ten around log10 values `low...high` (at least one decade).
  init(decadesFrom low: Double, to high: Double) {
    self.low = low.rounded(.down)
    self.high = max(high.rounded(.up), self.low + 1)
    step = max(1, ((self.high - self.low) / 8).rounded(.up))
  }

  var ticks: [Double] {
    let count = Int(exactly: ((high - low) / step).rounded()) ?? 1
    return (0...min(max(0, count), 1000)).map { low + Double($0) * step }
  }
}

/// Units read off metric names by convention: "cells_per_s" is cells/s, "epoch_time_s" is s, losses and
/// rates are unitless. Unknown names get none.
public enum MetricUnits {
  public static func unit(for metric: String) -> String? {
    let name = metric.split(separator: "/").last.map(String.init) ?? metric
    if let range = name.range(of: "_per_s", options: [.backwards, .anchored]) {
      return "\(name[..<range.lowerBound])/s"
    }
    for (suffix, unit) in [
      ("_ms", "ms"), ("_s", "s"), ("_seconds", "s"), ("_bytes", "bytes"), ("_mb", "MB"),
      ("_gb", "GB"), ("_pct", "%"),
    ] where name.hasSuffix(suffix) {
      return unit
    }
    return nil
  }
}
