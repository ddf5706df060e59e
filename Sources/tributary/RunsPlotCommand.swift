// `tributary runs plot`: learning curves of several runs on one chart, as SVG (written by Experiments'
// LearningCurvePlot) or PNG through rsvg-convert when it is installed.
import ArgumentParser
import Experiments
import Foundation

struct RunsPlot: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plot", abstract: "Plot a metric over steps for several runs (SVG, or PNG via rsvg-convert)."
  )
  @OptionGroup var store: StoreOptions
  @Argument(help: "One or more runs.") var runs: [String]
  @Option(help: "The metric, e.g. loss/numerical.") var metric: String
  @Option(help: "Plot evaluations on this split instead of training metrics.") var split: String?
  @Option(help: "Unit for the y axis (default: read off the metric name).") var unit: String?
  @Option(help: "Output file, .svg or .png (default: METRIC.svg).") var out: String?
  @Flag(help: "Logarithmic y axis (for losses spanning decades).") var logY = false

  func validate() throws {
    guard !runs.isEmpty else { throw ValidationError("name at least one run") }
    if let out, !(out.hasSuffix(".svg") || out.hasSuffix(".png")) {
      throw ValidationError("--out must end in .svg or .png")
    }
  }

  func run() throws {
    let series = try store.open().series(runs: runs, metric: metric, split: split)
    let svg = try LearningCurvePlot(
      metric: split.map { "\(metric) on \($0)" } ?? metric, unit: unit ?? MetricUnits.unit(for: metric),
      series: series, logY: logY
    ).svg()
    let target = out ?? metric.replacingOccurrences(of: "/", with: "_") + ".svg"
    let svgPath = target.hasSuffix(".png") ? String(target.dropLast(4)) + ".svg" : target
    try Data(svg.utf8).write(to: URL(fileURLWithPath: svgPath))
    if target.hasSuffix(".png") {
      try SVGConverter.convert(svg: svgPath, png: target)
    }
    let points = series.map(\.points.count).reduce(0, +)
    try store.emit(["file": target, "svg": svgPath]) {
      "wrote \(target) (\(series.count) runs, \(points) points)"
    }
  }
}
