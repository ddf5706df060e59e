// The learning-curve SVG checked by structure (parsed as XML): one curve path per run, both axes, ticks,
// a legend naming every run, axis labels with units; plus tick choice and the PNG converter's message.
import Foundation
import Testing

@testable import Experiments

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Collects every element with its attributes and text.
final class SVGElements: NSObject, XMLParserDelegate {
  var elements: [(name: String, attributes: [String: String], text: String)] = []
  private var stack: [Int] = []

  static func parse(_ svg: String) throws -> SVGElements {
    let collector = SVGElements()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = collector
    guard parser.parse() else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
    return collector
  }

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    stack.append(elements.count)
    elements.append((name, attributes, ""))
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if let index = stack.last { elements[index].text += string }
  }

  func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?)
  {
    stack.removeLast()
  }

  func withClass(_ name: String) -> [(name: String, attributes: [String: String], text: String)] {
    elements.filter { $0.attributes["class"] == name }
  }
}

@Suite struct PlotTests {
  @Test func svgHasOnePathPerRunAxesAndLegend() throws {
    let (home, alpha, beta, _) = try smallStore()
    let series = try home.store.series(runs: ["alpha", "beta"], metric: "loss")
    #expect(series.map(\.points.count) == [5, 3])
    #expect(series[1].points.map(\.step) == [0, 2, 4])
    let svg = try LearningCurvePlot(metric: "loss", series: series).svg()
    let parsed = try SVGElements.parse(svg)
    let curves = parsed.withClass("curve")
    #expect(curves.count == 2)
    #expect(curves.map { $0.attributes["data-run"] } == [alpha, beta])
    // alpha has 5 points: one move and four line segments.
    #expect(curves[0].attributes["d"]?.filter { $0 == "L" }.count == 4)
    #expect(parsed.withClass("axes").count == 1)
    #expect(parsed.withClass("x-axis").count == 1 && parsed.withClass("y-axis").count == 1)
    #expect(parsed.withClass("x-tick").map(\.text) == ["0", "1", "2", "3", "4"])
    #expect(parsed.withClass("y-tick").map(\.text).first == "0")
    #expect(parsed.withClass("y-tick").map(\.text).last == "2")
    #expect(parsed.withClass("x-label").map(\.text) == ["step"])
    let legend = parsed.elements.filter { $0.name == "text" }.map(\.text)
    #expect(legend.contains("alpha") && legend.contains("beta"))
    #expect(parsed.withClass("title").map(\.text) == ["loss by step"])
  }

  @Test func curvesMapDataIntoThePlotFrame() throws {
    let series = [MetricSeries(runID: "r", runName: "r", points: [(0, 0), (10, 1)])]
    let plot = LearningCurvePlot(metric: "throughput_per_s", series: series)
    let parsed = try SVGElements.parse(try plot.svg())
    // The frame spans x 84...650 and y 436...48 (880 x 500 less the margins); (0,0) is its lower left.
    #expect(parsed.withClass("curve").first?.attributes["d"] == "M84.00 436.00 L650.00 48.00")
    #expect(parsed.withClass("y-label").map(\.text) == ["throughput_per_s (throughput/s)"])
  }

  @Test func logScaleTicksAtDecades() throws {
    let series = [MetricSeries(runID: "r", runName: "r", points: [(0, 0.02), (1, 0.5), (2, 30)])]
    let parsed = try SVGElements.parse(
      try LearningCurvePlot(metric: "loss", series: series, logY: true).svg())
    #expect(parsed.withClass("y-tick").map(\.text) == ["0.01", "0.1", "1", "10", "100"])
    // 0.5 is log10 0.5 = -0.301 decades: 1.699 of the 4 decades above 0.01, so y = 436 - 1.699 / 4 * 388.
    let d = parsed.withClass("curve").first?.attributes["d"] ?? ""
    #expect(d.contains(String(format: " L367.00 %.2f", 436 - (2 + log10(0.5)) / 4 * 388)))
    #expect(parsed.withClass("y-label").map(\.text) == ["loss, log scale"])
    let negative = [MetricSeries(runID: "r", runName: "r", points: [(0, 1), (1, -1)])]
    #expect(throws: ExperimentsError.self) {
      try LearningCurvePlot(metric: "loss", series: negative, logY: true).svg()
    }
  }

  @Test func plotWithoutPointsThrows() {
    let plot = LearningCurvePlot(metric: "loss", series: [MetricSeries(runID: "r", runName: "r", points: [])])
    #expect(throws: ExperimentsError.metricNotFound(metric: "loss", runs: ["r"])) { try plot.svg() }
  }

  @Test func ticksAreRoundNumbers() {
    let scale = NiceScale(low: 0.2, high: 1.37)
    #expect(abs(scale.step - 0.2) < 1e-12 && abs(scale.low - 0.2) < 1e-12 && abs(scale.high - 1.4) < 1e-12)
    #expect(NiceScale(low: 1, high: 200).ticks == [0, 50, 100, 150, 200])
    #expect(NiceScale(low: 5, high: 5).ticks.count >= 2)
    #expect(NiceScale(low: 13001, high: 13499).step == 100)
  }

  @Test func unitsComeFromMetricNames() {
    #expect(MetricUnits.unit(for: "cells_per_s") == "cells/s")
    #expect(MetricUnits.unit(for: "time/epoch_s") == "s")
    #expect(MetricUnits.unit(for: "step_ms") == "ms")
    #expect(MetricUnits.unit(for: "loss/numerical") == nil)
  }

  @Test func missingConverterIsNamed() throws {
    #expect(SVGConverter.find(searchPath: "/nonexistent") == nil)
    do {
      try SVGConverter.convert(svg: "/tmp/a.svg", png: "/tmp/a.png", searchPath: "/nonexistent")
      Issue.record("expected an error")
    } catch let error as ExperimentsError {
      #expect(error.description.contains("librsvg2-bin") && error.description.contains("/tmp/a.svg"))
    }
  }
}
