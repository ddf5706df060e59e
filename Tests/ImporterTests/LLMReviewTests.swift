// describe --llm against tools/fake_chat_server.py on loopback: valid suggestions are applied, invalid ones refused
// one by one, and a failing or nonsensical endpoint leaves the heuristic proposal standing.
import DatabaseSpec
import Foundation
import Logging
import TestSupport
import Testing

@testable import Importer

extension FakeHTTPServer {
  /// tools/fake_chat_server.py for the lifetime of one test.
  static func chat() throws -> FakeHTTPServer { try FakeHTTPServer(script: "fake_chat_server.py") }

  func configuration(model: String, key: String? = "secret") throws -> LLMConfiguration {
    try LLMConfiguration.fromEnvironment([
      "TRIBUTARY_LLM_URL": baseURL.appendingPathComponent("v1").absoluteString, "TRIBUTARY_LLM_MODEL": model,
      "OPENROUTER_API_KEY": key ?? "",
    ])
  }
}

@Suite(.serialized) struct LLMReviewTests {
  let profiles: [TableProfile]
  let proposal: DescribeProposal
  let server: FakeHTTPServer

  init() throws {
    profiles = try DatabaseProfiler.profile(directory: Fixtures.url("shop"), threads: 2)
    proposal = Describer.propose(profiles, name: "shop")
    server = try FakeHTTPServer.chat()
  }

  private func review(_ model: String, key: String? = "secret") async throws -> (DescribeProposal, [String]) {
    await LLMReviewer.review(
      proposal, profiles: profiles, configuration: try server.configuration(model: model, key: key),
      logger: Logger(label: "test"))
  }

  @Test func appliesValidSuggestions() async throws {
    let (reviewed, messages) = try await review("ok")
    #expect(reviewed.spec.table(named: "customers")?.column(named: "country")?.type == .text)
    #expect(reviewed.spec.table(named: "customers")?.column(named: "country")?.description == "country name")
    #expect(reviewed.spec.table(named: "orders")?.description == "one row per order")
    #expect(reviewed.spec.tasks.map(\.name) == ["order-amount"])
    #expect(reviewed.spec.validate().isEmpty)
    #expect(messages.count == 2, "\(messages)")
  }

  @Test func refusesInvalidSuggestionsOneByOne() async throws {
    let (reviewed, messages) = try await review("mixed")
    #expect(reviewed.spec.table(named: "orders")?.column(named: "status")?.type == .text)
    #expect(reviewed.spec.table(named: "customers")?.column(named: "name")?.type == .text)  // not Timestamp
    #expect(reviewed.spec.table(named: "products")?.column(named: "price")?.type == .numerical)
    #expect(reviewed.spec.tasks.isEmpty)
    #expect(messages.filter { $0.hasPrefix("refused") }.count == 4, "\(messages)")
  }

  @Test(arguments: ["garbage", "error"]) func keepsTheHeuristicProposalOnFailure(model: String) async throws {
    let (reviewed, messages) = try await review(model)
    #expect(reviewed.spec == proposal.spec)
    #expect(messages.count == 1 && messages[0].contains("heuristic proposal stands"), "\(messages)")
  }

  @Test func wrongKeyIsReportedWithoutEchoingIt() async throws {
    let (reviewed, messages) = try await review("ok", key: "not-the-key")
    #expect(reviewed.spec == proposal.spec)
    #expect(messages.first?.contains("401") == true)
    #expect(!messages.joined().contains("not-the-key"))
  }

  @Test func unreachableEndpoint() async throws {
    // Port 1 on loopback: nothing listens there.
    let closed = LLMConfiguration(
      endpoint: try #require(URL(string: "http://127.0.0.1:1/v1/chat/completions")), model: "ok", apiKey: nil)
    let (reviewed, messages) = await LLMReviewer.review(
      proposal, profiles: profiles, configuration: closed, logger: Logger(label: "test"))
    #expect(reviewed.spec == proposal.spec)
    #expect(messages.count == 1)
  }
}
